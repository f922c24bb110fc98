import { AccountBuckets } from './accountBuckets';
import type { Bucket, ViewMoment } from './bucket';
import { realClock, type Clock } from './clock';
import { cancelled, GovernorStop } from './governorStop';
import type { RateView } from './rateView';
import { ConcurrencySlots } from './slots';
import type { Feedback, GovernorSettings, Priority, Ticket } from './ticket';

/**
 * The request governor: one per Datto account (credential) in this n8n process, shared by every
 * execution in it.
 *
 * Datto counts requests per account in a sliding window (600 per 60 s, shared by every user,
 * integration and n8n process); past 90% it delays every answer by a second, past 100% it answers
 * 429, and sustained 429s block the caller's IP. Processes of one n8n (queue mode) or of several
 * share nothing but Datto's own view, `GET /v2/system/request_rate`, so each governor negotiates
 * its share through it (how: see bucket.ts).
 */

/** Longest shared pause (ms) after a 429, whatever Retry-After asks; past it, requests fail. */
export const MAX_PAUSE_MS = 60_000;

export class RequestGovernor {
	private readonly buckets = new AccountBuckets();
	readonly account: Bucket = this.buckets.account;
	windowMs = 60_000;
	/** When the last view arrived, and when the last attempt to get one ended. */
	private viewAt = -Infinity;
	private calibratedAt = -Infinity;
	/** Wait before the next view: two round trips after a claim, a third of the window once full. */
	private viewGap = 0;
	private calibration?: Promise<void>;
	private readonly slots = new ConcurrencySlots();
	/** Requests sent and not answered yet. */
	private onTheWire = 0;
	/** Workflow (not background) requests waiting for room in the window. */
	private workflowsWaiting = 0;
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
	) {}

	/** Whether the last view is recent enough to hold a share above our own use. */
	private viewFresh(now: number): boolean {
		return now - this.viewAt <= this.windowMs / 2;
	}

	private prune(now: number): void {
		this.buckets.prune(now - this.windowMs);
	}

	/** The block or cancellation that stops this ticket now, if any. */
	private stopFor(ticket: Ticket, now: number): Error | undefined {
		if (ticket.signal?.aborted) return cancelled();
		if (now < this.blockedUntil) return new GovernorStop('blocked', this.blockMessage, this.blockedUntil);
		return undefined;
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
		await this.slots.take(ticket, this.settings.maxConcurrency);
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
				const buckets = this.buckets.forTicket(ticket);
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
			if (!sent) this.slots.free(ticket);
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
			const before = new Map<Bucket, ViewMoment>(
				this.buckets.all().map((b) => [
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
					const seen = view ?? this.buckets.ownView(this.windowMs / 1000, before.get(this.account)?.own ?? 0);
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
		this.buckets.observeWrites(view, observe);
	}

	private done(ticket: Ticket, buckets: Bucket[], sentAt: number, feedback: Feedback = {}): void {
		this.onTheWire--;
		this.slots.free(ticket);
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
		this.slots.rejectAll(stop);
		this.wake.abort();
		this.wake = new AbortController();
	}

	/** When the current IP block ends (epoch ms), or undefined when not blocked. */
	blockedUntilMs(now = this.clock.now()): number | undefined {
		return now < this.blockedUntil ? this.blockedUntil : undefined;
	}
}
