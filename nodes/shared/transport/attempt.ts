import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import type { Account } from './account';
import { blockSeconds, describeFailure, isIpBlock } from './failure';
import { GovernorStop } from './governor/governorStop';
import { parseRateView, type RateView } from './governor/rateView';
import type { Priority } from './governor/ticket';
import { checkPath } from './pathGuard';
import { containsSecret, redact } from './redact';
import { CREDENTIAL_TYPE, type DattoContext, type RequestSafety } from './requestTypes';
import { parseAnswer, type Outcome } from './responseBody';
import { secretFormsOf } from './secretForms';

/** Datto delays answers by one second once the account is past 90% of its window. */
const SLOW_ANSWER_SHARE_OF_WINDOW = 1 / 60;

/**
 * n8n replaces a request's own abortSignal with the execution's cancel signal; this gives the
 * request a view of the context whose cancel signal is ours (the deadline, the run's failure and
 * the execution's own cancellation together).
 */
function withCancelSignal(ctx: DattoContext, signal: AbortSignal): DattoContext {
	if (!('getExecutionCancelSignal' in ctx)) return ctx;
	return Object.create(ctx, { getExecutionCancelSignal: { value: () => signal } }) as DattoContext;
}

function executionSignal(ctx: DattoContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? (ctx as IExecuteFunctions).getExecutionCancelSignal() : undefined;
}

function anySignal(signals: Array<AbortSignal | undefined>): AbortSignal {
	const present = signals.filter((s): s is AbortSignal => s !== undefined);
	return present.length === 1 ? present[0] : AbortSignal.any(present);
}

/** The account's count from X-RateLimit-* headers, when Datto sent them. */
function headerCount(headers: IDataObject | undefined): number | undefined {
	const limit = Number(headers?.['x-ratelimit-limit']);
	const remaining = Number(headers?.['x-ratelimit-remaining']);
	return Number.isFinite(limit) && Number.isFinite(remaining) && headers?.['x-ratelimit-remaining'] !== undefined ? limit - remaining : undefined;
}

/** Datto's "about five minutes" when a block says nothing of its length. */
const DEFAULT_BLOCK_MS = 5 * 60_000;

export interface Send {
	ctx: DattoContext;
	account: Account;
	options: IHttpRequestOptions;
	safety: RequestSafety;
	kind: 'read' | 'write';
	writeBudget?: string;
	priority?: Priority;
	signal?: AbortSignal;
	timeoutMs: number;
	calibration?: boolean;
}

/** One HTTP attempt under the governor: its answer, or what went wrong, masked. */
export async function sendOnce(send: Send): Promise<Outcome> {
	const { ctx, account } = send;
	checkPath(String(send.options.url));
	// Throws GovernorStop instead of sending when the run stopped or Datto blocked this IP.
	const done = await account.governor.acquire({
		kind: send.kind,
		writeBudget: send.writeBudget,
		priority: send.priority,
		signal: send.signal,
		calibration: send.calibration,
		fetchView: send.calibration ? undefined : () => fetchRateView(ctx, account, send.signal, send.timeoutMs),
	});
	const deadline = AbortSignal.timeout(send.timeoutMs);
	const signal = anySignal([deadline, send.signal, executionSignal(ctx)]);
	const started = account.governor.clock.now();
	let outcome: Outcome | undefined;
	let headers: IDataObject | undefined;
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(withCancelSignal(ctx, signal), CREDENTIAL_TYPE, {
			...send.options,
			abortSignal: signal,
			encoding: 'text',
			returnFullResponse: true,
			disableFollowRedirect: true,
		})) as IN8nHttpFullResponse;
		headers = response.headers as IDataObject;
		let text = typeof response.body === 'string' ? response.body : String(response.body ?? '');
		const forms = await secretFormsOf(ctx);
		if (containsSecret(text, forms)) text = redact(text, forms);
		outcome = parseAnswer(text, send.safety);
	} catch (error) {
		const failure = describeFailure(error);
		if (deadline.aborted) {
			outcome = { failure: { networkCode: 'ETIMEDOUT', timedOutMs: send.timeoutMs } };
		} else if (send.signal?.aborted || executionSignal(ctx)?.aborted) {
			outcome = undefined; // the run stopped: not an answer to report
		} else {
			if (failure.dattoMessage) failure.dattoMessage = redact(failure.dattoMessage, await secretFormsOf(ctx, true));
			outcome = { failure };
		}
	}
	if (!outcome) {
		done();
		throw new GovernorStop('cancelled', 'The request was cancelled');
	}
	const failure = outcome.failure;
	const windowMs = account.governor.windowMs;
	const durationMs = account.governor.clock.now() - started;
	done({
		status: failure?.status,
		slowed: durationMs >= windowMs * SLOW_ANSWER_SHARE_OF_WINDOW,
		headerCount: headerCount(headers),
	});
	if (failure?.status === 429) {
		const waitMs = failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : undefined;
		if (!account.governor.pause(waitMs)) failure.waitTooLongMs = waitMs;
	} else if (failure && isIpBlock(failure)) {
		const seconds = blockSeconds(failure);
		account.governor.block(account.governor.clock.now() + (seconds !== undefined ? seconds * 1000 : DEFAULT_BLOCK_MS), failure.dattoMessage ?? 'This IP address is temporarily blocked');
	}
	return outcome;
}

/** Asks Datto how much of the window the whole account uses (the governor's view). */
async function fetchRateView(ctx: DattoContext, account: Account, signal: AbortSignal | undefined, timeoutMs: number): Promise<RateView | undefined> {
	const outcome = await sendOnce({
		ctx,
		account,
		options: { method: 'GET', url: `${account.baseUrl}/api/v2/system/request_rate`, json: true, headers: { Accept: 'application/json' } },
		safety: 'read',
		kind: 'read',
		signal,
		timeoutMs,
		calibration: true,
	});
	return outcome.failure ? undefined : parseRateView(outcome.body);
}
