import { SendWindow } from './sendWindow';
import type { Priority } from './ticket';

/*
 * How a share is negotiated through Datto's view (`GET /v2/system/request_rate`):
 *
 * - A share is how many of our requests may be in the window. Without a fresh view it is a small
 *   blind step above what we use, so light work never costs a calibration call.
 * - Blocked by its share, a governor asks Datto for the account's count and claims a fifth of
 *   what is free below the target (the slow-down line less a margin for tools that start later).
 *   Five processes claiming from the same view at once fill the target exactly; each later view
 *   already shows their claims, so growth stays under the line.
 * - A full account with others in it makes a governor that holds more than the others, or sees
 *   them grow, give some back (at most once per half window), so shares converge to fair ones.
 *   Over the target, everyone cuts in proportion.
 * - Background work (trigger polls) claims only while the account is less than half used.
 */

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
