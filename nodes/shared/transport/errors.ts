import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { blockSeconds, isIpBlock, type Failure } from './failure';
import { GovernorStop } from './governor/governorStop';
import { MAX_PAUSE_MS } from './governor/requestGovernor';
import { PathError } from './pathGuard';
import type { DattoContext, DattoRequest, RequestSafety } from './requestTypes';

function clockTime(epochMs: number): string {
	return `${new Date(epochMs).toISOString().slice(11, 19)} UTC`;
}

/** The error for a request that was not sent: the IP block still on, a bad path, or a cancelled run. */
export function stoppedError(ctx: DattoContext, error: unknown, request: DattoRequest, itemIndex?: number): Error {
	if (error instanceof PathError) {
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex,
			description: 'A UID or ID given is empty, "." or "..", which would call another endpoint. Nothing was sent to Datto RMM.',
		});
	}
	if (error instanceof GovernorStop && error.reason === 'blocked') {
		const until = error.until ?? Date.now();
		return new NodeApiError(
			ctx.getNode(),
			{ message: error.message, httpCode: '403' },
			{
				message: `Datto RMM has temporarily blocked this IP address (HTTP 403); nothing was sent`,
				description: `${error.message} Every request to this account from this n8n process waits for the block to end: try again after ${clockTime(until)}. Pause workflows using Datto RMM until then; if it recurs, set a fixed request budget on the credential.`,
				httpCode: '403',
				itemIndex,
			},
		);
	}
	const where = `${request.method} ${request.path.replace(/^https?:\/\/[^/]+\/api/, '')}`;
	const cancelled = new NodeOperationError(ctx.getNode(), `The request ${where} was not sent: the execution stopped`, {
		itemIndex,
		description: 'Another item or page of this execution failed (or the execution was cancelled), so its remaining requests were not sent.',
	});
	cancelled.context[CANCELLED] = true;
	return cancelled;
}

const CANCELLED = 'requestCancelled';

/** Whether an error from dattoRequest only says the request was dropped because its run stopped. */
export function isCancellation(error: unknown): boolean {
	return error instanceof NodeOperationError && error.context[CANCELLED] === true;
}

/** A NodeApiError that says what Datto answered and what to do about it. */
export function apiError(
	ctx: DattoContext,
	failure: Failure,
	request: DattoRequest,
	safety: RequestSafety,
	retries: number,
	itemIndex?: number,
): NodeApiError {
	const where = `${request.method} ${request.path.replace(/^https?:\/\/[^/]+\/api/, '').split('?')[0]}`;
	const said = failure.dattoMessage ? `: ${failure.dattoMessage}` : '';
	const tried = retries > 0 ? ` (tried ${retries + 1} times)` : '';
	let message: string;
	let description: string;
	let mayHaveHappened = false;
	const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

	if (failure.credential) {
		message = failure.credential.message;
		description = failure.credential.field
			? `Open the Datto RMM API credential and check its "${failure.credential.field}" field.`
			: 'Open the Datto RMM API credential and check its Platform, API Key and API Secret.';
	} else if (failure.redirectTo !== undefined) {
		let target = failure.redirectTo;
		try {
			target = new URL(failure.redirectTo, request.path.startsWith('http') ? request.path : 'http://datto.invalid').origin;
		} catch {
			// keep what the server said
		}
		message = `Datto RMM answered ${where} with a redirect to ${target} (HTTP ${failure.status}), which was not followed`;
		description =
			"The credential's token is only ever sent to the credential's own server. If your Datto RMM traffic goes through a proxy, set the credential's Platform to Custom URL with the address that answers directly.";
	} else if (failure.timedOutMs !== undefined) {
		mayHaveHappened = safety === 'create';
		message = mayHaveHappened
			? `Datto RMM did not answer ${where} in time (timed out after ${seconds(failure.timedOutMs)}), and the change may have been made`
			: `Datto RMM did not answer ${where} in time (timed out after ${seconds(failure.timedOutMs)})${tried}`;
		description = mayHaveHappened
			? 'The request was sent but its answer did not arrive in time. It was not repeated, so nothing is done twice: check in Datto RMM whether it took effect before running it again.'
			: `Each attempt may take ${seconds(failure.timedOutMs)} for its whole answer (Options > Timeout). Datto RMM may be slow right now: run the workflow again later.`;
	} else if (failure.status === undefined) {
		mayHaveHappened = safety === 'create' && failure.networkCode !== 'ECONNREFUSED';
		const cut = failure.bodyCut ? 'the answer was cut off before its end' : `the connection failed (${failure.networkCode ?? 'no answer'})`;
		message = mayHaveHappened
			? `Datto RMM did not answer ${where} completely, and the change may have been made`
			: failure.bodyCut
				? `Datto RMM's answer to ${where} was cut off${tried}`
				: `Could not reach Datto RMM for ${where}${tried}`;
		description = mayHaveHappened
			? `After the request was sent, ${cut}. It was not repeated, so nothing is done twice: check in Datto RMM whether it took effect before running it again.`
			: failure.bodyCut
				? 'The connection closed before the whole answer arrived. This is usually a network problem: run the workflow again.'
				: `The connection failed (${failure.networkCode ?? 'no answer'}). Check the credential's Platform or Base URL and this machine's network access to it.`;
	} else if (failure.emptyBody) {
		message = `Datto RMM sent an empty answer to ${where}${tried}`;
		description = 'A read should always answer with data. This is usually transient: run the workflow again.';
	} else if (failure.malformedBody) {
		message = `Datto RMM sent an unreadable answer to ${where}${tried}`;
		description = 'The response body was not valid JSON. This is usually transient: run the workflow again.';
	} else if (failure.status === 401) {
		message = `Datto RMM refused the credential (HTTP 401)${said}`;
		description =
			'A fresh token was fetched and still refused. Check the Datto RMM API credential: the Platform must be the one your account is on, and the API user must exist, not be locked, and have API access enabled.';
	} else if (isIpBlock(failure)) {
		const blockedUntil = blockSeconds(failure);
		message = `Datto RMM has temporarily blocked this IP address (HTTP 403)${said}`;
		description = `Too many requests were refused for rate limiting, so Datto blocked the caller for a few minutes (about five). Nothing was retried, and nothing more is sent to this account from this n8n process until the block ends${blockedUntil !== undefined ? ` (after ${clockTime(Date.now() + blockedUntil * 1000)})` : ''}. Pause workflows using Datto RMM, wait, then run again.`;
	} else if (failure.status === 403) {
		message = `Datto RMM denied access to ${where} (HTTP 403)${said}`;
		description =
			"The API user's security level does not allow this. In Datto RMM, check the user's role under Setup > Users, or the site permissions.";
	} else if (failure.status === 404) {
		message = `Datto RMM found nothing at ${where} (HTTP 404)${said}`;
		description = request.notFoundHint
			? `Check that ${request.notFoundHint} exists in this Datto RMM account.`
			: 'Check the UIDs and IDs given: they must exist in this Datto RMM account.';
	} else if (failure.status === 400) {
		message = `Datto RMM rejected the request to ${where} (HTTP 400)${said}`;
		description = 'Check the field the message names, and that dates and UIDs have the expected format.';
	} else if (failure.status === 409) {
		message = `Datto RMM reported a conflict for ${where} (HTTP 409)${said}`;
		description = 'The item may already exist or be changing: check it in Datto RMM.';
	} else if (failure.status === 429 && failure.waitTooLongMs !== undefined) {
		message = `Datto RMM asked to wait ${seconds(failure.waitTooLongMs)} before ${where} (HTTP 429), longer than the ${seconds(MAX_PAUSE_MS)} this node waits${said}`;
		description = `Nothing more was sent for this request. Try again after ${clockTime(Date.now() + failure.waitTooLongMs)}; other executions pause at most ${seconds(MAX_PAUSE_MS)} meanwhile.`;
	} else if (failure.status === 429) {
		message = `Datto RMM rate limit reached for ${where} (HTTP 429)${tried}${said}`;
		description =
			'The account has used its 600 requests per minute (shared by every integration). Wait a minute, or spread the workflow out; set a fixed request budget on the credential if other tools share the account.';
	} else if (failure.status >= 500 && safety === 'create') {
		mayHaveHappened = true;
		message = `Datto RMM failed on ${where} (HTTP ${failure.status}), and the change may have been made${said}`;
		description =
			'The request was not repeated, so nothing is done twice: check in Datto RMM whether it took effect before running it again.';
	} else {
		message = `Datto RMM failed on ${where} (HTTP ${failure.status})${tried}${said}`;
		description = failure.status >= 500 ? "This is usually transient on Datto's side: run the workflow again later." : 'Datto RMM did not accept this request: check the parameters given.';
	}

	const error = new NodeApiError(
		ctx.getNode(),
		{
			message: failure.dattoMessage ?? message,
			httpCode: failure.status === undefined ? null : String(failure.status),
		},
		{
			message,
			description,
			httpCode: failure.status === undefined ? undefined : String(failure.status),
			itemIndex,
		},
	);
	if (mayHaveHappened) error.context[MAY_HAVE_HAPPENED] = true;
	return error;
}

const MAY_HAVE_HAPPENED = 'writeMayHaveHappened';

/** Whether an error from dattoRequest means a create may have been done despite failing. */
export function writeMayHaveHappened(error: unknown): boolean {
	return error instanceof NodeApiError && error.context[MAY_HAVE_HAPPENED] === true;
}
