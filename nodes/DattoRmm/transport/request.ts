import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { describeFailure, isIpBlock, type Failure } from './failure';
import { GovernorStop } from './governor/governorStop';
import { parseRateView, type RateView } from './governor/rateView';
import { governorFor } from './governor/registry';
import { MAX_PAUSE_MS, type RequestGovernor } from './governor/requestGovernor';
import type { Priority } from './governor/ticket';
import { checkBaseUrl } from './platforms';
import { containsSecret, formsOf, redact } from './redact';

export const CREDENTIAL_TYPE = 'dattoRmmApi';

/** Every n8n context our code sends requests from. */
export type DattoContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IWebhookFunctions;

/**
 * How safe a request is to repeat after a failure that leaves its fate unknown.
 * - `read`: GET; repeat freely.
 * - `idempotent`: a write whose repetition changes nothing more (set UDFs, resolve an alert, ...).
 * - `create`: a write that must not run twice (PUT creates, reset API keys): repeated only when
 *   the API surely did not process it (429, or the connection was refused before sending).
 */
export type RequestSafety = 'read' | 'idempotent' | 'create';

export interface DattoRequest {
	method: IHttpRequestMethods;
	/** API path below `{base}/api` (e.g. `/v2/account/devices`), or an absolute URL already checked to be ours. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	safety?: RequestSafety;
	/** Shown in a 404's hint, e.g. `device "abc"`. */
	notFoundHint?: string;
}

export interface RetryPolicy {
	/** Further attempts after the first one. */
	maxRetries: number;
	/** First backoff step; doubles per attempt, with jitter. */
	baseDelayMs: number;
	/** Longest single wait between attempts, whatever `Retry-After` asks. */
	maxDelayMs: number;
	/** Deadline for one attempt's whole answer (not only for silence). */
	timeoutMs: number;
	/** Deadline for all attempts of one request and the waits between them. */
	totalTimeoutMs: number;
}

/** All attempts of one request, with the waits between them, take at most this many attempt deadlines. */
export const TOTAL_TIME_PER_ATTEMPT_TIME = 4;

export const DEFAULT_RETRY: RetryPolicy = {
	maxRetries: 4,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	timeoutMs: 30_000,
	totalTimeoutMs: 30_000 * TOTAL_TIME_PER_ATTEMPT_TIME,
};

export interface RequestOptions {
	itemIndex?: number;
	retry?: Partial<RetryPolicy>;
	/** Datto's per-operation write budget that this operation's writes count against (see OperationSpec). */
	writeBudget?: string;
	/** Aborted when the work this request belongs to has failed or was cancelled: nothing more is sent. */
	signal?: AbortSignal;
	/** Background work (trigger polls) gives way to workflows. */
	priority?: Priority;
}

/** Requests in flight at once per account: enough to keep the budget busy at Datto's latencies. */
const MAX_CONCURRENCY = 24;

interface Account {
	baseUrl: string;
	governor: RequestGovernor;
}

const accounts = new WeakMap<object, Promise<Account>>();

/** The credential's fixed request budget, or undefined to follow Datto's free room (the default). */
function fixedBudget(credentials: ICredentialDataDecryptedObject): number | undefined {
	if (credentials.budgetMode !== 'fixed') return undefined;
	const budget = Number(credentials.requestBudget);
	return Number.isFinite(budget) && budget >= 1 ? Math.floor(budget) : undefined;
}

/** The credential's server and request governor, resolved once per execution context. */
function getAccount(ctx: DattoContext): Promise<Account> {
	let pending = accounts.get(ctx);
	if (!pending) {
		pending = ctx.getCredentials(CREDENTIAL_TYPE).then((credentials) => {
			const checked = checkBaseUrl(credentials);
			if (!('url' in checked)) {
				throw new NodeOperationError(ctx.getNode(), checked.message, {
					description: `Open the Datto RMM API credential and fix its "${checked.field}" field.`,
				});
			}
			const governor = governorFor(`${checked.url}|${String(credentials.apiKey ?? '')}`, {
				fixedBudget: fixedBudget(credentials),
				maxConcurrency: MAX_CONCURRENCY,
			});
			return { baseUrl: checked.url, governor };
		});
		accounts.set(ctx, pending);
	}
	return pending;
}

/** The credential's server root, e.g. for checking next-page links. */
export async function getBaseUrl(ctx: DattoContext): Promise<string> {
	return (await getAccount(ctx)).baseUrl;
}

const secretForms = new WeakMap<object, Promise<string[]>>();

/**
 * What must never appear in anything we produce, in every form: the API secret and the stored
 * token. Read once per execution context; `fresh` reads again (n8n stores a renewed token with
 * the credential), as every failure does before its message is built.
 */
function secretFormsOf(ctx: DattoContext, fresh = false): Promise<string[]> {
	let forms = fresh ? undefined : secretForms.get(ctx);
	if (!forms) {
		forms = ctx.getCredentials(CREDENTIAL_TYPE).then(
			(credentials) => formsOf([String(credentials.apiSecret ?? ''), String(credentials.accessToken ?? '')]),
			() => [],
		);
		secretForms.set(ctx, forms);
	}
	return forms;
}

/** Datto delays answers by one second once the account is past 90% of its window. */
const SLOW_ANSWER_SHARE_OF_WINDOW = 1 / 60;

type Outcome = { body: unknown; failure?: undefined } | { failure: Failure; body?: undefined };

/** Objects with more keys than this come out of JSON.parse in V8's slow dictionary form. */
const LARGE_OBJECT_KEYS = 64;

/**
 * JSON.parse leaves objects with many keys (a device's udf1..udf300) in V8's dictionary form,
 * about 12 KB each; a structured clone is compact (about 2.5 KB, one hidden class shared by all
 * devices) and is the fastest such copy (~65 µs). Done at once after parsing, so the slow
 * originals die young: a Return All of 50,000 live-shaped devices peaks at 470 MB, not 898 MB.
 */
function compactLargeObjects(value: unknown): unknown {
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) value[i] = compactLargeObjects(value[i]);
		return value;
	}
	if (!value || typeof value !== 'object') return value;
	const keys = Object.keys(value);
	if (keys.length > LARGE_OBJECT_KEYS) return structuredClone(value);
	const object = value as IDataObject;
	for (const key of keys) {
		const nested = object[key];
		if (nested && typeof nested === 'object') object[key] = compactLargeObjects(nested) as IDataObject;
	}
	return object;
}

/** The answer's body: parsed here (see compactLargeObjects); a broken or empty one fails a read, not a write. */
function parseAnswer(text: string, safety: RequestSafety): Outcome {
	if (text.trim() === '') return safety === 'read' ? { failure: { status: 200, emptyBody: true } } : { body: undefined };
	try {
		return { body: compactLargeObjects(JSON.parse(text)) };
	} catch {
		// A create that succeeded must not be reported as failed (and so repeated) over its body.
		return safety === 'create' ? { body: text } : { failure: { status: 200, malformedBody: true } };
	}
}

/** Dot segments and empty segments would change which endpoint a path names. */
function checkPath(url: string): void {
	const path = new URL(url).pathname.replace(/^\/api\//, '');
	if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..' || /^%2e(%2e)?$/i.test(segment) || /^\.%2e$|^%2e\.$/i.test(segment))) {
		throw new PathError(path);
	}
}

/** A path that would not name the endpoint it was built for; the node reports it as bad input. */
export class PathError extends Error {
	constructor(readonly path: string) {
		super(`The request path "/${path}" has an empty, "." or ".." segment`);
		this.name = 'PathError';
	}
}

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

/** Seconds in Datto's block message ("Try again in 283 seconds"), when it says. */
function blockSeconds(failure: Failure): number | undefined {
	if (failure.retryAfterSeconds !== undefined) return failure.retryAfterSeconds;
	const said = /(\d+)\s*seconds?/i.exec(failure.dattoMessage ?? '');
	return said ? Number(said[1]) : undefined;
}

/** Datto's "about five minutes" when a block says nothing of its length. */
const DEFAULT_BLOCK_MS = 5 * 60_000;

interface Send {
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
async function sendOnce(send: Send): Promise<Outcome> {
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

function isRetryable(failure: Failure, safety: RequestSafety): boolean {
	if (failure.credential || failure.redirectTo !== undefined || failure.waitTooLongMs !== undefined) return false;
	if (failure.status === 429) return true;
	if (isIpBlock(failure)) return false;
	if (safety === 'create') return failure.networkCode === 'ECONNREFUSED';
	if (failure.networkCode || failure.malformedBody || failure.emptyBody) return true;
	return failure.status !== undefined && failure.status >= 500;
}

function backoffMs(attempt: number, failure: Failure, policy: RetryPolicy): number {
	if (failure.retryAfterSeconds !== undefined) {
		// Honour the server, plus a little jitter so parallel callers do not return in lockstep.
		return Math.min(policy.maxDelayMs, MAX_PAUSE_MS, failure.retryAfterSeconds * 1000 + Math.random() * 250);
	}
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return ceiling / 2 + (Math.random() * ceiling) / 2;
}

/**
 * One Datto RMM API call with authentication (n8n renews the token on a 401 and retries once),
 * retries by request safety within a total deadline, and errors that carry Datto's message and a
 * hint. Nothing is sent once `options.signal` aborts or while Datto blocks this IP.
 */
export async function dattoRequest<T = unknown>(
	ctx: DattoContext,
	request: DattoRequest,
	options: RequestOptions = {},
): Promise<T> {
	const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
	const safety = request.safety ?? (request.method === 'GET' ? 'read' : 'create');
	const account = await getAccount(ctx);
	const url = /^https?:\/\//.test(request.path) ? request.path : `${account.baseUrl}/api${request.path}`;
	const clock = account.governor.clock;
	const started = clock.now();
	// A signal of this request's own, following the run's: waits listen to it, not to the run's
	// signal that every concurrent request shares.
	const signal = options.signal ? AbortSignal.any([options.signal]) : undefined;

	for (let attempt = 0; ; attempt++) {
		let outcome: Outcome;
		try {
			outcome = await sendOnce({
				ctx,
				account,
				options: { method: request.method, url, qs: request.qs, body: request.body, json: true, headers: { Accept: 'application/json' } },
				safety,
				kind: request.method === 'GET' ? 'read' : 'write',
				writeBudget: options.writeBudget,
				priority: options.priority,
				signal,
				timeoutMs: Math.min(policy.timeoutMs, Math.max(1000, policy.totalTimeoutMs - (clock.now() - started))),
			});
		} catch (error) {
			throw stoppedError(ctx, error, request, options.itemIndex);
		}
		if (!outcome.failure) return outcome.body as T;
		const failure = outcome.failure;
		const wait = backoffMs(attempt, failure, policy);
		const withinTotal = clock.now() - started + wait + policy.baseDelayMs < policy.totalTimeoutMs;
		if (attempt < policy.maxRetries && withinTotal && isRetryable(failure, safety)) {
			try {
				await clock.wait(wait, signal);
			} catch (error) {
				throw stoppedError(ctx, error, request, options.itemIndex);
			}
			continue;
		}
		throw apiError(ctx, failure, request, safety, attempt, options.itemIndex);
	}
}

function clockTime(epochMs: number): string {
	return `${new Date(epochMs).toISOString().slice(11, 19)} UTC`;
}

/** The error for a request that was not sent: the IP block still on, a bad path, or a cancelled run. */
function stoppedError(ctx: DattoContext, error: unknown, request: DattoRequest, itemIndex?: number): Error {
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
