/**
 * User, Component, System and Account operations (operations/user.ts, component.ts, system.ts,
 * account.ts), run in n8n's engine against the simulator over HTTP: the request each one sends,
 * and the items it outputs.
 */
import { REQUEST_RATE, runOperation } from '../../../harness/operations.cjs';
import { startSimulatedAccount, type SimulatedAccount } from '../../../harness/index.cjs';

describe('User, Component, System, Account', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator: { seed: 3, size: { sites: 12 } } });
	});
	afterAll(async () => {
		await account.close();
	});

	test('list operations return one item per entity', async () => {
		const st = account.sim.state;
		const lists = [
			{ parameters: { resource: 'user', operation: 'getMany' }, path: '/api/v2/account/users', count: st.users.length },
			{ parameters: { resource: 'component', operation: 'getMany' }, path: '/api/v2/account/components', count: st.components.length },
			{
				parameters: { resource: 'account', operation: 'getDnetSiteMappings' },
				path: '/api/v2/account/dnet-site-mappings',
				count: st.sites.filter((s) => s.dnetNetworkIds.length > 0).length,
			},
		];
		for (const list of lists) {
			const result = await runOperation(account, { ...list.parameters, returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.calls.map((c) => c.path)).toContain(list.path);
			expect(result.json).toHaveLength(list.count);
		}
		const limited = await runOperation(account, { resource: 'component', operation: 'getMany', limit: 4 });
		expect(limited.json).toHaveLength(4);
		expect(limited.calls.find((c) => c.path === '/api/v2/account/components')?.query.max).toBe('4');
	});

	test('System operations', async () => {
		const status = await runOperation(account, { resource: 'system', operation: 'getStatus' });
		expect(status.calls).toEqual([expect.objectContaining({ method: 'GET', path: '/api/v2/system/status' })]);
		expect(status.json).toEqual([expect.objectContaining({ status: 'OK', version: expect.any(String) })]);

		const rate = await runOperation(account, { resource: 'system', operation: 'getRequestRate' });
		// Its one call is a request_rate call, like the governor's own (which apiCalls leaves out).
		expect(rate.calls).toEqual([]);
		expect(account.sim.log.filter((r) => r.path === REQUEST_RATE).length).toBeGreaterThanOrEqual(1);
		expect(rate.json).toEqual([expect.objectContaining({ accountRateLimit: 600, slidingTimeWindowSizeSeconds: 60 })]);

		const pagination = await runOperation(account, { resource: 'system', operation: 'getPagination' });
		expect(pagination.calls).toEqual([expect.objectContaining({ path: '/api/v2/system/pagination' })]);
		expect(pagination.json).toEqual([{ max: 250 }]);
	});

	test('Reset API Keys is sent once and returns the new pair', async () => {
		const oldKey = account.sim.apiKey;
		const result = await runOperation(account, { resource: 'user', operation: 'resetApiKeys' });
		expect(result.error).toBeUndefined();
		expect(result.calls).toEqual([expect.objectContaining({ method: 'POST', path: '/api/v2/user/resetApiKeys' })]);
		expect(account.sim.apiKey).not.toBe(oldKey);
		expect(result.json).toEqual([
			expect.objectContaining({ apiAccessKey: account.sim.apiKey, apiSecretKey: account.sim.apiSecret }),
		]);
	});
});
