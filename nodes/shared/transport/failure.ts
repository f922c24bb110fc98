/**
 * What went wrong with one HTTP attempt, read out of whatever n8n's request helper threw.
 * The raw error is never kept: it carries the request's headers, and so the bearer token.
 */
export interface Failure {
	/** HTTP status, when the server answered. */
	status?: number;
	/** Datto's own message, from whichever of its three error-body forms it used. */
	dattoMessage?: string;
	/** Seconds to wait, from `Retry-After` when present. */
	retryAfterSeconds?: number;
	/** Transport error code (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ...) when there was no answer. */
	networkCode?: string;
	/** The answer arrived but was not the JSON it should have been. */
	malformedBody?: boolean;
	/** A read answered with nothing at all. */
	emptyBody?: boolean;
	/** The status line arrived but the connection ended before the whole body: a network failure. */
	bodyCut?: boolean;
	/** The whole answer did not arrive within the attempt's deadline (ms). */
	timedOutMs?: number;
	/** The server answered with a redirect (to this origin), which is never followed. */
	redirectTo?: string;
	/** Datto asked to wait longer (ms) than the shared pause allows. */
	waitTooLongMs?: number;
	/** The credential's token exchange failed (preAuthentication): its message, already safe to show. */
	credential?: { message: string; field?: string };
}

/** Errors the credential throws; n8n wraps them, so they are found in the cause chain. */
const CREDENTIAL_ERRORS = new Set(['DattoRmmAuthError', 'CredentialSetupError']);

const NETWORK_CODES = new Set([
	'ECONNABORTED',
	'ECONNREFUSED',
	'ECONNRESET',
	'EHOSTUNREACH',
	'ENETDOWN',
	'ENETUNREACH',
	'EPIPE',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
	'ENOTFOUND',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

function asObject(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** Walks `cause` links (n8n wraps the client's error in a NodeApiError). */
function* chain(error: unknown): Generator<Record<string, unknown>> {
	const seen = new Set<unknown>();
	let current = asObject(error);
	while (current && !seen.has(current)) {
		seen.add(current);
		yield current;
		current = asObject(current.cause);
	}
}

function headerValue(headers: unknown, name: string): string | undefined {
	const h = asObject(headers);
	if (!h) return undefined;
	const getter = h.get;
	if (typeof getter === 'function') {
		const v = (getter as (n: string) => unknown).call(h, name);
		if (v !== undefined && v !== null) return String(v);
	}
	for (const [key, value] of Object.entries(h)) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : String(value);
	}
	return undefined;
}

/** Seconds from a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** The most specific message in a Datto error body: Spring, OAuth or errorCode form. */
export function dattoMessageFrom(body: unknown): string | undefined {
	if (typeof body === 'string') {
		const text = body.trim();
		if (!text) return undefined;
		try {
			return dattoMessageFrom(JSON.parse(text));
		} catch {
			// An HTML error page says nothing useful to a workflow author.
			return text.startsWith('<') ? undefined : text.slice(0, 300);
		}
	}
	const b = asObject(body);
	if (!b) return undefined;
	if (typeof b.error_description === 'string') return b.error_description;
	const parts: string[] = [];
	if (typeof b.message === 'string' && b.message) parts.push(b.message);
	else if (typeof b.error === 'string' && b.error) parts.push(b.error);
	if (b.details !== undefined && b.details !== null) {
		const details = typeof b.details === 'string' ? b.details : JSON.stringify(b.details);
		if (details && details !== '{}' && details !== '[]') parts.push(details);
	}
	if (typeof b.errorCode === 'string' && parts.length) parts[0] = `${parts[0]} [${b.errorCode}]`;
	return parts.length ? parts.join(': ') : undefined;
}

/** Reads what happened from an error thrown by `httpRequestWithAuthentication`. */
export function describeFailure(error: unknown): Failure {
	const failure: Failure = {};
	for (const link of chain(error)) {
		if (typeof link.name === 'string' && CREDENTIAL_ERRORS.has(link.name)) {
			const field = typeof link.field === 'string' ? link.field : undefined;
			return { credential: { message: String(link.message), field } };
		}
		const response = asObject(link.response);
		if (failure.status === undefined && response && typeof response.status === 'number') {
			if (response.status < 300) {
				// A success status with an error means the body did not arrive whole.
				failure.bodyCut = true;
				failure.networkCode ??= 'ECONNRESET';
				continue;
			}
			failure.status = response.status;
			failure.dattoMessage = dattoMessageFrom(response.data ?? response.body);
			failure.retryAfterSeconds = parseRetryAfter(headerValue(response.headers, 'retry-after'));
			if (response.status < 400) {
				const location = headerValue(response.headers, 'location');
				failure.redirectTo = location ?? '(no Location header)';
			}
		}
		if (failure.networkCode === undefined && typeof link.code === 'string' && NETWORK_CODES.has(link.code)) {
			failure.networkCode = link.code;
		}
		if (
			failure.networkCode === undefined &&
			link.name === 'TypeError' &&
			link.message === 'terminated'
		) {
			failure.networkCode = 'ECONNRESET';
		}
		// The body stopped mid-stream (older n8n gives no response with this error).
		if (link.code === 'ERR_BAD_RESPONSE' && /aborted|terminated/i.test(String(link.message))) {
			failure.bodyCut = true;
			failure.networkCode ??= 'ECONNRESET';
		}
		if (link.name === 'SyntaxError') failure.malformedBody = true;
	}
	if (failure.bodyCut) delete failure.status;
	if (failure.status === undefined && failure.networkCode === undefined) {
		const top = asObject(error);
		const httpCode = top && Number(top.httpCode);
		if (httpCode && Number.isFinite(httpCode)) failure.status = httpCode;
		const message = top && typeof top.message === 'string' ? top.message : '';
		if (/socket hang up|timeout|timed out/i.test(message)) failure.networkCode = 'ECONNRESET';
	}
	return failure;
}

/** Datto answers an IP block with 403; a permission problem is also 403 but says something else. */
export function isIpBlock(failure: Failure): boolean {
	return failure.status === 403 && /block/i.test(failure.dattoMessage ?? '');
}

/** Seconds in Datto's block message ("Try again in 283 seconds"), when it says. */
export function blockSeconds(failure: Failure): number | undefined {
	if (failure.retryAfterSeconds !== undefined) return failure.retryAfterSeconds;
	const said = /(\d+)\s*seconds?/i.exec(failure.dattoMessage ?? '');
	return said ? Number(said[1]) : undefined;
}
