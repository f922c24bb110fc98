/**
 * Activity Log operations, run in n8n's engine against the simulator over HTTP: the window and
 * filters each request sends, the cursor followed across pages, and the items it outputs.
 */
import { errorText, runOperation } from '../../../harness/operations.cjs';
import { startSimulatedAccount, type SimulatedAccount } from '../../../harness/index.cjs';

describe('Activity Log', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator: { seed: 5 } });
	});
	afterAll(async () => {
		await account.close();
	});

	const PATH = '/api/v2/activity-logs';
	const inWindow = (from: string, until: string) =>
		account.sim.state.activities.filter((a) => a.dateMs >= Date.parse(from) && a.dateMs <= Date.parse(until));

	test('by default asks for the last 24 hours, newest first, and parses details', async () => {
		const before = Date.now();
		const result = await runOperation(account, { resource: 'activityLog', operation: 'getMany', returnAll: true });
		expect(result.error).toBeUndefined();
		const first = result.calls[0];
		expect(first).toMatchObject({ method: 'GET', path: PATH, query: { order: 'desc', size: '100' } });
		expect(first.query.from).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
		expect(first.query.until).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
		const until = Date.parse(first.query.until);
		expect(Math.abs(until - before)).toBeLessThan(5000);
		expect(until - Date.parse(first.query.from)).toBe(24 * 3600 * 1000);
		const expected = inWindow(first.query.from, first.query.until);
		expect(expected.length).toBeGreaterThan(5);
		expect(result.json).toHaveLength(expected.length);
		const dates = result.json.map((a) => a.date as number);
		expect([...dates].sort((a, b) => b - a)).toEqual(dates);
		for (const entry of result.json) {
			expect(typeof entry.details).toBe('object');
			expect(entry.date as number).toBeLessThan(1e11); // epoch seconds, kept as Datto sends them
		}
	});

	test('follows the cursor across pages up to the Limit', async () => {
		const result = await runOperation(account, {
			resource: 'activityLog',
			operation: 'getMany',
			order: 'asc',
			limit: 12,
			options: { pageSize: 5, parseDetails: false },
		});
		expect(result.error).toBeUndefined();
		expect(result.calls.map((c) => c.query.size)).toEqual(['5', '5', '2']);
		expect(result.calls[0].query.searchAfter).toBeUndefined();
		for (const call of result.calls.slice(1)) {
			expect(call.query).toMatchObject({ page: 'next', order: 'asc', searchAfter: expect.stringMatching(/^\d+,/) });
			expect(call.query.from).toBe(result.calls[0].query.from);
			expect(call.query.until).toBe(result.calls[0].query.until);
		}
		expect(result.json).toHaveLength(12);
		expect(new Set(result.json.map((a) => a.id)).size).toBe(12);
		const expected = inWindow(result.calls[0].query.from, result.calls[0].query.until).slice(0, 12);
		expect(result.json.map((a) => a.id)).toEqual(expected.map((a) => a.id));
		expect(typeof result.json[0].details).toBe('string');
	});

	test('Return All walks every page of a small page size', async () => {
		const result = await runOperation(account, {
			resource: 'activityLog',
			operation: 'getMany',
			returnAll: true,
			from: new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString(),
			options: { pageSize: 25 },
		});
		expect(result.error).toBeUndefined();
		const expected = inWindow(result.calls[0].query.from, result.calls[0].query.until);
		expect(expected.length).toBeGreaterThan(50);
		expect(result.json).toHaveLength(expected.length);
		expect(new Set(result.json.map((a) => a.id)).size).toBe(expected.length);
		expect(result.calls.length).toBe(Math.ceil(expected.length / 25));
	});

	test('sends the filters as Datto expects them', async () => {
		const site = account.sim.state.sites[0];
		const result = await runOperation(account, {
			resource: 'activityLog',
			operation: 'getMany',
			returnAll: true,
			from: '2020-01-01T00:00:00Z',
			until: new Date().toISOString(),
			filters: {
				entities: ['device'],
				categories: 'job, device',
				actions: 'deployment,create,note',
				siteIds: `${site.id}`,
				searchQuery: 'site.name : "*"',
			},
		});
		expect(result.error).toBeUndefined();
		expect(result.calls[0].query).toMatchObject({
			from: '2020-01-01T00:00:00Z',
			entities: 'device',
			categories: 'job,device',
			actions: 'deployment,create,note',
			siteIds: String(site.id),
			searchQuery: 'site.name : "*"',
		});
		expect(result.json.length).toBeGreaterThan(0);
		for (const entry of result.json) {
			expect(entry).toMatchObject({ entity: 'DEVICE', site: { id: site.id } });
			expect(['job', 'device']).toContain(entry.category);
		}
	});

	test('a repeating cursor stops with an error instead of looping', async () => {
		const page = {
			pageDetails: { count: 1, nextPageUrl: `${account.sim.url}/api/v2/activity-logs?searchAfter=1,loop&page=next` },
			activities: [{ id: 'loop', entity: 'USER', category: 'user', action: 'login', date: 1, details: '{}' }],
		};
		account.sim.inject({ method: 'GET', path: PATH, status: 200, body: page, times: 3 });
		const result = await runOperation(account, { resource: 'activityLog', operation: 'getMany', returnAll: true });
		account.sim.clearFaults();
		// The same cursor brings the same entries again: the runaway guard stops it at once.
		expect(errorText(result.error)).toMatch(/returned only entries already read|went in a circle/);
		expect(result.calls).toHaveLength(2);
	});

	test('bad dates and IDs fail with the field named and nothing sent', async () => {
		const badFrom = await runOperation(account, { resource: 'activityLog', operation: 'getMany', from: 'yesterday-ish' });
		expect(badFrom.error?.name).toBe('NodeOperationError');
		expect(errorText(badFrom.error)).toMatch(/From is not a valid date/);
		expect(errorText(badFrom.error)).toContain('"From"');
		expect(badFrom.calls).toHaveLength(0);

		const reversed = await runOperation(account, {
			resource: 'activityLog',
			operation: 'getMany',
			from: '2026-01-02T00:00:00Z',
			until: '2026-01-01T00:00:00Z',
		});
		expect(errorText(reversed.error)).toContain('From');
		expect(reversed.calls).toHaveLength(0);

		const badSites = await runOperation(account, { resource: 'activityLog', operation: 'getMany', filters: { siteIds: '4, eight' } });
		expect(errorText(badSites.error)).toContain('Site IDs');
		expect(badSites.calls).toHaveLength(0);
	});
});
