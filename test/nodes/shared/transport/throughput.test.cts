/**
 * Throughput at Datto's rate limit through n8n's engine: concurrent Return All against sequential
 * paging, fan-out over input items, and sharing the account with another tool. The governor's
 * arithmetic across processes is in governor.test.cts.
 */
import { runDattoNode, startSimulatedAccount, type SimulatedAccount } from '../../../harness/index.cjs';

describe('concurrent Return All equals sequential paging', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator: { pageSize: 10, size: { devices: 95 } } });
	});
	afterAll(() => account.close());
	afterEach(() => {
		account.sim.beforeRoute = undefined;
		account.sim.clearFaults();
	});

	const run = (concurrentPages: boolean) =>
		runDattoNode(
			{ parameters: { resource: 'device', operation: 'getMany', returnAll: true, options: { concurrentPages } }, credential: account.credential },
			account.harness,
		);
	const uids = (result: Awaited<ReturnType<typeof run>>) => result.items.map((i) => i.json.uid);

	/** From the first request for a page after page 0, in whichever order pages arrive, do `change` once. */
	function onceAfterFirstPage(change: () => void) {
		let done = false;
		account.sim.beforeRoute = (request) => {
			if (!done && request.path === '/v2/account/devices' && Number(request.query.page) >= 1) {
				done = true;
				change();
			}
		};
	}

	test('the same devices in the same order, from the same pages', async () => {
		account.sim.resetCounters();
		const concurrent = await run(true);
		const concurrentPages = account.sim.log.filter((r) => r.path === '/api/v2/account/devices').length;
		account.sim.resetCounters();
		const sequential = await run(false);
		const sequentialPages = account.sim.log.filter((r) => r.path === '/api/v2/account/devices').length;
		expect(concurrent.error).toBeUndefined();
		expect(uids(concurrent)).toEqual(uids(sequential));
		expect(uids(concurrent)).toHaveLength(account.sim.state.devices.filter((d) => !d.deleted).length);
		expect(concurrentPages).toBe(sequentialPages);
	});

	test('when pages shift during the read, both see the same thing and the count mismatch is reported', async () => {
		// The world changes the same way in both runs: the first device disappears after page 0.
		const first = account.sim.state.devices.find((d) => !d.deleted)!;
		const shiftedRun = async (concurrentPages: boolean) => {
			onceAfterFirstPage(() => (first.deleted = true));
			const result = await run(concurrentPages);
			first.deleted = false;
			return result;
		};
		const concurrent = await shiftedRun(true);
		const sequential = await shiftedRun(false);
		expect(uids(concurrent)).toEqual(uids(sequential));
		const hints = JSON.stringify(concurrent.taskOf(concurrent.nodeName)?.hints ?? []);
		expect(hints).toMatch(/reported \d+ entries .* but returned \d+/);
	});

	test('when a page fails once and is retried, the result is unchanged', async () => {
		const clean = await run(false);
		onceAfterFirstPage(() => account.sim.inject({ path: '/api/v2/account/devices', status: 500 }));
		const concurrent = await run(true);
		expect(concurrent.error).toBeUndefined();
		expect(uids(concurrent)).toEqual(uids(clean));
		expect(account.sim.log.some((r) => r.path === '/api/v2/account/devices' && r.status === 500)).toBe(true);
	});
});

describe('fan-out over input items', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator: { size: { devices: 60 } } });
	});
	afterAll(() => account.close());

	test('runs items concurrently, keeps their order and pairing, and continueOnFail per item', async () => {
		const devices = account.sim.state.devices.filter((d) => !d.deleted).slice(0, 40);
		const input = devices.map((d, n) => ({ uid: n % 7 === 3 ? `missing-${n}` : d.uid }));
		account.sim.setFaults({ latencyMs: 40 });
		account.sim.resetCounters();
		const result = await runDattoNode(
			{
				parameters: { resource: 'device', operation: 'get', deviceUid: { __rl: true, mode: 'id', value: '={{ $json.uid }}' } },
				credential: account.credential,
				inputItems: input,
				continueOnFail: true,
			},
			account.harness,
		);
		account.sim.clearFaults();
		expect(result.items).toHaveLength(input.length);
		result.items.forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			if (input[n].uid.startsWith('missing-')) expect(String(item.json.error)).toMatch(/HTTP 404/);
			else expect(item.json.uid).toBe(input[n].uid);
		});
		// Concurrent, not one after another: with 40 ms per answer, requests that arrive less than
		// 40 ms apart were in flight together; one at a time, none would.
		const arrivals = account.sim.log.filter((r) => r.path.startsWith('/api/v2/device/')).map((r) => r.at).sort((a, b) => a - b);
		expect(arrivals).toHaveLength(input.length);
		expect(arrivals[4] - arrivals[0]).toBeLessThan(40);
	});
});

describe('sharing the account with another integration', () => {
	test('a long run beside a tool using half the account gets no 429', async () => {
		// Window of 60 s / 30 = 2 s: the whole run takes seconds, the arithmetic is Datto's.
		const account = await startSimulatedAccount({ simulator: { timeScale: 30, size: { devices: 50 } } });
		const { sim } = account;
		try {
			sim.addCredentials('other-tool-key', 'other-tool-secret', 'other.tool');
			const tokenAnswer = await fetch(`${sim.url}/auth/oauth/token`, {
				method: 'POST',
				headers: {
					Authorization: `Basic ${Buffer.from('public-client:public').toString('base64')}`,
					'Content-Type': 'application/x-www-form-urlencoded',
				},
				body: 'grant_type=password&username=other-tool-key&password=other-tool-secret',
			});
			const { access_token: otherToken } = (await tokenAnswer.json()) as { access_token: string };

			// The other tool: 300 requests per 2 s window, evenly spread (half of Datto's 600).
			let running = true;
			let otherSent = 0;
			const other = (async () => {
				const started = Date.now();
				while (running) {
					const due = Math.floor((Date.now() - started) / (2000 / 300));
					while (otherSent < due && running) {
						otherSent++;
						void fetch(`${sim.url}/api/v2/account`, { headers: { Authorization: `Bearer ${otherToken}` } }).catch(() => undefined);
					}
					await new Promise((r) => setTimeout(r, 5));
				}
			})();
			await new Promise((r) => setTimeout(r, 2200)); // let the other tool fill its share of the window

			const uids = sim.state.devices.filter((d) => !d.deleted).map((d) => d.uid);
			const input = Array.from({ length: 1200 }, (_, n) => ({ uid: uids[n % uids.length] }));
			const result = await runDattoNode(
				{
					parameters: { resource: 'device', operation: 'get', deviceUid: { __rl: true, mode: 'id', value: '={{ $json.uid }}' } },
					credential: account.credential,
					inputItems: input,
				},
				account.harness,
			);
			running = false;
			await other;
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(1200);
			expect(otherSent).toBeGreaterThan(1000);
			expect(sim.counters.http429).toBe(0);
			expect(sim.counters.ipBlocks).toBe(0);
		} finally {
			await account.close();
		}
	}, 120_000);
});
