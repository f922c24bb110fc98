/**
 * The request governor against Datto's rate model (the simulator's own, test/simulator/rate.cts),
 * in virtual time: one to four n8n processes, each with its own governor, share one account and
 * learn about each other only from `request_rate`, as in queue mode. Checks the account never
 * reaches Datto's slow-down line, no 429, fair shares, the account used when there is work, and
 * the stop rules (pause cap, IP block, cancellation). `npm run bench` measures the same with real
 * processes over HTTP.
 */
import { GovernorStop } from '../../../../nodes/shared/transport/governor/governorStop';
import { parseRateView } from '../../../../nodes/shared/transport/governor/rateView';
import { RequestGovernor } from '../../../../nodes/shared/transport/governor/requestGovernor';
import type { Priority } from '../../../../nodes/shared/transport/governor/ticket';
import { VirtualAccount, VirtualClock, VirtualProcess } from '../../../harness/virtual-account.cjs';
import { WRITE_OPERATIONS } from '../../../simulator/rate.cjs';

const WINDOW = 60_000;
const SLOW_LINE = 540;

interface Run {
	account: VirtualAccount;
	processes: VirtualProcess[];
	/** The account's window count, once a second while there was work. */
	samples: number[];
	/** When each process finished, from the start (ms). */
	finished: number[];
}

/** Runs `work` on `n` processes that all start at the same moment; samples the account's window count. */
async function contend(n: number, work: (p: VirtualProcess, index: number) => Promise<void>, setup: (a: VirtualAccount) => Promise<void> | void = () => undefined, latencyMs = 100): Promise<Run> {
	const clock = new VirtualClock();
	const account = new VirtualAccount(clock, latencyMs);
	await clock.run(Promise.resolve(setup(account)));
	const processes = Array.from({ length: n }, (_, i) => new VirtualProcess(i + 1, account));
	const start = clock.now();
	const samples: number[] = [];
	const finished: number[] = [];
	let busy = true;
	const sampler = (async () => {
		while (busy) {
			samples.push(Number(account.limiter.snapshot('acct', clock.now()).accountCount));
			await clock.wait(1000);
		}
	})();
	const all = Promise.all(processes.map(async (p, i) => {
		await work(p, i);
		finished[i] = clock.now() - start;
	})).then(() => {
		busy = false;
	});
	await clock.run(all);
	await clock.run(sampler);
	return { account, processes, samples, finished };
}

/** Mean window count over the samples after the first window (the ramp), as a share of the slow-down line. */
function useOfAllowance(run: Run): number {
	const steady = run.samples.slice(WINDOW / 1000);
	return steady.reduce((a, b) => a + b, 0) / steady.length / SLOW_LINE;
}

function expectAccountSafe(run: Run): void {
	expect(run.account.count429()).toBe(0);
	expect(run.account.blockedAnswers).toBe(0);
	expect(run.account.peakWindow).toBeLessThan(SLOW_LINE);
	expect(run.processes.every((p) => p.failed === 0)).toBe(true);
}

describe('several n8n processes on one account (virtual time)', () => {
	test.each([2, 3, 4])('%i processes fanning out at the same moment: under the slow-down line, no 429, fair, the account used', async (n) => {
		const run = await contend(n, (p) => p.many(2000, 32));
		expectAccountSafe(run);
		expect(useOfAllowance(run)).toBeGreaterThanOrEqual(0.85);
		// Equal work started together ends close together: shares were fair.
		expect(Math.min(...run.finished) / Math.max(...run.finished)).toBeGreaterThan(0.8);
	});

	test.each([2, 4])('%i processes running Return All bursts, fan-outs and background polls at once', async (n) => {
		const run = await contend(n, async (p, i) => {
			const kinds: Array<() => Promise<void>> = [
				async () => {
					for (let round = 0; round < 6; round++) {
						await p.request();
						await p.many(79, 79); // a Return All of 20,000 devices: 80 pages at 250
					}
				},
				() => p.many(1500, 32),
				async () => {
					await p.many(400, 32);
					for (let poll = 0; poll < 10; poll++) {
						await p.many(8, 1, 'background' as Priority); // a device-event poll
						await p.account.clock.wait(WINDOW / 2);
					}
				},
			];
			await kinds[i % kinds.length]();
		});
		expectAccountSafe(run);
	});

	test('processes that start one after another make room for each other', async () => {
		const run = await contend(4, async (p, i) => {
			await p.account.clock.wait(i * 20_000);
			await p.many(2000, 32);
		});
		expectAccountSafe(run);
		expect(useOfAllowance(run)).toBeGreaterThanOrEqual(0.85);
	});

	test('beside another tool that uses 300 of the 600, two processes take what is left below the line', async () => {
		const run = await contend(2, (p) => p.many(1500, 32), async (account) => {
			account.otherToolPerWindow = 300;
			void account.runOtherTool(60 * WINDOW);
			await account.clock.wait(WINDOW); // the other tool is already running when n8n starts
		});
		expectAccountSafe(run);
		expect(useOfAllowance(run)).toBeGreaterThanOrEqual(0.85);
	});

	test('at real latency relative to the window (as in the time-scaled benchmark), still under the line', async () => {
		const run = await contend(4, (p) => p.many(1500, 32), undefined, 1200);
		expectAccountSafe(run);
	});

	test('alone, a process uses nearly all of the room: 1,000 requests take two windows, not three', async () => {
		const run = await contend(1, (p) => p.many(1000, 32));
		expectAccountSafe(run);
		expect(run.finished[0]).toBeLessThan(WINDOW * 1.5);
		// A one-at-a-time client at 110 ms per request needs about 110 s for the same.
		expect(run.finished[0]).toBeLessThan(110_000);
	});

	test('a fixed budget caps the process below its automatic share', async () => {
		const clock = new VirtualClock();
		const account = new VirtualAccount(clock, 100);
		const p = new VirtualProcess(1, account, { fixedBudget: 100 });
		await clock.run(p.many(300, 32));
		expect(account.peakWindow).toBeLessThanOrEqual(101); // 100 plus the one request_rate look
		expect(clock.now()).toBeGreaterThanOrEqual(1_000_000 + 2 * WINDOW);
	});

	test('light work never costs a look at the account: a few requests go out blind', async () => {
		const clock = new VirtualClock();
		const account = new VirtualAccount(clock, 100);
		const p = new VirtualProcess(1, account);
		await clock.run(p.many(5, 1));
		expect(account.events.filter((e) => e.calibration)).toHaveLength(0);
		expect(p.sent).toBe(5);
	});
});

describe('what stops the governor', () => {
	const newGovernor = (clock: VirtualClock) => new RequestGovernor({ maxConcurrency: 4 }, clock);

	test('a 429 pauses every caller, but never longer than the cap; a longer Retry-After is refused', async () => {
		const clock = new VirtualClock();
		const governor = newGovernor(clock);
		expect(governor.pause(3_600_000)).toBe(false);
		const started = clock.now();
		await clock.run(governor.acquire({ kind: 'read' }).then((done) => done()));
		expect(clock.now() - started).toBeGreaterThanOrEqual(60_000);
		expect(clock.now() - started).toBeLessThan(61_000);
		expect(governor.pause(2000)).toBe(true);
	});

	test('an IP block refuses at once, rejects waiters, and lifts when it ends', async () => {
		const clock = new VirtualClock();
		const governor = newGovernor(clock);
		const held = await Promise.all([1, 2, 3, 4].map(() => governor.acquire({ kind: 'read' })));
		const waiting = governor.acquire({ kind: 'read' });
		governor.block(clock.now() + 300_000, 'Your IP address has been temporarily blocked');
		await expect(waiting).rejects.toBeInstanceOf(GovernorStop);
		await expect(governor.acquire({ kind: 'read' })).rejects.toMatchObject({ reason: 'blocked' });
		held.forEach((done) => done());
		await clock.run(clock.wait(300_001));
		const done = await governor.acquire({ kind: 'read' });
		done();
	});

	test('a cancelled run sends nothing more: its waiting requests are dropped', async () => {
		const clock = new VirtualClock();
		const governor = newGovernor(clock);
		const stop = new AbortController();
		const held = await Promise.all([1, 2, 3, 4].map(() => governor.acquire({ kind: 'read', signal: stop.signal })));
		const waiting = governor.acquire({ kind: 'read', signal: stop.signal });
		stop.abort();
		await expect(waiting).rejects.toMatchObject({ reason: 'cancelled' });
		await expect(governor.acquire({ kind: 'read', signal: stop.signal })).rejects.toMatchObject({ reason: 'cancelled' });
		held.forEach((done) => done());
		expect(governor.stats.acquired).toBe(4);
	});

	test('workflows go before background polls when slots are scarce', async () => {
		const clock = new VirtualClock();
		const governor = newGovernor(clock);
		const held = await Promise.all([1, 2, 3, 4].map(() => governor.acquire({ kind: 'read' })));
		const order: string[] = [];
		const poll = governor.acquire({ kind: 'read', priority: 'background' }).then((done) => (order.push('poll'), done()));
		const workflow = governor.acquire({ kind: 'read' }).then((done) => (order.push('workflow'), done()));
		held[0]();
		held[1]();
		await Promise.all([poll, workflow]);
		expect(order).toEqual(['workflow', 'poll']);
		held.slice(2).forEach((done) => done());
	});
});

describe('write budgets', () => {
	/** The budget the simulator files quick jobs under (Datto's name). */
	const QUICK_JOB_BUDGET = WRITE_OPERATIONS.createQuickJob!;

	test("two processes creating quick jobs keep to Datto's per-operation write budget", async () => {
		const run = await contend(2, async (p) => {
			let next = 0;
			const worker = async () => {
				while (next < 300) {
					next++;
					await p.request({ kind: 'write', writeBudget: QUICK_JOB_BUDGET });
				}
			};
			await Promise.all(Array.from({ length: 16 }, worker));
		});
		expect(run.account.count429()).toBe(0);
		const ops = parseRateView(run.account.limiter.snapshot('acct', run.account.clock.now()))?.operations ?? {};
		expect(ops[QUICK_JOB_BUDGET]?.limit).toBe(100);
	});
});
