/**
 * Account-wide rate model: one sliding window for every /api request of the account (whatever the
 * token), a write window and per-operation write windows (newer accounts), a 90% slow-down, 429s
 * past the limits and a temporary IP block after sustained 429s. Window, delay and block length
 * divide by timeScale so tests can run the model in seconds.
 */
import type { ResolvedOptions } from './types.cjs';

/**
 * Datto's per-operation write budgets (facts doc: the names two independent clients built against
 * the live API use) and their limits per window: 600 for `device-udf-set`, 100 for the others.
 */
export const WRITE_BUDGETS: Readonly<Record<string, number>> = {
	'device-udf-set': 600,
	'device-job-create': 100,
	'user-reset-keys': 100,
	'site-variable-set': 100,
	'account-variable-set': 100,
	'device-proxy-set': 100,
};

/**
 * Every write operation (by operationId) and the budget it counts against besides the account's
 * write budget; null = no budget of its own (account write budget only). mute/unmute are dead
 * endpoints (404), so they are not writes here.
 */
export const WRITE_OPERATIONS: Readonly<Record<string, string | null>> = {
	setUdfFields: 'device-udf-set',
	createQuickJob: 'device-job-create',
	resetApiKeys: 'user-reset-keys',
	createSiteVariable: 'site-variable-set',
	updateSiteVariable: 'site-variable-set',
	deleteSiteVariable: 'site-variable-set',
	createAccountVariable: 'account-variable-set',
	updateAccountVariable: 'account-variable-set',
	deleteAccountVariable: 'account-variable-set',
	// A site's proxy settings, despite the name.
	updateProxy: 'device-proxy-set',
	deleteProxy: 'device-proxy-set',
	create: null,
	update: null,
	moveDevice: null,
	setWarrantyData: null,
	resolveAlert: null,
};

/** What a request is, for the rate model: a read, or a write with its budget (null: none). */
export type RateKind = { write: false } | { write: true; budget: string | null };

/** Timestamps inside a sliding window (append-only with a moving head: O(1) amortised). */
class Window {
	private times: number[] = [];
	private head = 0;

	prune(now: number, windowMs: number): void {
		const edge = now - windowMs;
		while (this.head < this.times.length && this.times[this.head] <= edge) this.head++;
		if (this.head > 1024 && this.head * 2 > this.times.length) {
			this.times = this.times.slice(this.head);
			this.head = 0;
		}
	}

	add(now: number): void {
		this.times.push(now);
	}

	get count(): number {
		return this.times.length - this.head;
	}

	/** Time of the oldest request still inside the window. */
	get oldest(): number | undefined {
		return this.head < this.times.length ? this.times[this.head] : undefined;
	}

	clear(): void {
		this.times = [];
		this.head = 0;
	}
}

export type Admission =
	| { ok: true; slowed: boolean; headers: Record<string, string> }
	| { ok: false; retryAfterMs: number; message: string; blockedNow: boolean; headers: Record<string, string> };

export class RateLimiter {
	private account = new Window();
	private write = new Window();
	private ops = new Map<string, Window>();
	private ip429 = new Map<string, Window>();
	private blocks = new Map<string, number>();

	constructor(private o: ResolvedOptions) {}

	get windowMs(): number {
		return 60_000 / this.o.timeScale;
	}

	/** The slow-down delay (1 s, scaled). */
	get slowDelayMs(): number {
		return 1000 / this.o.timeScale;
	}

	opLimit(op: string): number {
		return this.o.rateLimit.operationWrite[op] ?? WRITE_BUDGETS[op] ?? 100;
	}

	private opWindow(op: string): Window {
		let w = this.ops.get(op);
		if (!w) this.ops.set(op, (w = new Window()));
		return w;
	}

	private pruneAll(now: number): void {
		const ms = this.windowMs;
		this.account.prune(now, ms);
		this.write.prune(now, ms);
		for (const w of this.ops.values()) w.prune(now, ms);
	}

	/** Milliseconds the IP stays blocked (0 = not blocked). */
	blockedFor(ip: string, now = Date.now()): number {
		const until = this.blocks.get(ip);
		if (until === undefined) return 0;
		if (until <= now) {
			this.blocks.delete(ip);
			return 0;
		}
		return until - now;
	}

	private headers(now: number): Record<string, string> {
		if (!this.o.rateLimit.headers) return {};
		const limit = this.o.rateLimit.account;
		const oldest = this.account.oldest;
		// X-RateLimit-Reset: seconds until the oldest counted request leaves the window.
		const reset = oldest === undefined ? 0 : Math.max(0, Math.ceil((oldest + this.windowMs - now) / 1000));
		return {
			'X-RateLimit-Limit': String(limit),
			'X-RateLimit-Remaining': String(Math.max(0, limit - this.account.count)),
			'X-RateLimit-Reset': String(reset),
		};
	}

	/** Requests in the account's sliding window right now (as of the last admission or view). */
	get windowCount(): number {
		return this.account.count;
	}

	/** Count one authenticated /api request, or refuse it (429). */
	admit(ip: string, kind: RateKind, now = Date.now()): Admission {
		const rl = this.o.rateLimit;
		this.pruneAll(now);
		const writes = kind.write && rl.write !== null;
		const budget = kind.write ? kind.budget : null;
		if (rl.enabled) {
			const checks: [Window, number, string][] = [[this.account, rl.account, `Account request rate limit of ${rl.account} requests per ${this.windowSeconds()} seconds exceeded`]];
			if (writes) {
				checks.push([this.write, rl.write!, `Account write rate limit of ${rl.write} requests per ${this.windowSeconds()} seconds exceeded`]);
			}
			if (writes && budget) {
				const lim = this.opLimit(budget);
				checks.push([this.opWindow(budget), lim, `Write rate limit of operation '${budget}' (${lim} requests per ${this.windowSeconds()} seconds) exceeded`]);
			}
			for (const [w, limit, message] of checks) {
				if (w.count >= limit) {
					const retryAfterMs = Math.max(1, (w.oldest ?? now) + this.windowMs - now);
					const blockedNow = this.note429(ip, now);
					return { ok: false, retryAfterMs, message, blockedNow, headers: this.headers(now) };
				}
			}
		}
		this.account.add(now);
		if (writes) this.write.add(now);
		if (writes && budget) this.opWindow(budget).add(now);
		const slowed = rl.enabled && this.account.count >= rl.cutOffRatio * rl.account;
		return { ok: true, slowed, headers: this.headers(now) };
	}

	private windowSeconds(): number {
		return Math.round((this.windowMs / 1000) * 1000) / 1000;
	}

	/** Track 429s per IP; block the IP when they pile up inside one window. */
	private note429(ip: string, now: number): boolean {
		let w = this.ip429.get(ip);
		if (!w) this.ip429.set(ip, (w = new Window()));
		w.prune(now, this.windowMs);
		w.add(now);
		if (w.count >= this.o.rateLimit.ipBlockAfter429s) {
			w.clear();
			this.blocks.set(ip, now + (this.o.rateLimit.ipBlockSeconds * 1000) / this.o.timeScale);
			return true;
		}
		return false;
	}

	/** The live view GET /v2/system/request_rate reports. */
	snapshot(accountUid: string, now = Date.now()): Record<string, unknown> {
		this.pruneAll(now);
		const rl = this.o.rateLimit;
		const out: Record<string, unknown> = {
			slidingTimeWindowSizeSeconds: Math.max(1, Math.round(this.windowMs / 1000)),
			accountUid,
			accountCount: this.account.count,
			accountRateLimit: rl.account,
			accountCutOffRatio: rl.cutOffRatio,
		};
		if (rl.write !== null) {
			out.accountWriteRateLimit = rl.write;
			out.accountWriteCount = this.write.count;
			const ops: Record<string, { limit: number; count: number }> = {};
			for (const op of Object.keys(WRITE_BUDGETS)) ops[op] = { limit: this.opLimit(op), count: this.ops.get(op)?.count ?? 0 };
			out.operationWriteStatus = ops;
		}
		return out;
	}

	reset(): void {
		this.account.clear();
		this.write.clear();
		this.ops.clear();
		this.ip429.clear();
		this.blocks.clear();
	}
}
