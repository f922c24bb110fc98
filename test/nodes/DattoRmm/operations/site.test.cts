/**
 * Site operations, run through n8n's engine against the simulator over HTTP: the request each one
 * sends (method, path, body), the items it outputs, and bad input stopped before anything is sent.
 */
import { EMPTY, byId, operationsOn } from '../../../harness/operations.cjs';

const { state, run, runOne, expectInputError } = operationsOn();

describe('Site', () => {
	test('Create: PUT /v2/site with name and the additional fields, proxy included', async () => {
		const { request, body, json } = await runOne({
			resource: 'site',
			operation: 'create',
			name: 'Zeta Test Clinic',
			additionalFields: {
				description: 'Dental clinic',
				notes: 'Front desk: 555-0100',
				onDemand: true,
				splashtopAutoInstall: false,
				proxySettings: {
					settings: { host: 'proxy.zeta.local', port: 3128, type: 'socks5', username: 'agent', password: 'p@ss' },
				},
			},
		});
		expect(request.method).toBe('PUT');
		expect(request.path).toBe('/api/v2/site');
		expect(body).toEqual({
			name: 'Zeta Test Clinic',
			description: 'Dental clinic',
			notes: 'Front desk: 555-0100',
			onDemand: true,
			splashtopAutoInstall: false,
			proxySettings: { host: 'proxy.zeta.local', port: 3128, type: 'socks5', username: 'agent', password: 'p@ss' },
		});
		expect(json).toEqual([expect.objectContaining({ name: 'Zeta Test Clinic', uid: expect.any(String) })]);
		expect(state().sites.some((s) => s.name === 'Zeta Test Clinic' && s.proxy?.host === 'proxy.zeta.local')).toBe(true);
	});

	test('Create with only a name sends only the name', async () => {
		const { body } = await runOne({ resource: 'site', operation: 'create', name: 'Zeta Bare' });
		expect(body).toEqual({ name: 'Zeta Bare' });
	});

	test('Create with bad input: empty name, proxy without host or with a bad port', async () => {
		await expectInputError({ resource: 'site', operation: 'create', name: EMPTY }, 'Name');
		await expectInputError(
			{ resource: 'site', operation: 'create', name: 'X', additionalFields: { proxySettings: { settings: { host: '', port: 80 } } } },
			'Proxy Host',
		);
		await expectInputError(
			{ resource: 'site', operation: 'create', name: 'X', additionalFields: { proxySettings: { settings: { host: 'p', port: 70000 } } } },
			'Proxy Port',
		);
	});

	test('Get: GET /v2/site/{uid}', async () => {
		const site = state().sites[0];
		const { request, json } = await runOne({ resource: 'site', operation: 'get', siteUid: byId(site.uid) });
		expect(request.path).toBe(`/api/v2/site/${site.uid}`);
		expect(json).toEqual([expect.objectContaining({ uid: site.uid, name: site.name })]);
	});

	test('Get Many: /v2/account/sites with siteName, one item per site', async () => {
		const site = state().sites[2];
		const fragment = site.name.slice(0, 5).toLowerCase();
		const outcome = await run({ resource: 'site', operation: 'getMany', returnAll: true, filters: { siteName: fragment } });
		expect(outcome.result.error).toBeUndefined();
		expect(outcome.requests[0].path).toBe('/api/v2/account/sites');
		expect(outcome.requests[0].query).toMatchObject({ siteName: fragment });
		expect(outcome.json.map((s) => s.uid)).toContain(site.uid);

		const all = await run({ resource: 'site', operation: 'getMany', returnAll: true });
		expect(all.json).toHaveLength(state().sites.length);
	});

	test('Update without a name: reads the current name, then POSTs it with the changes', async () => {
		const site = state().sites[3];
		const outcome = await run({
			resource: 'site',
			operation: 'update',
			siteUid: byId(site.uid),
			updateFields: { description: 'Updated by n8n', onDemand: false },
		});
		expect(outcome.result.error).toBeUndefined();
		expect(outcome.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /api/v2/site/${site.uid}`,
			`POST /api/v2/site/${site.uid}`,
		]);
		expect(JSON.parse(outcome.requests[1].body)).toEqual({ description: 'Updated by n8n', onDemand: false, name: site.name });
		expect(outcome.json).toEqual([expect.objectContaining({ uid: site.uid, description: 'Updated by n8n' })]);
	});

	test('Update with a name: one POST', async () => {
		const site = state().sites[3];
		const { request, body } = await runOne({
			resource: 'site',
			operation: 'update',
			siteUid: byId(site.uid),
			updateFields: { name: 'Renamed Site', notes: 'n', splashtopAutoInstall: true },
		});
		expect(request.method).toBe('POST');
		expect(body).toEqual({ name: 'Renamed Site', notes: 'n', splashtopAutoInstall: true });
		expect(state().site(site.uid)!.name).toBe('Renamed Site');
	});

	test('Update with no fields: NodeOperationError naming Update Fields', async () => {
		const site = state().sites[3];
		const error = await expectInputError(
			{ resource: 'site', operation: 'update', siteUid: byId(site.uid), updateFields: {} },
			'Update Fields',
		);
		expect(error.message).toMatch(/at least one field to update/);
	});

	test('Get Settings: GET /v2/site/{uid}/settings', async () => {
		const site = state().sites[0];
		const { request, json } = await runOne({ resource: 'site', operation: 'getSettings', siteUid: byId(site.uid) });
		expect(request.path).toBe(`/api/v2/site/${site.uid}/settings`);
		expect(json[0]).toHaveProperty('generalSettings');
	});

	test('Update Proxy: POST the ProxySettings, empty username/password left out', async () => {
		const site = state().sites[1];
		const { request, body } = await runOne({
			resource: 'site',
			operation: 'updateProxy',
			siteUid: byId(site.uid),
			host: 'proxy.example.net',
			port: 8080,
			type: 'socks4',
			username: '',
			password: '',
		});
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/api/v2/site/${site.uid}/settings/proxy`);
		expect(body).toEqual({ host: 'proxy.example.net', port: 8080, type: 'socks4' });
		expect(state().site(site.uid)!.proxy).toMatchObject({ host: 'proxy.example.net', port: 8080, type: 'socks4' });

		const withAuth = await runOne({
			resource: 'site',
			operation: 'updateProxy',
			siteUid: byId(site.uid),
			host: 'proxy.example.net',
			port: 3128,
			username: 'u',
			password: 's3cret',
		});
		expect(withAuth.body).toEqual({ host: 'proxy.example.net', port: 3128, type: 'http', username: 'u', password: 's3cret' });
	});

	test('Update Proxy with bad input: empty host, port out of range', async () => {
		const site = state().sites[1];
		const base = { resource: 'site', operation: 'updateProxy', siteUid: byId(site.uid) };
		await expectInputError({ ...base, host: EMPTY, port: 8080 }, 'Host');
		await expectInputError({ ...base, host: 'p', port: 0 }, 'Port');
	});

	test('Delete Proxy: DELETE /v2/site/{uid}/settings/proxy', async () => {
		const site = state().sites[1];
		const { request, json } = await runOne({ resource: 'site', operation: 'deleteProxy', siteUid: byId(site.uid) });
		expect(request.method).toBe('DELETE');
		expect(request.path).toBe(`/api/v2/site/${site.uid}/settings/proxy`);
		expect(json).toEqual([{ success: true, siteUid: site.uid }]);
		expect(state().site(site.uid)!.proxy).toBeUndefined();
	});
});
