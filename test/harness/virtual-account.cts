/**
 * Several request governors (one per simulated n8n process) against one Datto account, in virtual
 * time: the account is the simulator's own rate model (test/simulator/rate.cts: sliding window,
 * 90% slow-down, 429, IP block, request_rate view), each request takes a fixed latency, and the
 * clock jumps from one timer to the next, so an hour of contention runs in a second and the same
 * seed gives the same run. It checks the governor's arithmetic across processes; the real
 * multi-process figures come from `npm run bench` and the queue-mode end-to-end test.
 */
import type { Clock } from '../../nodes/shared/transport/governor/clock';
import { GovernorStop } from '../../nodes/shared/transport/governor/governorStop';
import { parseRateView, type RateView } from '../../nodes/shared/transport/governor/rateView';
import { RequestGovernor } from '../../nodes/shared/transport/governor/requestGovernor';
import type { Feedback, Priority, Ticket } from '../../nodes/shared/transport/governor/ticket';
import { RateLimiter } from '../simulator/rate.cjs';
import { resolveOptions, type RateLimitOptions } from '../simulator/types.cjs';

interface Timer {
	at: number;
	seq: number;
	fire: () => void;
}

/** A clock whose time moves only when every task is waiting: from one timer to the next. */
export class VirtualClock implements Clock {
	private time = 1_000_000;
	private seq = 0;
	private timers: Timer[] = [];

	now(): number {
		return this.time;
	}

	wait(ms: number, signal?: AbortSignal): Promise<void> {
		return new Promise((resolve, reject) => {
			if (signal?.aborted) return reject(new GovernorStop('cancelled', 'cancelled'));
			const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fire: resolve };
			this.timers.push(timer);
			signal?.addEventListener(
				'abort',
				() => {
					this.timers = this.timers.filter((t) => t !== timer);
					reject(new GovernorStop('cancelled', 'cancelled'));
				},
				{ once: true },
			);
		});
	}

	/** Runs until `done` settles (or virtual time passes `limitMs`). */
	async run<T>(done: Promise<T>, limitMs = 24 * 3600_000): Promise<T> {
		let settled = false;
		done.then(
			() => (settled = true),
			() => (settled = true),
		);
		const end = this.time + limitMs;
		for (;;) {
			await new Promise((r) => setImmediate(r));
			if (settled) return done;
			if (!this.timers.length) throw new Error('virtual time: nothing left to wait for, and the work is not done');
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = this.timers.shift()!;
			if (next.at > end) throw new Error('virtual time limit reached');
			this.time = Math.max(this.time, next.at);
			next.fire();
		}
	}
}

export interface AccountEvent {
	at: number;
	process: number;
	status: number;
	calibration: boolean;
}

/** One Datto account (the simulator's rate model) seen through a fixed latency. */
export class VirtualAccount {
	readonly limiter: RateLimiter;
	readonly events: AccountEvent[] = [];
	/** The account's sliding-window count, sampled at every admitted request. */
	peakWindow = 0;
	readonly windowMs: number;
	/** Requests per window from a tool outside n8n, spread evenly (0 = none). */
	otherToolPerWindow = 0;

	constructor(
		readonly clock: VirtualClock,
		readonly latencyMs = 100,
		rateLimit: RateLimitOptions = {},
		readonly headers = false,
	) {
		const options = resolveOptions({ rateLimit: { headers, ...rateLimit } });
		this.limiter = new RateLimiter(options);
		this.windowMs = this.limiter.windowMs;
	}

	/** IP blocks seen (every n8n process of one host shares its IP, as in queue mode). */
	blockedAnswers = 0;

	private admit(process: number, write: { budget: string | null } | undefined, calibration: boolean) {
		const now = this.clock.now();
		const ip = process === 99 ? '10.0.0.99' : '10.0.0.1';
		if (this.limiter.blockedFor(ip, now) > 0) {
			this.blockedAnswers++;
			this.events.push({ at: now, process, status: 403, calibration });
			return undefined;
		}
		const admission = this.limiter.admit(ip, write ? { write: true, budget: write.budget } : { write: false }, now);
		const count = Number(this.limiter.snapshot('acct', now).accountCount);
		this.peakWindow = Math.max(this.peakWindow, count);
		this.events.push({ at: now, process, status: admission.ok ? 200 : 429, calibration });
		return admission;
	}

	/** One request of `process`: half the latency out, admission, half back (plus Datto's slow-down). */
	async request(process: number, write?: { budget: string | null }, calibration = false): Promise<Feedback & { view?: RateView; retryAfterMs?: number }> {
		await this.clock.wait(this.latencyMs / 2);
		const admission = this.admit(process, write, calibration);
		if (!admission) {
			await this.clock.wait(this.latencyMs / 2);
			return { status: 403 };
		}
		const view = admission.ok && calibration ? parseRateView(this.limiter.snapshot('acct', this.clock.now())) : undefined;
		const slowed = admission.ok && admission.slowed;
		await this.clock.wait(this.latencyMs / 2 + (slowed ? this.limiter.slowDelayMs : 0));
		if (!admission.ok) return { status: 429, retryAfterMs: admission.retryAfterMs };
		const remaining = Number(admission.headers['X-RateLimit-Remaining']);
		return { status: 200, slowed, view, headerCount: this.headers ? 600 - remaining : undefined };
	}

	/** Keeps another tool sending `otherToolPerWindow` requests per window, evenly, for `durationMs`. */
	async runOtherTool(durationMs: number): Promise<void> {
		if (!this.otherToolPerWindow) return;
		const gap = this.windowMs / this.otherToolPerWindow;
		const end = this.clock.now() + durationMs;
		while (this.clock.now() < end) {
			this.admit(99, undefined, false);
			await this.clock.wait(gap);
		}
	}

	count429(): number {
		return this.events.filter((e) => e.status === 429).length;
	}
}

/** One simulated n8n process: its own governor, sending through the virtual account. */
export class VirtualProcess {
	readonly governor: RequestGovernor;
	sent = 0;
	failed = 0;

	constructor(
		readonly id: number,
		readonly account: VirtualAccount,
		settings: { fixedBudget?: number; maxConcurrency?: number } = {},
	) {
		this.governor = new RequestGovernor({ maxConcurrency: settings.maxConcurrency ?? 24, fixedBudget: settings.fixedBudget }, account.clock);
	}

	private fetchView = async (): Promise<RateView | undefined> => {
		const done = await this.governor.acquire({ kind: 'read', calibration: true });
		const answer = await this.account.request(this.id, undefined, true);
		done(answer);
		return answer.view;
	};

	/** One request through the governor, retried after a 429 like the transport does. */
	async request(ticket: Omit<Ticket, 'fetchView'> = { kind: 'read' }): Promise<void> {
		for (let attempt = 0; attempt < 5; attempt++) {
			const done = await this.governor.acquire({ ...ticket, fetchView: this.fetchView });
			const answer = await this.account.request(this.id, ticket.kind === 'write' ? { budget: ticket.writeBudget ?? null } : undefined);
			done(answer);
			if (answer.status !== 429) {
				this.sent++;
				return;
			}
			this.governor.pause(answer.retryAfterMs);
		}
		this.failed++;
	}

	/** `count` requests, `concurrency` at a time (a fan-out over input items, or concurrent pages). */
	async many(count: number, concurrency = 32, priority: Priority = 'normal'): Promise<void> {
		let next = 0;
		const worker = async () => {
			while (next < count) {
				next++;
				await this.request({ kind: 'read', priority });
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	}
}
