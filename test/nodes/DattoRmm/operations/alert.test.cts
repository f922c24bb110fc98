/**
 * Alert operations, run in n8n's engine against the simulator over HTTP: the request each one
 * sends, and the items it outputs.
 */
import { byId, errorText, runOperation } from '../../../harness/operations.cjs';
import { startSimulatedAccount, type SimulatedAccount } from '../../../harness/index.cjs';

describe('Alert', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator: { seed: 7 } });
	});
	afterAll(async () => {
		await account.close();
	});

	test('Get Many reaches the six endpoints by scope and status', async () => {
		const st = account.sim.state;
		// A device that has open and resolved alerts, and its site.
		const deviceUid = st.alerts.find(
			(a) => !a.resolved && st.alerts.some((b) => b.resolved && b.deviceUid === a.deviceUid),
		)?.deviceUid ?? st.alerts[0].deviceUid;
		const siteUid = st.deviceByUid.get(deviceUid)!.siteUid;
		const cases = [
			{ scope: 'account', status: 'open', path: '/api/v2/account/alerts/open', resolved: false },
			{ scope: 'account', status: 'resolved', path: '/api/v2/account/alerts/resolved', resolved: true },
			{ scope: 'site', status: 'open', path: `/api/v2/site/${siteUid}/alerts/open`, resolved: false },
			{ scope: 'site', status: 'resolved', path: `/api/v2/site/${siteUid}/alerts/resolved`, resolved: true },
			{ scope: 'device', status: 'open', path: `/api/v2/device/${deviceUid}/alerts/open`, resolved: false },
			{ scope: 'device', status: 'resolved', path: `/api/v2/device/${deviceUid}/alerts/resolved`, resolved: true },
		];
		for (const c of cases) {
			const result = await runOperation(account, {
				resource: 'alert',
				operation: 'getMany',
				scope: c.scope,
				status: c.status,
				siteUid: byId(siteUid),
				deviceUid: byId(deviceUid),
				returnAll: true,
			});
			expect(result.error).toBeUndefined();
			const calls = result.calls.filter((r) => r.path !== '/api/v2/system/pagination');
			expect(calls.length).toBeGreaterThanOrEqual(1);
			expect(calls[0]).toMatchObject({ method: 'GET', path: c.path, query: { page: '0' } });
			expect(calls[0].query.muted).toBeUndefined();
			const expected = st.alerts.filter(
				(a) =>
					a.resolved === c.resolved &&
					(c.scope === 'account' ||
						(c.scope === 'site' && st.deviceByUid.get(a.deviceUid)?.siteUid === siteUid) ||
						(c.scope === 'device' && a.deviceUid === deviceUid)),
			);
			expect(result.json).toHaveLength(expected.length);
			for (const alert of result.json) expect(alert.resolved).toBe(c.resolved);
		}
	});

	test('Get Many filters muted alerts and stops at the Limit', async () => {
		const onlyMuted = await runOperation(account, { resource: 'alert', operation: 'getMany', muted: 'true', returnAll: true });
		expect(onlyMuted.error).toBeUndefined();
		expect(onlyMuted.calls.find((r) => r.path === '/api/v2/account/alerts/open')?.query.muted).toBe('true');
		expect(onlyMuted.json.length).toBe(account.sim.state.alerts.filter((a) => !a.resolved && a.muted).length);
		for (const alert of onlyMuted.json) expect(alert.muted).toBe(true);

		const unmuted = await runOperation(account, { resource: 'alert', operation: 'getMany', muted: 'false', limit: 3 });
		expect(unmuted.error).toBeUndefined();
		expect(unmuted.calls.find((r) => r.path === '/api/v2/account/alerts/open')?.query).toMatchObject({ muted: 'false', max: '3' });
		expect(unmuted.json).toHaveLength(3);
		for (const alert of unmuted.json) expect(alert.muted).toBe(false);
	});

	test('Get returns one alert; Resolve resolves it', async () => {
		const alert = account.sim.state.alerts.find((a) => !a.resolved)!;
		const got = await runOperation(account, { resource: 'alert', operation: 'get', alertUid: alert.alertUid });
		expect(got.error).toBeUndefined();
		expect(got.calls).toEqual([expect.objectContaining({ method: 'GET', path: `/api/v2/alert/${alert.alertUid}` })]);
		expect(got.json).toEqual([expect.objectContaining({ alertUid: alert.alertUid, resolved: false })]);

		const resolved = await runOperation(account, { resource: 'alert', operation: 'resolve', alertUid: alert.alertUid });
		expect(resolved.error).toBeUndefined();
		expect(resolved.calls).toEqual([
			expect.objectContaining({ method: 'POST', path: `/api/v2/alert/${alert.alertUid}/resolve` }),
		]);
		expect(resolved.json).toEqual([expect.objectContaining({ success: true, alertUid: alert.alertUid })]);
		expect(account.sim.state.alertByUid.get(alert.alertUid)?.resolved).toBe(true);
	});

	test('an unknown alert answers with a hint naming it', async () => {
		const result = await runOperation(account, { resource: 'alert', operation: 'get', alertUid: 'no-such-alert' });
		expect(result.error?.name).toBe('NodeApiError');
		expect(errorText(result.error)).toContain('the alert "no-such-alert"');
	});

	test('an empty alert UID fails before any request', async () => {
		const result = await runOperation(account, { resource: 'alert', operation: 'resolve', alertUid: '  ' });
		expect(result.error?.name).toBe('NodeOperationError');
		expect(errorText(result.error)).toContain('Fix the "Alert UID" parameter');
		expect(result.calls).toHaveLength(0);
	});

	test('Mute and Unmute are not offered', async () => {
		const { DattoRmm } = await import('../../../../nodes/DattoRmm/DattoRmm.node.js');
		const operation = new DattoRmm().description.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('alert'),
		);
		const values = (operation?.options ?? []).map((o) => ('value' in o ? o.value : undefined));
		expect(values.sort()).toEqual(['get', 'getMany', 'resolve']);
	});
});
