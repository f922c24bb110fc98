import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { describeFailure, isIpBlock, type Failure } from './failure';
import { governorFor, parseRateView, type RequestGovernor } from './governor';
import { checkBaseUrl } from './platforms';

export const CREDENTIAL_TYPE = 'dattoRmmApi';

/** Every n8n context our code sends requests from. */
export type DattoContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

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
	/** Longest single wait, whatever `Retry-After` asks. */
	maxDelayMs: number;
	/** Per-attempt timeout. */
	timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
	maxRetries: 4,
	baseDelayMs: 500,
	maxDelayMs: 60_000,
	timeoutMs: 60_000,
};

export interface RequestOptions {
	itemIndex?: number;
	retry?: Partial<RetryPolicy>;
	/** Datto's per-operation write budget that this operation's writes count against (see OperationSpec). */
	writeBudget?: string;
}

/** Requests per window a credential may use unless it says otherwise: two thirds of Datto's 600. */
export const DEFAULT_REQUEST_BUDGET = 400;
/** Requests in flight at once per account: enough to keep the budget busy at Datto's latencies. */
const MAX_CONCURRENCY = 24;

interface Account {
	baseUrl: string;
	governor: RequestGovernor;
}

const accounts = new WeakMap<object, Promise<Account>>();

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
			const budget = Number(credentials.requestBudget);
			const governor = governorFor(`${checked.url}|${String(credentials.apiKey ?? '')}`, {
				budget: Number.isFinite(budget) && budget >= 1 ? Math.floor(budget) : DEFAULT_REQUEST_BUDGET,
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

/** Per-operation write budgets are per endpoint: the path with its IDs taken out. */
function operationKey(method: string, path: string): string {
	return `${method} ${path.replace(/^https?:\/\/[^/]+\/api/, '').split('?')[0].replace(/\/(?!v2(?=\/|$))[^/]*\d[^/]*/g, '/{}')}`;
}

/** Datto delays answers by one second once the account is past 90% of its window. */
const SLOW_ANSWER_MS = 1000;

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

/** The answer's body: parsed here (see compactLargeObjects); a broken one fails a read, not a write. */
function parseAnswer(text: unknown, safety: RequestSafety): Outcome {
	if (typeof text !== 'string') return { body: text };
	if (text.trim() === '') return { body: undefined };
	try {
		return { body: compactLargeObjects(JSON.parse(text)) };
	} catch {
		// A create that succeeded must not be reported as failed (and so repeated) over its body.
		return safety === 'create' ? { body: text } : { failure: { status: 200, malformedBody: true } };
	}
}

/** One HTTP attempt under the governor. */
async function sendOnce(ctx: DattoContext, account: Account, options: IHttpRequestOptions, safety: RequestSafety): Promise<Outcome> {
	const kind = options.method === 'GET' || options.method === undefined ? 'read' : 'write';
	const release = await account.governor.acquire(kind, operationKey(String(options.method ?? 'GET'), String(options.url)));
	const started = Date.now();
	let outcome: Outcome;
	try {
		const text = await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, { ...options, encoding: 'text' });
		outcome = parseAnswer(text, safety);
	} catch (error) {
		outcome = { failure: describeFailure(error) };
	} finally {
		release();
	}
	if (outcome.failure?.status === 429) account.governor.backOff(outcome.failure.retryAfterSeconds);
	else if (Date.now() - started >= SLOW_ANSWER_MS) account.governor.slowAnswer();
	return outcome;
}

/** Asks Datto how much of the window the whole account uses (our governor's calibration). */
async function calibrate(ctx: DattoContext, account: Account, timeoutMs: number): Promise<void> {
	await account.governor.calibrate(async () => {
		const outcome = await sendOnce(
			ctx,
			account,
			{ method: 'GET', url: `${account.baseUrl}/api/v2/system/request_rate`, json: true, timeout: timeoutMs },
			'read',
		);
		return outcome.failure ? undefined : parseRateView(outcome.body);
	});
}

function isRetryable(failure: Failure, safety: RequestSafety): boolean {
	if (failure.credential) return false;
	if (failure.status === 429) return true;
	if (isIpBlock(failure)) return false;
	if (safety === 'create') return failure.networkCode === 'ECONNREFUSED';
	if (failure.networkCode || failure.malformedBody) return true;
	return failure.status !== undefined && failure.status >= 500;
}

function backoffMs(attempt: number, failure: Failure, policy: RetryPolicy): number {
	if (failure.retryAfterSeconds !== undefined) {
		// Honour the server, plus a little jitter so parallel callers do not return in lockstep.
		return Math.min(policy.maxDelayMs, failure.retryAfterSeconds * 1000 + Math.random() * 250);
	}
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return ceiling / 2 + (Math.random() * ceiling) / 2;
}

/**
 * One Datto RMM API call with authentication (n8n renews the token on a 401 and retries once),
 * retries by request safety, and errors that carry Datto's message and a hint.
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

	for (let attempt = 0; ; attempt++) {
		if (account.governor.needsCalibration(Date.now())) await calibrate(ctx, account, policy.timeoutMs);
		const outcome = await sendOnce(
			ctx,
			account,
			{
				method: request.method,
				url,
				qs: request.qs,
				body: request.body,
				json: true,
				timeout: policy.timeoutMs,
				headers: { Accept: 'application/json' },
			},
			safety,
		);
		if (!outcome.failure) return outcome.body as T;
		const failure = outcome.failure;
		if (attempt < policy.maxRetries && isRetryable(failure, safety)) {
			await sleep(backoffMs(attempt, failure, policy));
			continue;
		}
		throw apiError(ctx, failure, request, safety, attempt, options.itemIndex);
	}
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
	const where = `${request.method} ${request.path.replace(/^https?:\/\/[^/]+\/api/, '')}`;
	const said = failure.dattoMessage ? `: ${failure.dattoMessage}` : '';
	const tried = retries > 0 ? ` (tried ${retries + 1} times)` : '';
	let message: string;
	let description: string;
	let mayHaveHappened = false;

	if (failure.credential) {
		message = failure.credential.message;
		description = failure.credential.field
			? `Open the Datto RMM API credential and check its "${failure.credential.field}" field.`
			: 'Open the Datto RMM API credential and check its Platform, API Key and API Secret.';
	} else if (failure.status === undefined) {
		mayHaveHappened = safety === 'create' && failure.networkCode !== 'ECONNREFUSED';
		message = mayHaveHappened
			? `Datto RMM did not answer ${where}, and the change may have been made`
			: `Could not reach Datto RMM for ${where}${tried}`;
		description = mayHaveHappened
			? `The connection failed (${failure.networkCode ?? 'no answer'}) after the request was sent. It was not repeated, so nothing is done twice: check in Datto RMM whether it took effect before running it again.`
			: `The connection failed (${failure.networkCode ?? 'no answer'}). Check the credential's Platform or Base URL and this machine's network access to it.`;
	} else if (failure.malformedBody) {
		message = `Datto RMM sent an unreadable answer to ${where}${tried}`;
		description = 'The response body was not valid JSON. This is usually transient: run the workflow again.';
	} else if (failure.status === 401) {
		message = `Datto RMM refused the credential (HTTP 401)${said}`;
		description =
			'A fresh token was fetched and still refused. Check the Datto RMM API credential: the Platform must be the one your account is on, and the API user must exist, not be locked, and have API access enabled.';
	} else if (isIpBlock(failure)) {
		message = `Datto RMM has temporarily blocked this IP address (HTTP 403)${said}`;
		description =
			'Too many requests were refused for rate limiting, so Datto blocked the caller for a few minutes (about five). Nothing was retried. Pause workflows using Datto RMM, wait, then run again; lower the request budget on the credential if it recurs.';
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
	} else if (failure.status === 429) {
		message = `Datto RMM rate limit reached for ${where} (HTTP 429)${tried}${said}`;
		description =
			'The account has used its 600 requests per minute (shared by every integration). Wait a minute, or spread the workflow out; lower the request budget on the credential if other tools share the account.';
	} else if (failure.status >= 500 && safety === 'create') {
		mayHaveHappened = true;
		message = `Datto RMM failed on ${where} (HTTP ${failure.status}), and the change may have been made${said}`;
		description =
			'The request was not repeated, so nothing is done twice: check in Datto RMM whether it took effect before running it again.';
	} else {
		message = `Datto RMM failed on ${where} (HTTP ${failure.status})${tried}${said}`;
		description = 'This is usually transient on Datto\'s side: run the workflow again later.';
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
