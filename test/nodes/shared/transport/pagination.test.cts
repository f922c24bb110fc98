/**
 * Return All and Limit through n8n's engine against the simulator: pages walked with the account's
 * page size, only the pages a Limit needs, and next-page links kept on the credential's server with
 * the first request's filters.
 */
import { runDattoNode, startSimulatedAccount, type SimulatedAccount } from '../../../harness/index.cjs';
import { requestsTo } from '../../../harness/operations.cjs';

const deviceGetMany = (extra: Record<string, unknown> = {}) => ({
	resource: 'device',
	operation: 'getMany',
	...extra,
});

describe('Return All and Limit', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator: { pageSize: 7, size: { devices: 40 } } });
	});
	afterAll(() => account.close());
	beforeEach(() => account.sim.resetCounters());

	test('Return All walks every page with the account page size and returns one item per device', async () => {
		const run = await runDattoNode(
			{ parameters: deviceGetMany({ returnAll: true }), credential: account.credential },
			account.harness,
		);
		expect(run.error).toBeUndefined();
		const listed = account.sim.state.devices.filter((d) => !d.deleted);
		expect(run.items).toHaveLength(listed.length);
		expect(new Set(run.items.map((i) => i.json.uid)).size).toBe(listed.length);
		expect(run.items.every((i) => !('pageDetails' in i.json) && typeof i.json.hostname === 'string')).toBe(true);
		const pages = requestsTo(account, '/api/v2/account/devices');
		expect(pages.length).toBe(Math.ceil(listed.length / 7));
		expect(pages.length).toBeGreaterThanOrEqual(3);
		expect(pages.map((p) => p.query.max)).toEqual(pages.map(() => '7'));
		expect(pages[0].query.page).toBe('0');
		expect(run.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('Limit across a page boundary fetches only the pages it needs', async () => {
		const run = await runDattoNode(
			{ parameters: deviceGetMany({ returnAll: false, limit: 10 }), credential: account.credential },
			account.harness,
		);
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(10);
		expect(requestsTo(account, '/api/v2/account/devices')).toHaveLength(2);
	});

	test('a nextPageUrl that dropped the filters gets them back', async () => {
		const hostnames = account.sim.state.devices.filter((d) => !d.deleted).map((d) => d.hostname.toLowerCase());
		const counts = new Map<string, number>();
		for (const h of hostnames) for (let n = 0; n + 2 <= h.length; n++) counts.set(h.slice(n, n + 2), (counts.get(h.slice(n, n + 2)) ?? 0) + 1);
		const [needle] = [...counts.entries()].find(([, c]) => c > 8 && c < hostnames.length - 5) ?? [];
		expect(needle).toBeDefined();
		const parameters = deviceGetMany({ returnAll: true, filters: { hostname: needle } });

		const clean = await runDattoNode({ parameters, credential: account.credential }, account.harness);
		account.sim.setFaults({ nextPageUrlDropsFilters: true });
		try {
			const faulty = await runDattoNode({ parameters, credential: account.credential }, account.harness);
			expect(faulty.error).toBeUndefined();
			expect(faulty.items.map((i) => i.json.uid)).toEqual(clean.items.map((i) => i.json.uid));
			expect(faulty.items.length).toBeGreaterThan(7);
			expect(faulty.items.every((i) => String(i.json.hostname).toLowerCase().includes(needle!))).toBe(true);
		} finally {
			account.sim.clearFaults();
		}
	});

	test('a nextPageUrl pointing at another host is refused and the token does not leave', async () => {
		account.sim.setFaults({ nextPageUrlForeignHost: 'evil.example.com:8443' });
		try {
			const run = await runDattoNode(
				{ parameters: deviceGetMany({ returnAll: true }), credential: account.credential },
				account.harness,
			);
			expect(run.error?.message).toMatch(/another server/);
			expect(String(run.error?.message)).toContain('evil.example.com');
			expect(requestsTo(account, '/api/v2/account/devices')).toHaveLength(1);
		} finally {
			account.sim.clearFaults();
		}
	});
});
