/** Datto's account-wide view, from `GET /v2/system/request_rate`. */
export interface RateView {
	windowSeconds: number;
	limit: number;
	cutOffRatio: number;
	count: number;
	writeLimit?: number;
	writeCount?: number;
	operations?: Record<string, { limit: number; count: number }>;
}

/** Reads Datto's request_rate answer; undefined when it lacks the basic fields. */
export function parseRateView(answer: unknown): RateView | undefined {
	const a = answer as Record<string, unknown> | undefined;
	const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
	const windowSeconds = num(a?.slidingTimeWindowSizeSeconds);
	const limit = num(a?.accountRateLimit);
	const count = num(a?.accountCount);
	if (windowSeconds === undefined || limit === undefined || count === undefined || limit < 1) return undefined;
	const operations: Record<string, { limit: number; count: number }> = {};
	const status = a?.operationWriteStatus as Record<string, { limit?: unknown; count?: unknown }> | undefined;
	for (const [name, op] of Object.entries(status ?? {})) {
		const opLimit = num(op?.limit);
		if (opLimit !== undefined && opLimit >= 1) operations[name] = { limit: opLimit, count: num(op?.count) ?? 0 };
	}
	return {
		windowSeconds,
		limit,
		count,
		cutOffRatio: num(a?.accountCutOffRatio) ?? 0.9,
		writeLimit: num(a?.accountWriteRateLimit),
		writeCount: num(a?.accountWriteCount),
		operations: Object.keys(operations).length ? operations : undefined,
	};
}
