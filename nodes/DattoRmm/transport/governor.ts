import { sleep } from 'n8n-workflow';

/**
 * The request governor: one per Datto account (credential) in this n8n process, shared by every
 * execution, so that together they stay under the budget the user set on the credential.
 *
 * Datto counts requests per account in a sliding window (600 per 60 s, shared by every user and
 * integration); past 90% it delays every answer by a second, past 100% it answers 429, and
 * sustained 429s block the caller's IP. We keep our own sends in the same sliding window, and learn
 * what others use from `/v2/system/request_rate` — the only account-wide view, which is also what
 * keeps several n8n worker processes (queue mode) from overrunning each other.
 */

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

export type RequestKind = 'read' | 'write';

/** Requests Datto keeps free for others before its own slow-down: a margin, not a target. */
const SAFETY_MARGIN_RATIO = 0.03;
/** Datto's documented per-operation write limit on newer accounts, used until calibrated. */
const DEFAULT_OPERATION_WRITE_LIMIT = 100;
/** Our write operations whose Datto budget has a known name (others share the smallest limit). */
const KNOWN_WRITE_OPERATIONS: Record<string, string> = {
	'POST /v2/device/{}/udf': 'device-udf-set',
};

export interface GovernorSettings {
	/** Requests per window this process may use at most (the credential's budget). */
	budget: number;
	/** Requests in flight at once for this account. */
	maxConcurrency: number;
}

export class RequestGovernor {
	/** Send times (ms) of our requests still inside the window, oldest first. */
	private readonly sent: number[] = [];
	private readonly writes = new Map<string, number[]>();
	private readonly waiting: Array<() => void> = [];
	private inFlight = 0;
	private pausedUntil = 0;
	private calibration?: Promise<void>;
	private calibratedAt = -Infinity;
	private othersCount = 0;
	private view?: RateView;
	windowMs = 60_000;
	/** Counts for the benchmark and tests. */
	readonly stats = { acquired: 0, waitedMs: 0, calibrations: 0, backoffs: 0 };

	constructor(public settings: GovernorSettings) {}

	/** Requests we may send per window now: our budget, less what others use near Datto's cut-off. */
	get allowance(): number {
		const { budget } = this.settings;
		if (!this.view) return budget;
		const cutOff = Math.floor(this.view.limit * this.view.cutOffRatio);
		const margin = Math.ceil(this.view.limit * SAFETY_MARGIN_RATIO);
		return Math.max(1, Math.min(budget, cutOff - this.othersCount - margin));
	}

	/** Writes of one operation we may send per window. */
	writeAllowance(operation: string): number {
		const named = KNOWN_WRITE_OPERATIONS[operation];
		const ops = this.view?.operations;
		let limit = DEFAULT_OPERATION_WRITE_LIMIT;
		if (ops && named && ops[named]) limit = ops[named].limit;
		else if (ops && Object.keys(ops).length) limit = Math.min(...Object.values(ops).map((o) => o.limit));
		else if (named === 'device-udf-set') limit = this.settings.budget;
		let allowed = Math.floor(limit * 0.9);
		if (this.view?.writeLimit !== undefined) {
			const others = Math.max(0, (this.view.writeCount ?? 0) - this.ownWrites());
			allowed = Math.min(allowed, Math.floor(this.view.writeLimit * 0.9) - others);
		}
		return Math.max(1, Math.min(allowed, this.allowance));
	}

	private ownWrites(): number {
		let n = 0;
		for (const list of this.writes.values()) n += list.length;
		return n;
	}

	private prune(now: number): void {
		const edge = now - this.windowMs;
		while (this.sent.length && this.sent[0] <= edge) this.sent.shift();
		for (const [op, list] of this.writes) {
			while (list.length && list[0] <= edge) list.shift();
			if (!list.length) this.writes.delete(op);
		}
	}

	/** Whether our use is high enough that others' use matters: then ask Datto for its view. */
	needsCalibration(now: number): boolean {
		if (this.calibration) return false;
		const busy = this.sent.length >= this.allowance / 4;
		return busy && now - this.calibratedAt > this.windowMs / 6;
	}

	/**
	 * Waits for a concurrency slot and room in the window, then counts the request as sent.
	 * Returns the release function to call when the answer (or failure) is in.
	 */
	async acquire(kind: RequestKind, operation = ''): Promise<() => void> {
		if (this.inFlight >= this.settings.maxConcurrency) {
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		} else {
			this.inFlight++;
		}
		const started = Date.now();
		for (;;) {
			const now = Date.now();
			this.prune(now);
			if (now < this.pausedUntil) {
				await sleep(this.pausedUntil - now);
				continue;
			}
			const writes = kind === 'write' ? (this.writes.get(operation) ?? []) : [];
			const overall = this.sent.length >= this.allowance;
			const perOperation = kind === 'write' && writes.length >= this.writeAllowance(operation);
			if (!overall && !perOperation) {
				this.sent.push(now);
				if (kind === 'write') this.writes.set(operation, [...writes, now]);
				this.stats.acquired++;
				this.stats.waitedMs += now - started;
				return () => this.release();
			}
			// Sleep until the oldest request that blocks us leaves the window (plus jitter).
			const oldest = perOperation && !overall ? writes[0] : this.sent[0];
			await sleep(Math.max(5, oldest + this.windowMs - now) + Math.random() * 20);
		}
	}

	private release(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.inFlight--;
	}

	/** Datto answered 429 or blocked: stop everyone for the wait it asked, then recalibrate. */
	backOff(retryAfterSeconds: number | undefined): void {
		this.stats.backoffs++;
		const waitMs = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : this.windowMs / 10;
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + waitMs);
		this.calibratedAt = -Infinity;
	}

	/** An answer took Datto's one-second slow-down: the account is past 90%, so look again. */
	slowAnswer(): void {
		this.calibratedAt = -Infinity;
	}

	/** Refreshes Datto's view once at a time; `fetchView` sends the request_rate call. */
	calibrate(fetchView: () => Promise<RateView | undefined>): Promise<void> {
		if (!this.calibration) {
			const ownAtStart = this.sent.length;
			this.calibration = fetchView()
				.then((view) => {
					if (!view) return;
					this.stats.calibrations++;
					this.view = view;
					this.windowMs = Math.max(1000, view.windowSeconds * 1000);
					this.prune(Date.now());
					// Datto's count includes our own sends (and this call).
					this.othersCount = Math.max(0, view.count - Math.max(ownAtStart, this.sent.length));
				})
				.catch(() => undefined)
				.finally(() => {
					this.calibratedAt = Date.now();
					this.calibration = undefined;
				});
		}
		return this.calibration;
	}
}

const governors = new Map<string, RequestGovernor>();

/** The governor for an account in this process; created on first use, settings kept current. */
export function governorFor(accountKey: string, settings: GovernorSettings): RequestGovernor {
	let governor = governors.get(accountKey);
	if (!governor) {
		governor = new RequestGovernor(settings);
		governors.set(accountKey, governor);
	} else {
		governor.settings = settings;
	}
	return governor;
}

/** Reads Datto's request_rate answer; undefined when it lacks the basic fields. */
export function parseRateView(answer: unknown): RateView | undefined {
	const a = answer as Record<string, unknown> | undefined;
	const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
	const windowSeconds = num(a?.slidingTimeWindowSizeSeconds);
	const limit = num(a?.accountRateLimit);
	const count = num(a?.accountCount);
	if (windowSeconds === undefined || limit === undefined || count === undefined) return undefined;
	const operations: Record<string, { limit: number; count: number }> = {};
	const status = a?.operationWriteStatus as Record<string, { limit?: unknown; count?: unknown }> | undefined;
	for (const [name, op] of Object.entries(status ?? {})) {
		const opLimit = num(op?.limit);
		if (opLimit !== undefined) operations[name] = { limit: opLimit, count: num(op?.count) ?? 0 };
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
