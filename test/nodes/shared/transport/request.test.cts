/**
 * One request to Datto through n8n's engine against the simulator: retries of reads, writes that
 * create never repeated after an ambiguous failure, and errors, continueOnFail and secrets.
 */
import { findSecrets, runDattoNode, startSimulatedAccount, type SimulatedAccount } from '../../../harness/index.cjs';
import { requestsTo } from '../../../harness/operations.cjs';

describe('retries', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount();
	});
	afterAll(() => account.close());
	beforeEach(() => {
		account.sim.clearFaults();
		account.sim.resetCounters();
	});

	const accountGet = { resource: 'account', operation: 'get' };

	test('a 429 with Retry-After is waited out, then the read succeeds', async () => {
		account.sim.inject({ path: '/api/v2/account', status: 429, headers: { 'Retry-After': '1' }, body: { message: 'Too many requests' } });
		const run = await runDattoNode({ parameters: accountGet, credential: account.credential }, account.harness);
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		const calls = requestsTo(account, '/api/v2/account');
		expect(calls.map((c) => c.status)).toEqual([429, 200]);
		// Retry-After: 1 was honoured (a correctness check, not a speed target).
		expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
	});

	test('a 429 without Retry-After is retried with backoff', async () => {
		account.sim.inject({ path: '/api/v2/account', status: 429, times: 2 });
		const run = await runDattoNode({ parameters: accountGet, credential: account.credential }, account.harness);
		expect(run.error).toBeUndefined();
		expect(requestsTo(account, '/api/v2/account').map((c) => c.status)).toEqual([429, 429, 200]);
	});

	test('a 5xx then success: the read is retried', async () => {
		account.sim.inject({ path: '/api/v2/account', status: 503 });
		account.sim.inject({ path: '/api/v2/account', status: 500 });
		const run = await runDattoNode({ parameters: accountGet, credential: account.credential }, account.harness);
		expect(run.error).toBeUndefined();
		expect(requestsTo(account, '/api/v2/account').map((c) => c.status)).toEqual([503, 500, 200]);
	});

	test('a dropped connection on a read is retried', async () => {
		account.sim.inject({ path: '/api/v2/account', drop: 'before' });
		const run = await runDattoNode({ parameters: accountGet, credential: account.credential }, account.harness);
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
	});

	test('retries are bounded by the Max Retries option', async () => {
		account.sim.inject({ path: '/api/v2/account', status: 502, times: 10 });
		const run = await runDattoNode(
			{ parameters: { ...accountGet, options: { maxRetries: 1 } }, credential: account.credential },
			account.harness,
		);
		expect(run.error?.message).toMatch(/HTTP 502/);
		expect(run.error?.message).toMatch(/tried 2 times/);
		expect(requestsTo(account, '/api/v2/account')).toHaveLength(2);
	});

	test('an IP-block 403 stops at once with a message saying what happened', async () => {
		account.sim.inject({
			path: '/api/v2/account',
			status: 403,
			body: { timestamp: Date.now(), status: 403, error: 'Forbidden', message: 'IP address temporarily blocked due to too many requests', path: '/api/v2/account' },
		});
		const run = await runDattoNode({ parameters: accountGet, credential: account.credential }, account.harness);
		expect(run.error?.message).toMatch(/temporarily blocked this IP address \(HTTP 403\)/);
		expect(String((run.error as { description?: string }).description)).toMatch(/minutes/);
		expect(requestsTo(account, '/api/v2/account')).toHaveLength(1);
	});
});

describe('writes that create are never repeated after an ambiguous failure', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount();
	});
	afterAll(() => account.close());
	beforeEach(() => account.sim.resetCounters());

	const createSite = (name: string) => ({
		resource: 'site',
		operation: 'create',
		name,
	});

	test('a create whose connection drops after processing is not repeated, and says the site may exist', async () => {
		const before = account.sim.state.sites.length;
		account.sim.inject({ method: 'PUT', path: '/api/v2/site', drop: 'after' });
		const run = await runDattoNode({ parameters: createSite('Dropped Ltd'), credential: account.credential }, account.harness);
		expect(run.error?.message).toMatch(/may have been made/);
		expect(requestsTo(account, '/api/v2/site', 'PUT')).toHaveLength(1);
		expect(account.sim.state.sites.filter((s) => s.name === 'Dropped Ltd')).toHaveLength(1);
		expect(account.sim.state.sites.length).toBe(before + 1);
	});

	test('a create answered 500 is not repeated', async () => {
		account.sim.inject({ method: 'PUT', path: '/api/v2/site', status: 500 });
		const run = await runDattoNode({ parameters: createSite('Five Hundred Ltd'), credential: account.credential }, account.harness);
		expect(run.error?.message).toMatch(/HTTP 500\), and the change may have been made/);
		expect(requestsTo(account, '/api/v2/site', 'PUT')).toHaveLength(1);
	});

	test('a create refused with 429 is retried (the API did not process it) and creates once', async () => {
		account.sim.inject({ method: 'PUT', path: '/api/v2/site', status: 429, headers: { 'Retry-After': '0' } });
		const run = await runDattoNode({ parameters: createSite('Rate Limited Ltd'), credential: account.credential }, account.harness);
		expect(run.error).toBeUndefined();
		expect(requestsTo(account, '/api/v2/site', 'PUT').map((r) => r.status)).toEqual([429, 200]);
		expect(account.sim.state.sites.filter((s) => s.name === 'Rate Limited Ltd')).toHaveLength(1);
	});
});

describe('errors, continueOnFail and secrets', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount();
	});
	afterAll(() => account.close());

	test('continueOnFail: bad items become error items paired to their input, good ones go on', async () => {
		const good = account.sim.state.devices.slice(0, 2).map((d) => d.uid);
		const run = await runDattoNode(
			{
				parameters: { resource: 'device', operation: 'get', deviceUid: { __rl: true, mode: 'id', value: '={{ $json.uid }}' } },
				credential: account.credential,
				inputItems: [{ uid: good[0] }, { uid: '' }, { uid: 'no-such-device' }, { uid: good[1] }],
				continueOnFail: true,
			},
			account.harness,
		);
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(4);
		expect(run.items.map((i) => (i.pairedItem as { item: number }).item)).toEqual([0, 1, 2, 3]);
		expect(run.items[0].json.uid).toBe(good[0]);
		expect(String(run.items[1].json.error)).toMatch(/Device.*empty/i);
		expect(String(run.items[2].json.error)).toMatch(/HTTP 404/);
		expect(run.items[3].json.uid).toBe(good[1]);
	});

	test('a 404 names what was not found', async () => {
		const run = await runDattoNode(
			{
				parameters: { resource: 'device', operation: 'get', deviceUid: { __rl: true, mode: 'id', value: 'no-such-device' } },
				credential: account.credential,
			},
			account.harness,
		);
		expect(run.error?.message).toMatch(/HTTP 404/);
		expect(String((run.error as { description?: string }).description)).toContain('no-such-device');
	});

	test('no output or error contains the API secret or the token', async () => {
		account.sim.inject({ path: '/api/v2/account', status: 500 });
		const failed = await runDattoNode(
			{ parameters: { resource: 'account', operation: 'get', options: { maxRetries: 0 } }, credential: account.credential },
			account.harness,
		);
		const ok = await runDattoNode(
			{ parameters: { resource: 'device', operation: 'getMany', returnAll: false, limit: 3 }, credential: account.credential },
			account.harness,
		);
		const stored = account.harness.store.get(account.credential.id).data;
		const secrets = [String(stored.apiSecret), String(stored.accessToken)];
		expect(stored.accessToken).toBeTruthy();
		expect(findSecrets([failed.run, ok.run, failed.error], secrets)).toEqual([]);
	});
});
