/**
 * The pickers' searches (list searches), run as n8n's server runs them for the editor, against the
 * simulator: what each finds and how it names what it finds.
 */
import { searchAll, searchList, startSimulatedAccount, type SimulatedAccount } from '../../../harness/index.cjs';

describe('picker searches, as the editor runs them', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator: { seed: 12 } });
	});
	afterAll(async () => {
		await account.close();
	});

	test('the device picker finds devices by site name too ("HOSTNAME (Site)"), each once', async () => {
		const site = account.sim.state.sites.find((s) => account.sim.state.devices.some((d) => d.siteUid === s.uid && !d.deleted))!;
		// The first answer already holds them: the editor shows "No results" for an empty first page.
		const first = await searchList(account, 'searchDevices', { filter: site.name, parameterName: 'deviceUid' });
		expect(first.results.length).toBeGreaterThan(0);
		const results = await searchAll(account, 'searchDevices', { filter: site.name, parameterName: 'deviceUid' });
		const ofSite = account.sim.state.devices.filter((d) => d.siteUid === site.uid && !d.deleted).map((d) => d.uid);
		expect(results.map((r) => r.value)).toEqual(expect.arrayContaining(ofSite));
		expect(new Set(results.map((r) => r.value)).size).toBe(results.length);
		for (const r of results) expect(r.name).toMatch(/\(.+\)$/);
	});

	test('the device picker still finds by hostname, hostname matches first', async () => {
		const device = account.sim.state.devices.find((d) => !d.deleted)!;
		const results = await searchAll(account, 'searchDevices', { filter: device.hostname, parameterName: 'deviceUid' });
		expect(results[0].value).toBe(device.uid);
	});

	test('components of the same name are told apart in the component picker', async () => {
		const original = account.sim.state.components.find((c) => c.name === 'Clear Temp Files')!;
		account.sim.state.components.push({ ...original, id: 9999, uid: 'c1ea0000-0000-4000-8000-000000000001', categoryCode: 'applications' });
		const found = await searchAll(account, 'searchComponents', { filter: 'Clear Temp', parameterName: 'componentUid' });
		const results = found.filter((r) => r.name.startsWith('Clear Temp Files ['));
		expect(results).toHaveLength(2);
		expect(new Set(results.map((r) => r.name)).size).toBe(2);
		expect(results.map((r) => r.name)).toEqual(
			expect.arrayContaining([`Clear Temp Files [scripts, ${original.uid.slice(0, 8)}]`, 'Clear Temp Files [applications, c1ea0000]']),
		);
	});
});
