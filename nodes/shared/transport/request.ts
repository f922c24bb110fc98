import { getAccount } from './account';
import { sendOnce } from './attempt';
import { apiError, stoppedError } from './errors';
import type { Priority } from './governor/ticket';
import type { Outcome } from './responseBody';
import { backoffMs, DEFAULT_RETRY, isRetryable, type RetryPolicy } from './retryPolicy';
import type { DattoContext, DattoRequest } from './requestTypes';

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
