import { sleep } from 'n8n-workflow';

/**
 * The request governor: one per Datto account (credential) in this n8n process, shared by every
 * execution in it.
 *
 * Datto counts requests per account in a sliding window (600 per 60 s, shared by every user,
 * integration and n8n process); past 90% it delays every answer by a second, past 100% it answers
 * 429, and sustained 429s block the caller's IP. Processes of one n8n (queue mode) or of several
 * share nothing but Datto's own view, `GET /v2/system/request_rate`, so each governor negotiates
 * its share through it:
 *
 * - A share is how many of our requests may be in the window. Without a fresh view it is a small
 *   blind step above what we use, so light work never costs a calibration call.
 * - Blocked by its share, a governor asks Datto for the account's count and claims a quarter of
 *   what is free below the target (the slow-down line less a margin for tools that start later).
 *   Four processes claiming from the same view at once fill the target exactly; each later view
 *   already shows their claims, so growth stays under the line.
 * - A full account with others in it makes a governor that holds more than the others, or sees
 *   them grow, give some back (at most once per half window), so shares converge to fair ones.
 *   Over the target, everyone cuts in proportion.
 * - Background work (trigger polls) claims only while the account is less than half used.
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
/** Background requests (trigger polls) give way to workflows. */
export type Priority = 'normal' | 'background';

/** A time source: the real one, or a virtual one in tests. */
export interface Clock {
	now(): number;
	/** Resolves after `ms`, or rejects at once when `signal` aborts. */
	wait(ms: number, signal?: AbortSignal): Promise<void>;
}

function cancelled(): GovernorStop {
	return new GovernorStop('cancelled', 'The request was cancelled');
}

export const realClock: Clock = {
	now: () => Date.now(),
	wait: (ms, signal) => {
		if (!signal) return sleep(ms);
		if (signal.aborted) return Promise.reject(cancelled());
		return new Promise<void>((resolve, reject) => {
			const onAbort = () => reject(cancelled());
			signal.addEventListener('abort', onAbort, { once: true });
			// n8n-workflow's sleep takes the signal since 2.x (older ones wait on; we answer at once).
			sleep(ms, signal).then(
				() => {
					signal.removeEventListener('abort', onAbort);
					resolve();
				},
				() => undefined,
			);
		});
	},
};

/** Why the governor refused to send: cancelled (the execution stopped), blocked (Datto blocked this IP). */
export class GovernorStop extends Error {
	constructor(
		readonly reason: 'cancelled' | 'blocked',
		message: string,
		/** For `blocked`: when (epoch ms) the block is expected to be over. */
		readonly until?: number,
	) {
		super(message);
		this.name = 'GovernorStop';
	}
}

/** Share of the account kept free below Datto's slow-down line, for tools that start later. */
const MARGIN_RATIO = 0.05;
/** A share may grow this far (of the limit) above our own use without a fresh view. */
const BLIND_RATIO = 0.01;
/**
 * Part of the free room one view lets a governor claim: five processes claiming from the same
 * view fill it exactly; the fifth's part covers what a view cannot see yet (requests in flight).
 * Alone on the account for two views running (any process starting shows its blind step), half.
 */
const CLAIM_RATIO = 0.2;
const CLAIM_RATIO_ALONE = 0.5;
/** Others' growth (part of the limit) between two views that says they want more room. */
const GROWTH_RATIO = 0.05;
/** Part of its share a governor gives back when the account is full and others want room. */
const YIELD_RATIO = 0.125;
/** Background work claims room only while the account is below this part of the target. */
const BACKGROUND_CEILING = 0.5;
/** Longest shared pause (ms) after a 429, whatever Retry-After asks; past it, requests fail. */
export const MAX_PAUSE_MS = 60_000;
/** Datto's documented write limits, used until a view gives the account's own. */
const DEFAULT_WRITE_LIMIT = 600;
const DEFAULT_OPERATION_LIMITS: Record<string, number> = { 'device-udf-set': 600 };
const DEFAULT_OPERATION_LIMIT = 100;

/**
 * Our own requests inside the window, oldest first: by send time while in flight, then by answer
 * time. Datto counts a request when it arrives, which can be long after we sent it when it is
 * busy; it has surely arrived by the time its answer does, so a request stays in our window until
 * a full window after its answer, never leaving ours before it leaves Datto's.
 */
class SendWindow {
	private times: number[] = [];

	prune(edge: number): void {
		let n = 0;
		while (n < this.times.length && this.times[n] <= edge) n++;
		if (n) this.times.splice(0, n);
	}

	add(at: number): void {
		this.times.push(at);
	}

	/** The request sent at `sentAt` was answered at `answeredAt`: it counts from then. */
	answered(sentAt: number, answeredAt: number): void {
		const at = this.times.indexOf(sentAt);
		if (at < 0) return; // already out of the window
		this.times.splice(at, 1);
		let i = this.times.length;
		while (i > 0 && this.times[i - 1] > answeredAt) i--;
		this.times.splice(i, 0, answeredAt);
	}

	get count(): number {
		return this.times.length;
	}

	get oldest(): number | undefined {
		return this.times[0];
	}
}

/** Our counts at the moment a view was asked for. */
export interface ViewMoment {
	/** Our `sent` total (the view's count includes these, unless in flight). */
	sent: number;
	/** Our requests in the window. */
	own: number;
	/** Our requests sent but not answered yet. */
	inFlight: number;
}

/** One of Datto's counters (the account, its writes, one named write budget) and our share of it. */
export class Bucket {
	readonly own = new SendWindow();
	share: number;
	/** Our requests counted in this bucket since the governor began (to know what a view missed). */
	sent = 0;
	private lastYield = -Infinity;
	private previousOthers?: number;
	private previousViewAt = -Infinity;
	/** No one else in the last two views. */
	alone = false;
	/** When work last waited on this bucket: a share not used for a while is let go. */
	lastBlocked = -Infinity;

	constructor(
		readonly name: string,
		public limit: number,
		public cutOffRatio = 0.9,
	) {
		this.share = this.blind;
	}

	get target(): number {
		return Math.max(1, Math.floor(this.limit * this.cutOffRatio) - Math.ceil(this.limit * MARGIN_RATIO));
	}

	get blind(): number {
		return Math.max(2, Math.ceil(this.limit * BLIND_RATIO));
	}

	/**
	 * Requests we may have in the window now. Use it or lose it: room we hold but have not needed
	 * for a while (or without a fresh view) looks free to others, who may claim it, so it is let go
	 * down to a blind step above what we use.
	 */
	allowance(now: number, windowMs: number, viewFresh: boolean, cap = Infinity): number {
		if (!viewFresh || now - this.lastBlocked > windowMs / 4) this.share = Math.max(this.blind, Math.min(this.share, this.own.count + this.blind));
		return Math.max(1, Math.min(this.share, cap));
	}

	record(at: number): void {
		this.own.add(at);
		this.sent++;
	}

	/**
	 * A view of Datto's count for this bucket, asked for at moment `at`; `blocked`: work waits on it.
	 * Returns whether to look again soon: it claimed room, or others left room they may take back.
	 */
	observe(count: number, at: ViewMoment, now: number, windowMs: number, blocked: boolean, priority: Priority): boolean {
		const ownNow = this.own.count;
		const sentSince = Math.max(0, this.sent - at.sent);
		// What the account holds now: the count and ours sent since; at worst also our requests
		// that were in flight when it was taken (perhaps not counted yet).
		const projected = count + sentSince;
		const worst = projected + at.inFlight;
		const others = Math.max(0, count - at.own);
		const othersGrew = this.previousOthers !== undefined && others > this.previousOthers + Math.ceil(this.limit * GROWTH_RATIO);
		this.alone = this.previousOthers !== undefined && Math.max(others, this.previousOthers) < this.blind / 2;
		// Room others left since a recent view may be theirs still: their oldest requests left
		// Datto's window a moment before they could send the next ones (they count theirs from the
		// answer, Datto from the arrival). Claimed at once, it would be taken twice.
		const othersLeft = now - this.previousViewAt <= windowMs / 2 ? Math.max(0, (this.previousOthers ?? 0) - others) : 0;
		this.previousOthers = others;
		this.previousViewAt = now;
		const target = this.target;
		const canMove = now - this.lastYield >= windowMs / 2;

		const over = projected > target + this.blind;
		const fair = Math.max(this.blind, Math.floor((ownNow * target) / Math.max(projected, 1)));
		if (others > 0 && projected >= target - this.blind && canMove && (othersGrew || ownNow > others)) {
			// Full, and others want room (they grew) or we hold more than all of them: give some back.
			const give = Math.max(Math.ceil(ownNow * YIELD_RATIO), Math.floor((ownNow - others) / 2));
			this.share = Math.max(this.blind, Math.min(this.share, ownNow - give, over ? fair : Infinity));
			this.lastYield = now;
			return false;
		}
		if (over) {
			// Over the target: everyone gives back their part of the excess at once (never takes more).
			this.share = Math.max(this.blind, Math.min(this.share, fair));
			return false;
		}
		if (!blocked) {
			// Use it or lose it: room we hold but do not use would look free to others.
			this.share = Math.max(this.blind, Math.min(this.share, ownNow + this.blind));
			return false;
		}
		const ceiling = priority === 'background' ? Math.floor(target * BACKGROUND_CEILING) : target;
		const free = ceiling - worst - othersLeft;
		// Room others just left: look again once they could have taken it back.
		if (!canMove || free <= 0) return othersLeft > 0 && canMove;
		// Alone, the last crumbs come in a few big steps; with others, a fifth of the room is all, and
		// crumbs too small to split are left (several claiming the same crumbs would overshoot).
		const claim = this.alone ? Math.min(free, Math.max(4 * this.blind, Math.floor(free * CLAIM_RATIO_ALONE))) : Math.floor(free * CLAIM_RATIO);
		if (claim < 1) return false;
		const before = this.share;
		this.share = Math.max(this.share, ownNow + claim);
		return this.share > before;
	}

	/** A 429 or a slowed answer: the account is past the line, so halve our share at once. */
	cut(): void {
		this.share = Math.max(this.blind, Math.floor(this.own.count / 2));
	}
}

export interface GovernorSettings {
	/** A fixed most-requests-per-window for this process; undefined follows Datto's free room. */
	fixedBudget?: number;
	/** Requests in flight at once for this account. */
	maxConcurrency: number;
}

export interface Ticket {
	kind: RequestKind;
	/** Datto's name of the write budget a write counts against (see OperationSpec.writeBudget). */
	writeBudget?: string;
	priority?: Priority;
	signal?: AbortSignal;
	/** Sends `GET /v2/system/request_rate` (as a calibration ticket) and reads it. */
	fetchView?: () => Promise<RateView | undefined>;
	/** The request_rate call itself: counted, but never held back by the share. */
	calibration?: boolean;
}

/** What the answer told us about the account, given back when the request is done. */
export interface Feedback {
	status?: number;
	/** The answer took as long as Datto's slow-down (the account may be past 90%). */
	slowed?: boolean;
	/** The account's count from X-RateLimit-* headers, when Datto sent them. */
	headerCount?: number;
}

interface Waiter {
	priority: Priority;
	resolve: () => void;
	reject: (error: Error) => void;
}

export class RequestGovernor {
	readonly account: Bucket;
	private writeBucket?: Bucket;
	private readonly operations = new Map<string, Bucket>();
	/** Write budget names the account's view does not list: those writes count in the write bucket only. */
	private readonly unbudgeted = new Set<string>();
	private writeLimitsKnown = true;
	windowMs = 60_000;
	/** When the last view arrived, and when the last attempt to get one ended. */
	private viewAt = -Infinity;
	private calibratedAt = -Infinity;
	/** Wait before the next view: two round trips after a claim, a third of the window once full. */
	private viewGap = 0;
	private calibration?: Promise<void>;
	/** Concurrency slots taken (by requests on the wire and by those waiting for room). */
	private inFlight = 0;
	/** Requests sent and not answered yet. */
	private onTheWire = 0;
	/** Workflow (not background) requests waiting for room in the window. */
	private workflowsWaiting = 0;
	private readonly waiting: Waiter[] = [];
	private pausedUntil = 0;
	private blockedUntil = 0;
	private blockMessage = '';
	/** Aborted (and replaced) when a block starts, to wake every waiter so that it stops at once. */
	private wake = new AbortController();
	/** The account's count in the last view, to tell Datto's slow-down from a slow network. */
	private lastCount = 0;
	/** Counts for the benchmark and tests. */
	readonly stats = { acquired: 0, waitedMs: 0, calibrations: 0, cuts: 0, blocked: 0 };

	constructor(
		public settings: GovernorSettings,
		readonly clock: Clock = realClock,
	) {
		this.account = new Bucket('account', 600);
		this.writeBucket = new Bucket('write', DEFAULT_WRITE_LIMIT);
	}

	/** Whether the last view is recent enough to hold a share above our own use. */
	private viewFresh(now: number): boolean {
		return now - this.viewAt <= this.windowMs / 2;
	}

	private operationBucket(name: string): Bucket | undefined {
		if (!this.writeLimitsKnown || this.unbudgeted.has(name)) return undefined;
		let bucket = this.operations.get(name);
		if (!bucket) {
			bucket = new Bucket(name, DEFAULT_OPERATION_LIMITS[name] ?? DEFAULT_OPERATION_LIMIT);
			this.operations.set(name, bucket);
		}
		return bucket;
	}

	private bucketsFor(ticket: Ticket): Bucket[] {
		const buckets = [this.account];
		if (ticket.kind === 'write' && this.writeBucket) {
			buckets.push(this.writeBucket);
			const named = ticket.writeBudget ? this.operationBucket(ticket.writeBudget) : undefined;
			if (named) buckets.push(named);
		}
		return buckets;
	}

	private prune(now: number): void {
		const edge = now - this.windowMs;
		this.account.own.prune(edge);
		this.writeBucket?.own.prune(edge);
		for (const bucket of this.operations.values()) bucket.own.prune(edge);
	}

	/** The block or cancellation that stops this ticket now, if any. */
	private stopFor(ticket: Ticket, now: number): Error | undefined {
		if (ticket.signal?.aborted) return cancelled();
		if (now < this.blockedUntil) return new GovernorStop('blocked', this.blockMessage, this.blockedUntil);
		return undefined;
	}

	/** A concurrency slot; normal work is let in before background work. */
	private async slot(ticket: Ticket): Promise<void> {
		// The request_rate call is asked for by a waiter that holds a slot: it needs none of its own.
		if (ticket.calibration) return;
		if (this.inFlight < this.settings.maxConcurrency) {
			this.inFlight++;
			return;
		}
		const priority = ticket.priority ?? 'normal';
		const signal = ticket.signal;
		let onAbort: (() => void) | undefined;
		try {
			await new Promise<void>((resolve, reject) => {
				const waiter: Waiter = { priority, resolve, reject };
				const at = priority === 'normal' ? this.waiting.findIndex((w) => w.priority === 'background') : -1;
				if (at < 0) this.waiting.push(waiter);
				else this.waiting.splice(at, 0, waiter);
				onAbort = () => {
					const index = this.waiting.indexOf(waiter);
					if (index >= 0) {
						this.waiting.splice(index, 1);
						reject(cancelled());
					}
				};
				signal?.addEventListener('abort', onAbort, { once: true });
			});
		} finally {
			if (onAbort) signal?.removeEventListener('abort', onAbort);
		}
	}

	private freeSlot(ticket: Ticket): void {
		if (ticket.calibration) return;
		const next = this.waiting.shift();
		if (next) next.resolve();
		else this.inFlight--;
	}

	/**
	 * Waits for a concurrency slot and room in every bucket the request counts in, then counts it
	 * as sent. Rejects with GovernorStop (or the signal's reason) instead of sending when the
	 * execution is cancelled or Datto has blocked this IP. Call `done` with what the answer said.
	 */
	async acquire(ticket: Ticket): Promise<(feedback?: Feedback) => void> {
		const started = this.clock.now();
		const early = this.stopFor(ticket, started);
		if (early) throw early;
		await this.slot(ticket);
		let sent = false;
		// A workflow's request waiting for room: background work lets it have the room first.
		let waitingForRoom = false;
		const background = ticket.priority === 'background';
		try {
			for (;;) {
				const now = this.clock.now();
				const stop = this.stopFor(ticket, now);
				if (stop) throw stop;
				if (now < this.pausedUntil) {
					await this.sleep(this.pausedUntil - now, ticket);
					continue;
				}
				this.prune(now);
				const buckets = this.bucketsFor(ticket);
				const fresh = this.viewFresh(now);
				const full = ticket.calibration
					? []
					: buckets.filter((b) => b.own.count >= b.allowance(now, this.windowMs, fresh, b === this.account ? this.settings.fixedBudget : undefined));
				for (const bucket of full) bucket.lastBlocked = now;
				if (full.length === 0 && background && this.workflowsWaiting > 0) {
					await this.sleep(this.windowMs / 60, ticket);
					continue;
				}
				if (full.length === 0) {
					for (const bucket of buckets) bucket.record(now);
					this.onTheWire++;
					this.stats.acquired++;
					this.stats.waitedMs += now - started;
					sent = true;
					return (feedback) => this.done(ticket, buckets, now, feedback);
				}
				if (ticket.fetchView && this.mayCalibrate(now, full)) {
					await this.calibrate(ticket, full);
					continue;
				}
				if (!background && !ticket.calibration && !waitingForRoom) {
					waitingForRoom = true;
					this.workflowsWaiting++;
				}
				// Sleep until our oldest request in a full bucket leaves the window, or the next view is due.
				const oldest = Math.min(...full.map((b) => b.own.oldest ?? now));
				const untilRoom = Math.max(1, oldest + this.windowMs - now);
				const untilView = ticket.fetchView && !this.onlyFixedBudgetFull(full) ? Math.max(1, this.calibratedAt + this.viewGap - now) : Infinity;
				await this.sleep(Math.min(untilRoom, untilView) + Math.random() * 5, ticket);
			}
		} finally {
			if (waitingForRoom) this.workflowsWaiting--;
			if (!sent) this.freeSlot(ticket);
		}
	}

	/** Waits inside acquire; a cancellation or a block ends it early, and the loop then stops. */
	private sleep(ms: number, ticket: Ticket): Promise<void> {
		const signals = [this.wake.signal, ticket.signal].filter((s): s is AbortSignal => s !== undefined);
		// A signal of this wait's own, so that waiters do not pile listeners onto the shared ones.
		return this.clock.wait(ms, AbortSignal.any(signals)).catch(() => undefined);
	}

	/** A fixed budget that is reached needs no view: only time makes room. */
	private onlyFixedBudgetFull(full: Bucket[]): boolean {
		const fixed = this.settings.fixedBudget;
		return fixed !== undefined && full.length === 1 && full[0] === this.account && this.account.own.count >= fixed;
	}

	private mayCalibrate(now: number, full: Bucket[]): boolean {
		if (this.calibration) return true; // join the one under way
		if (this.onlyFixedBudgetFull(full)) return false;
		return now - this.calibratedAt >= this.viewGap;
	}

	/** One request_rate call at a time; every waiter re-checks after it. */
	private calibrate(ticket: Ticket, blockedOn: Bucket[]): Promise<void> {
		if (!this.calibration) {
			const fetchView = ticket.fetchView!;
			const priority = ticket.priority ?? 'normal';
			// Our counts as the view is asked for (the request_rate call itself is acquired inside).
			const all = [this.account, this.writeBucket, ...this.operations.values()].filter((b): b is Bucket => !!b);
			const before = new Map<Bucket, ViewMoment>(
				all.map((b) => [
					b,
					b === this.account
						? { sent: b.sent + 1, own: b.own.count + 1, inFlight: this.onTheWire }
						: { sent: b.sent, own: b.own.count, inFlight: 0 },
				]),
			);
			const asked = this.clock.now();
			this.calibration = fetchView()
				.then((view) => {
					this.stats.calibrations++;
					// No view (request_rate refused or unreadable): go on as if we were alone, claiming
					// in small steps; a 429 would still halve us at once.
					const seen = view ?? { windowSeconds: this.windowMs / 1000, limit: this.account.limit, cutOffRatio: this.account.cutOffRatio, count: before.get(this.account)?.own ?? 0, writeLimit: this.writeBucket?.limit, writeCount: this.writeBucket?.own.count, operations: Object.fromEntries([...this.operations].map(([name, b]) => [name, { limit: b.limit, count: b.own.count }])) };
					this.apply(seen, before, new Set(blockedOn), priority, this.clock.now() - asked);
				})
				.catch(() => undefined)
				.finally(() => {
					this.calibratedAt = this.clock.now();
					this.calibration = undefined;
				});
		}
		return this.calibration;
	}

	private apply(view: RateView, before: Map<Bucket, ViewMoment>, blockedOn: Set<Bucket>, priority: Priority, roundTripMs: number): void {
		const now = this.clock.now();
		this.viewAt = now;
		this.windowMs = Math.max(1000, view.windowSeconds * 1000);
		this.prune(now);
		const observe = (bucket: Bucket, count: number, limit: number) => {
			const at = before.get(bucket) ?? { sent: bucket.sent, own: bucket.own.count, inFlight: 0 };
			bucket.limit = limit;
			return bucket.observe(count, at, now, this.windowMs, blockedOn.has(bucket), priority);
		};
		this.account.cutOffRatio = view.cutOffRatio;
		this.lastCount = view.count;
		// After a claim, the next view comes once the claim can be counted (others' claims too: two
		// round trips); a full account changes only with time (alone, only a newcomer could change
		// it, and it shows itself by its blind step).
		const claimed = observe(this.account, view.count, view.limit);
		this.viewGap = claimed ? 2 * roundTripMs : this.windowMs / 3;
		if (view.writeLimit === undefined) {
			// An older account: one bucket for everything.
			this.writeLimitsKnown = false;
			this.writeBucket = undefined;
			this.operations.clear();
			return;
		}
		this.writeBucket ??= new Bucket('write', view.writeLimit);
		observe(this.writeBucket, view.writeCount ?? 0, view.writeLimit);
		const listed = view.operations ?? {};
		for (const name of [...this.operations.keys()]) {
			if (listed[name]) continue;
			this.operations.delete(name);
			this.unbudgeted.add(name);
		}
		for (const [name, op] of Object.entries(listed)) {
			this.unbudgeted.delete(name);
			const bucket = this.operationBucket(name);
			if (bucket) observe(bucket, op.count, op.limit);
		}
	}

	private done(ticket: Ticket, buckets: Bucket[], sentAt: number, feedback: Feedback = {}): void {
		this.onTheWire--;
		this.freeSlot(ticket);
		const answeredAt = this.clock.now();
		for (const bucket of buckets) bucket.own.answered(sentAt, answeredAt);
		if (feedback.status === 429) {
			// Past the limit: halve at once and look again before sending more than a blind step.
			this.stats.cuts++;
			for (const bucket of buckets) bucket.cut();
			this.viewAt = -Infinity;
			this.calibratedAt = -Infinity;
		} else if (
			(feedback.slowed && this.lastCount >= this.account.target - this.account.blind) ||
			(feedback.headerCount !== undefined && feedback.headerCount > this.account.target + this.account.blind)
		) {
			// A slow answer while the account was near the line (not just a slow network), or rate
			// headers over the target: the next view, due at once, cuts what is over.
			this.calibratedAt = -Infinity;
		}
	}

	/**
	 * Datto answered 429: nobody sends for the wait it asked, up to MAX_PAUSE_MS. Returns whether
	 * the wait fits under the cap (if not, the caller fails the request and says when to retry).
	 */
	pause(retryAfterMs: number | undefined): boolean {
		const wanted = retryAfterMs ?? this.windowMs / 10;
		const waitMs = Math.min(wanted, MAX_PAUSE_MS);
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + waitMs);
		return wanted <= MAX_PAUSE_MS;
	}

	/** Datto blocked this IP: nothing is sent to the account from this process until `until`. */
	block(until: number, message: string): void {
		this.stats.blocked++;
		this.blockedUntil = Math.max(this.blockedUntil, until);
		this.blockMessage = message;
		const stop = new GovernorStop('blocked', message, this.blockedUntil);
		for (const waiter of this.waiting.splice(0)) waiter.reject(stop);
		this.wake.abort();
		this.wake = new AbortController();
	}

	/** When the current IP block ends (epoch ms), or undefined when not blocked. */
	blockedUntilMs(now = this.clock.now()): number | undefined {
		return now < this.blockedUntil ? this.blockedUntil : undefined;
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
