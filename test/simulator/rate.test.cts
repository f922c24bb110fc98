/**
 * Rate model, run fast with timeScale 20 (window 3 s, slow-down 50 ms): slow-down from 90% of the
 * budget, 429 with Retry-After past it, IP block after sustained 429s, write and per-operation
 * budgets, and request_rate reporting the true counts across all tokens of the account.
 */
import { DattoSimulator } from './index.cjs';
import { SimClient, exchangeToken } from './client.cjs';

const SCALE = 20;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('account budget', () => {
	let sim: DattoSimulator;
	let c: SimClient;
	beforeAll(async () => {
		sim = await DattoSimulator.start({ timeScale: SCALE, rateLimit: { account: 20 } });
		c = await new SimClient(sim).login();
	});
	afterAll(() => sim.close());
	beforeEach(() => {
		sim.resetRateLimits();
		sim.resetCounters();
	});

	test('slow-down from 90% of the limit, then 429 with Retry-After, then room again after it', async () => {
		for (let i = 0; i < 17; i++) expect((await c.get('/v2/account')).status).toBe(200);
		expect(sim.counters.slowedResponses).toBe(0);
		for (let i = 0; i < 3; i++) {
			const r = await c.get('/v2/account');
			expect(r.status).toBe(200);
			expect(r.ms).toBeGreaterThanOrEqual(1000 / SCALE - 3);
		}
		expect(sim.counters.slowedResponses).toBe(3);
		const limited = await c.get('/v2/account');
		expect(limited.status).toBe(429);
		expect(limited.json).toMatchObject({ status: 429, error: 'Too Many Requests', path: '/api/v2/account' });
		expect(limited.json.message).toMatch(/rate limit/i);
		const retry = Number(limited.headers.get('retry-after'));
		expect(retry).toBeGreaterThanOrEqual(1);
		expect(retry).toBeLessThanOrEqual(Math.ceil(60 / SCALE));
		expect(sim.counters.http429).toBe(1);
		await sleep(retry * 1000);
		expect((await c.get('/v2/account')).status).toBe(200);
	});

	test('request_rate reports the live window across every token of the account', async () => {
		sim.addCredentials('second-key', 'second-secret');
		const other = new SimClient(sim);
		other.token = (await exchangeToken(sim, 'second-key', 'second-secret')).json.access_token;
		for (let i = 0; i < 3; i++) await c.get('/v2/account/sites');
		for (let i = 0; i < 4; i++) await other.get('/v2/account/sites');
		const r = await c.get('/v2/system/request_rate');
		expect(r.json).toMatchObject({
			slidingTimeWindowSizeSeconds: 60 / SCALE,
			accountUid: sim.state.account.uid,
			accountCount: 8, // 7 + this request
			accountRateLimit: 20,
			accountCutOffRatio: 0.9,
			accountWriteRateLimit: 600,
			accountWriteCount: 0,
		});
		expect(r.json.operationWriteStatus['device-udf-set']).toEqual({ limit: 600, count: 0 });
		expect(r.json.operationWriteStatus['device-job-create']).toEqual({ limit: 100, count: 0 });
		// Token requests and unauthenticated requests do not count.
		await exchangeToken(sim);
		await fetch(`${sim.url}/api/v2/account`);
		expect((await c.get('/v2/system/request_rate')).json.accountCount).toBe(9);
	});

	test('X-RateLimit headers report limit and remaining', async () => {
		const a = await c.get('/v2/account');
		const b = await c.get('/v2/account');
		expect(a.headers.get('x-ratelimit-limit')).toBe('20');
		expect(Number(a.headers.get('x-ratelimit-remaining'))).toBe(19);
		expect(Number(b.headers.get('x-ratelimit-remaining'))).toBe(18);
		expect(Number(b.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(1);
	});
});

test('sustained 429s get the IP blocked (403 everywhere, token endpoint included) for the scaled block time', async () => {
	const sim = await DattoSimulator.start({ timeScale: SCALE, rateLimit: { account: 5, ipBlockAfter429s: 3, ipBlockSeconds: 60 } });
	try {
		const c = await new SimClient(sim).login();
		for (let i = 0; i < 5; i++) await c.get('/v2/account');
		for (let i = 0; i < 3; i++) expect((await c.get('/v2/account')).status).toBe(429);
		expect(sim.counters.ipBlocks).toBe(1);
		const blocked = await c.get('/v2/account');
		expect(blocked.status).toBe(403);
		expect(blocked.json.message).toMatch(/temporarily blocked/);
		const tok = await exchangeToken(sim);
		expect(tok.status).toBe(403);
		expect(tok.text).toMatch(/temporarily blocked/);
		expect(sim.counters.blockedRequests).toBe(2);
		expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(Math.ceil(60 / SCALE));
		await sleep((60 / SCALE) * 1000 + 100);
		expect((await c.get('/v2/account')).status).toBe(200);
	} finally {
		await sim.close();
	}
});

test("writes have their own budget and Datto's per-operation budgets; writes without one count against the account's only", async () => {
	const sim = await DattoSimulator.start({ timeScale: SCALE, rateLimit: { account: 1000, write: 6, operationWrite: { 'device-udf-set': 3 } } });
	try {
		const c = await new SimClient(sim).login();
		const d = sim.state.devices[0];
		const s = sim.state.sites[0];
		for (let i = 0; i < 3; i++) expect((await c.call('POST', `/v2/device/${d.uid}/udf`, { udf3: `v${i}` })).status).toBe(200);
		const udf4 = await c.call('POST', `/v2/device/${d.uid}/udf`, { udf3: 'v4' });
		expect(udf4.status).toBe(429);
		expect(udf4.json.message).toContain('device-udf-set');
		expect(d.udf.udf3).toBe('v2'); // the refused write did not happen
		for (let i = 0; i < 3; i++) expect((await c.call('POST', `/v2/site/${s.uid}`, { name: `Renamed ${i}` })).status).toBe(200);
		const overWrite = await c.call('PUT', '/v2/account/variable', { name: 'Blocked', value: 'x' });
		expect(overWrite.status).toBe(429);
		expect(overWrite.json.message).toMatch(/write rate limit/i);
		expect((await c.get('/v2/account')).status).toBe(200); // reads still fine
		const rr = (await c.get('/v2/system/request_rate')).json;
		expect(rr.accountWriteRateLimit).toBe(6);
		expect(rr.accountWriteCount).toBe(6);
		expect(rr.operationWriteStatus['device-udf-set']).toEqual({ limit: 3, count: 3 });
		// Site updates have no budget of their own: they only count in accountWriteCount.
		expect(Object.keys(rr.operationWriteStatus).sort()).toEqual(['account-variable-set', 'device-job-create', 'device-proxy-set', 'device-udf-set', 'site-variable-set', 'user-reset-keys']);
		expect(rr.operationWriteStatus['account-variable-set']).toEqual({ limit: 100, count: 0 });
		expect(rr.accountCount).toBe(8); // 3 udf + 3 updates + 1 read + this one; 429s are not counted
		expect(sim.counters.http429).toBe(2);
	} finally {
		await sim.close();
	}
});

test('an older account (write: null) has one bucket and no write fields', async () => {
	const sim = await DattoSimulator.start({ rateLimit: { write: null } });
	try {
		const c = await new SimClient(sim).login();
		const rr = (await c.get('/v2/system/request_rate')).json;
		expect(rr).toEqual({ slidingTimeWindowSizeSeconds: 60, accountUid: sim.state.account.uid, accountCount: 1, accountRateLimit: 600, accountCutOffRatio: 0.9 });
	} finally {
		await sim.close();
	}
});

test('rateLimit.enabled=false: no 429 and no slow-down, counts still reported', async () => {
	const sim = await DattoSimulator.start({ rateLimit: { account: 5, enabled: false } });
	try {
		const c = await new SimClient(sim).login();
		for (let i = 0; i < 12; i++) expect((await c.get('/v2/account')).status).toBe(200);
		expect(sim.counters.slowedResponses).toBe(0);
		expect((await c.get('/v2/system/request_rate')).json.accountCount).toBe(13);
	} finally {
		await sim.close();
	}
});
