import type { Failure } from './failure';
import { isIpBlock } from './failure';
import { MAX_PAUSE_MS } from './governor/requestGovernor';
import type { RequestSafety } from './requestTypes';

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

/** Whether a failed attempt may be repeated, by what failed and how safe the request is to repeat. */
export function isRetryable(failure: Failure, safety: RequestSafety): boolean {
	if (failure.credential || failure.redirectTo !== undefined || failure.waitTooLongMs !== undefined) return false;
	if (failure.status === 429) return true;
	if (isIpBlock(failure)) return false;
	if (safety === 'create') return failure.networkCode === 'ECONNREFUSED';
	if (failure.networkCode || failure.malformedBody || failure.emptyBody) return true;
	return failure.status !== undefined && failure.status >= 500;
}

/** The wait before attempt `attempt + 1`: Retry-After when Datto gave one, else doubling steps with jitter. */
export function backoffMs(attempt: number, failure: Failure, policy: RetryPolicy): number {
	if (failure.retryAfterSeconds !== undefined) {
		// Honour the server, plus a little jitter so parallel callers do not return in lockstep.
		return Math.min(policy.maxDelayMs, MAX_PAUSE_MS, failure.retryAfterSeconds * 1000 + Math.random() * 250);
	}
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return ceiling / 2 + (Math.random() * ceiling) / 2;
}
