/**
 * Writes change the world: sites, UDFs (only the given fields), warranty, alert resolve, quick jobs
 * (active → completed with stdout), variables (masked values hidden), proxy, device move; plus the
 * live error forms for bad input, consistent counts, and a deterministic, scalable seed.
 */
import { DattoSimulator } from './index.cjs';
import { SimClient } from './client.cjs';

let sim: DattoSimulator;
let c: SimClient;
const RUN_MS = 300;
/** Unconfirmed dates (job dateCreated, ranOn) come as the spec's ISO strings by default. */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

beforeAll(async () => {
	sim = await DattoSimulator.start({ seed: 5, jobRunMs: RUN_MS, rateLimit: { enabled: false } });
	c = await new SimClient(sim).login();
});
afterAll(() => sim.close());

test('site create (PUT) then get; listed with zero devices; not idempotent', async () => {
	const body = { name: 'Brand New Client', description: 'new', onDemand: false, splashtopAutoInstall: true };
	const r = await c.call('PUT', '/v2/site', body);
	expect(r.status).toBe(200);
	expect(r.json).toMatchObject({ name: 'Brand New Client', description: 'new', accountUid: sim.state.account.uid, devicesStatus: { numberOfDevices: 0, numberOfOnlineDevices: 0, numberOfOfflineDevices: 0 } });
	const got = await c.get(`/v2/site/${r.json.uid}`);
	expect(got.json).toEqual(r.json);
	const again = await c.call('PUT', '/v2/site', body);
	expect(again.json.uid).not.toBe(r.json.uid);
	const listed = await c.get('/v2/account/sites?siteName=brand%20new');
	expect(listed.json.pageDetails.totalCount).toBe(2);
	const upd = await c.call('POST', `/v2/site/${r.json.uid}`, { name: 'Renamed Client', notes: 'n1' });
	expect(upd.json).toMatchObject({ name: 'Renamed Client', notes: 'n1', description: 'new' });
	expect((await c.get(`/v2/site/${r.json.uid}/settings`)).json.generalSettings.name).toBe('Renamed Client');
});

test('site errors: blank name → 400 errorCode body; unknown site → Spring 404 naming the uid', async () => {
	const bad = await c.call('PUT', '/v2/site', { name: '  ' });
	expect(bad.status).toBe(400);
	expect(bad.json).toMatchObject({ errorCode: expect.any(String), message: expect.stringMatching(/name/) });
	const malformed = await c.call('PUT', '/v2/site', '{"name": ');
	expect(malformed.status).toBe(400);
	const nf = await c.get('/v2/site/no-such-site');
	expect(nf.status).toBe(404);
	expect(nf.json).toMatchObject({ status: 404, error: 'Not Found', path: '/api/v2/site/no-such-site', timestamp: expect.any(String) });
	expect(nf.json.message).toContain('no-such-site');
	const wrongMethod = await c.call('PATCH', `/v2/site/${sim.state.sites[0].uid}`, { name: 'x' });
	expect(wrongMethod.status).toBe(405);
	expect(wrongMethod.headers.get('allow')).toContain('POST');
});

test('UDF set changes only the given fields; empty clears; udf above 300 is refused', async () => {
	const d = sim.state.devices.find((x) => x.udf.udf1 && x.deviceClass === 'device')!;
	const keepUdf1 = d.udf.udf1;
	expect((await c.call('POST', `/v2/device/${d.uid}/udf`, { udf7: 'seven', udf300: 'max' })).status).toBe(200);
	let got = (await c.get(`/v2/device/${d.uid}`)).json;
	expect(got.udf).toMatchObject({ udf1: keepUdf1, udf7: 'seven', udf300: 'max' });
	expect((await c.call('POST', `/v2/device/${d.uid}/udf`, { udf7: '' })).status).toBe(200);
	got = (await c.get(`/v2/device/${d.uid}`)).json;
	expect(got.udf.udf7).toBeNull(); // live: every UDF is present, unset ones null
	expect(got.udf.udf300).toBe('max');
	expect(got.udf.udf1).toBe(keepUdf1);
	const bad = await c.call('POST', `/v2/device/${d.uid}/udf`, { udf301: 'x' });
	expect(bad.status).toBe(400);
	expect(bad.json.errorCode).toBeDefined();
	expect((await c.call('POST', '/v2/device/nope/udf', { udf1: 'x' })).status).toBe(404);
});

test('warranty: yyyy-mm-dd is validated; null clears', async () => {
	const d = sim.state.devices[2];
	expect((await c.call('POST', `/v2/device/${d.uid}/warranty`, { warrantyDate: '2028-02-29' })).status).toBe(200);
	expect((await c.get(`/v2/device/${d.uid}`)).json.warrantyDate).toBe('2028-02-29');
	for (const bad of ['2027-02-29', '2027-13-01', '31/12/2027', '2027-1-5', '2027-01-01T00:00:00Z', 20270101]) {
		const r = await c.call('POST', `/v2/device/${d.uid}/warranty`, { warrantyDate: bad });
		expect(r.status).toBe(400);
		expect(r.json).toMatchObject({ errorCode: 'INVALID_WARRANTY_DATE', message: expect.stringContaining('yyyy-mm-dd'), details: expect.any(Object) });
	}
	expect((await c.get(`/v2/device/${d.uid}`)).json.warrantyDate).toBe('2028-02-29');
	expect((await c.call('POST', `/v2/device/${d.uid}/warranty`, { warrantyDate: null })).status).toBe(200);
	expect((await c.get(`/v2/device/${d.uid}`)).json.warrantyDate).toBeNull();
});

test('alert resolve moves the alert from open to resolved with resolvedOn', async () => {
	const a = sim.state.alerts.find((x) => !x.resolved)!;
	const openBefore = (await c.get('/v2/account/alerts/open?max=1')).json.pageDetails.totalCount;
	const resolvedBefore = (await c.get('/v2/account/alerts/resolved?max=1')).json.pageDetails.totalCount;
	const t0 = Date.now();
	expect((await c.call('POST', `/v2/alert/${a.alertUid}/resolve`)).status).toBe(200);
	const got = (await c.get(`/v2/alert/${a.alertUid}`)).json;
	expect(got.resolved).toBe(true);
	expect(got.resolvedOn).toBeGreaterThanOrEqual(t0);
	expect(got.resolvedBy).toBe('demo.api');
	expect((await c.get('/v2/account/alerts/open?max=1')).json.pageDetails.totalCount).toBe(openBefore - 1);
	expect((await c.get('/v2/account/alerts/resolved?max=1')).json.pageDetails.totalCount).toBe(resolvedBefore + 1);
	const devOpen = (await c.get(`/v2/device/${a.deviceUid}/alerts/open?max=500`)).json.alerts.map((x: any) => x.alertUid);
	expect(devOpen).not.toContain(a.alertUid);
	expect((await c.call('POST', '/v2/alert/not-an-alert/resolve')).status).toBe(404);
});

test('mute/unmute are dead (404, Spring body) and change nothing', async () => {
	const a = sim.state.alerts.find((x) => !x.resolved && !x.muted)!;
	const r = await c.call('POST', `/v2/alert/${a.alertUid}/mute`);
	expect(r.status).toBe(404);
	expect(r.json.message).toMatch(/No static resource/);
	expect((await c.get(`/v2/alert/${a.alertUid}`)).json.muted).toBe(false);
});

test('quick job: active → completed after jobRunMs, with results and stdout; failing component has stderr', async () => {
	const d = sim.state.devices.find((x) => x.deviceClass === 'device')!;
	const comp = sim.state.components.find((x) => x.name === 'Collect Event Logs')!;
	const r = await c.call('PUT', `/v2/device/${d.uid}/quickjob`, { jobName: 'Collect logs', jobComponent: { componentUid: comp.uid, variables: [{ name: 'LogName', value: 'System' }] } });
	expect(r.status).toBe(200);
	expect(r.json.job).toMatchObject({ name: 'Collect logs', status: 'active', uid: expect.any(String), dateCreated: expect.stringMatching(ISO) });
	expect(r.json.jobComponents[0].variables).toEqual([{ name: 'LogName', value: 'System' }, { name: 'Hours', value: '24' }]);
	const job = r.json.job.uid;
	expect((await c.get(`/v2/job/${job}`)).json.status).toBe('active');
	expect((await c.get(`/v2/job/${job}/results/${d.uid}`)).json).toMatchObject({ jobDeploymentStatus: 'Running', componentResults: [] });
	expect((await c.get(`/v2/job/${job}/results/${d.uid}/stdout`)).json).toEqual([]);
	await new Promise((res) => setTimeout(res, RUN_MS + 50));
	expect((await c.get(`/v2/job/${job}`)).json.status).toBe('completed');
	const results = (await c.get(`/v2/job/${job}/results/${d.uid}`)).json;
	expect(results).toMatchObject({ jobUid: job, deviceUid: d.uid, jobDeploymentStatus: 'Success', ranOn: expect.stringMatching(ISO) });
	expect(results.componentResults[0]).toMatchObject({ componentUid: comp.uid, componentStatus: 'Success', hasStdOut: true, hasStdErr: false });
	const out = (await c.get(`/v2/job/${job}/results/${d.uid}/stdout`)).json;
	expect(Array.isArray(out)).toBe(true);
	expect(out[0]).toMatchObject({ componentUid: comp.uid, componentName: comp.name });
	expect(out[0].stdData).toContain(d.hostname);
	expect(out[0].stdData).toContain('LogName=System');
	expect((await c.get(`/v2/job/${job}/results/${d.uid}/stderr`)).json).toEqual([]);
	expect((await c.get(`/v2/job/${job}/components`)).json.jobComponents[0].uid).toBe(comp.uid);
	// Another device has no results for this job.
	const other = sim.state.devices.find((x) => x.uid !== d.uid)!;
	expect((await c.get(`/v2/job/${job}/results/${other.uid}`)).status).toBe(404);

	const failing = sim.state.components.find((x) => x.fails)!;
	const f = await c.call('PUT', `/v2/device/${d.uid}/quickjob`, { jobName: 'Will fail', jobComponent: { componentUid: failing.uid } });
	await new Promise((res) => setTimeout(res, RUN_MS + 50));
	const fr = (await c.get(`/v2/job/${f.json.job.uid}/results/${d.uid}`)).json;
	expect(fr.jobDeploymentStatus).toBe('Failure');
	expect(fr.componentResults[0]).toMatchObject({ componentStatus: 'Failure', hasStdErr: true });
	const err = (await c.get(`/v2/job/${f.json.job.uid}/results/${d.uid}/stderr`)).json;
	expect(err[0].stdData).toMatch(/Error/);
});

test('quick job validation: unknown component, unknown variable, missing jobName → 400; unknown device → 404', async () => {
	const d = sim.state.devices.find((x) => x.deviceClass === 'device')!;
	const comp = sim.state.components.find((x) => x.variables.length > 0)!;
	const unknownComp = await c.call('PUT', `/v2/device/${d.uid}/quickjob`, { jobName: 'x', jobComponent: { componentUid: 'nope', variables: [] } });
	expect(unknownComp.status).toBe(400);
	expect(unknownComp.json).toMatchObject({ errorCode: 'COMPONENT_NOT_FOUND', message: expect.stringContaining('nope') });
	const unknownVar = await c.call('PUT', `/v2/device/${d.uid}/quickjob`, { jobName: 'x', jobComponent: { componentUid: comp.uid, variables: [{ name: 'Bogus', value: '1' }] } });
	expect(unknownVar.status).toBe(400);
	expect(unknownVar.json.message).toContain('Bogus');
	const badVar = await c.call('PUT', `/v2/device/${d.uid}/quickjob`, { jobName: 'x', jobComponent: { componentUid: comp.uid, variables: [{ name: comp.variables[0].name, value: 5 }] } });
	expect(badVar.status).toBe(400);
	expect((await c.call('PUT', `/v2/device/${d.uid}/quickjob`, { jobComponent: { componentUid: comp.uid } })).status).toBe(400);
	expect((await c.call('PUT', '/v2/device/nope/quickjob', { jobName: 'x', jobComponent: { componentUid: comp.uid } })).status).toBe(404);
});

test('variables: create (masked hidden), update, delete; duplicate name → 409 with no body', async () => {
	const created = await c.call('PUT', '/v2/account/variable', { name: 'ApiToken', value: 'very-secret', masked: true });
	expect(created.status).toBe(200);
	expect(created.json).toMatchObject({ name: 'ApiToken', value: '*****', masked: true, id: expect.any(Number) });
	const list = (await c.get('/v2/account/variables')).json.variables;
	expect(list.find((v: any) => v.name === 'ApiToken').value).toBe('*****');
	expect(JSON.stringify(list)).not.toContain('very-secret');
	const dup = await c.call('PUT', '/v2/account/variable', { name: 'ApiToken', value: 'x' });
	expect(dup.status).toBe(409);
	expect(dup.text).toBe('');
	expect((await c.call('POST', `/v2/account/variable/${created.json.id}`, { name: 'ApiToken2', value: 'still-secret' })).status).toBe(200);
	expect(sim.state.accountVariables.find((v) => v.id === created.json.id)).toMatchObject({ name: 'ApiToken2', value: 'still-secret', masked: true });
	// The spec requires neither field of an update: what is left out keeps its value.
	expect((await c.call('POST', `/v2/account/variable/${created.json.id}`, { value: 'rotated' })).status).toBe(200);
	expect(sim.state.accountVariables.find((v) => v.id === created.json.id)).toMatchObject({ name: 'ApiToken2', value: 'rotated' });
	expect((await c.call('POST', `/v2/account/variable/${created.json.id}`, { name: 'ApiToken3' })).status).toBe(200);
	expect(sim.state.accountVariables.find((v) => v.id === created.json.id)).toMatchObject({ name: 'ApiToken3', value: 'rotated' });
	expect((await c.call('POST', `/v2/account/variable/${created.json.id}`, {})).status).toBe(200);
	expect(sim.state.accountVariables.find((v) => v.id === created.json.id)).toMatchObject({ name: 'ApiToken3', value: 'rotated' });
	expect((await c.call('POST', `/v2/account/variable/${created.json.id}`, { name: 'bad name' })).status).toBe(400);
	expect((await c.call('DELETE', `/v2/account/variable/${created.json.id}`)).status).toBe(200);
	expect((await c.call('DELETE', `/v2/account/variable/${created.json.id}`)).status).toBe(404);
	expect((await c.call('PUT', '/v2/account/variable', { name: 'has space', value: 'x' })).status).toBe(400);
	expect((await c.call('PUT', '/v2/account/variable', { name: 'NoValue' })).status).toBe(400);

	const site = sim.state.sites[2];
	const sv = await c.call('PUT', `/v2/site/${site.uid}/variable`, { name: 'SiteOnly', value: 'v' });
	expect((await c.get(`/v2/site/${site.uid}/variables`)).json.variables.map((v: any) => v.name)).toContain('SiteOnly');
	expect((await c.get(`/v2/site/${sim.state.sites[1].uid}/variables`)).json.variables.map((v: any) => v.name)).not.toContain('SiteOnly');
	expect((await c.call('DELETE', `/v2/site/${site.uid}/variable/${sv.json.id}`)).status).toBe(200);
});

test('proxy settings: set, shown without password, deleted (then 204 when there is none)', async () => {
	const site = sim.state.sites[0];
	const set = await c.call('POST', `/v2/site/${site.uid}/settings/proxy`, { host: 'px.local', port: 8080, type: 'socks5', username: 'u', password: 'pw' });
	expect(set.status).toBe(200);
	expect(set.json.proxySettings).toEqual({ host: 'px.local', port: 8080, type: 'socks5', username: 'u' });
	expect((await c.get(`/v2/site/${site.uid}`)).json.proxySettings.host).toBe('px.local');
	expect((await c.call('POST', `/v2/site/${site.uid}/settings/proxy`, { host: 'px', type: 'ftp' })).status).toBe(400);
	expect((await c.call('DELETE', `/v2/site/${site.uid}/settings/proxy`)).status).toBe(200);
	expect((await c.get(`/v2/site/${site.uid}`)).json.proxySettings).toBeNull();
	expect((await c.call('DELETE', `/v2/site/${site.uid}/settings/proxy`)).status).toBe(204);
});

test('device move changes siteUid/siteName and the per-site counts; counts add up to the account', async () => {
	const d = sim.state.devices.find((x) => x.deviceClass === 'device')!;
	const from = d.siteUid;
	const to = sim.state.sites.find((s) => s.uid !== from)!;
	const countsBefore = (await c.get(`/v2/site/${to.uid}`)).json.devicesStatus.numberOfDevices;
	expect((await c.call('PUT', `/v2/device/${d.uid}/site/${to.uid}`)).status).toBe(200);
	const moved = (await c.get(`/v2/device/${d.uid}`)).json;
	expect(moved).toMatchObject({ siteUid: to.uid, siteName: to.name, siteId: to.id });
	expect((await c.get(`/v2/site/${to.uid}`)).json.devicesStatus.numberOfDevices).toBe(countsBefore + 1);
	expect((await c.call('PUT', `/v2/device/${d.uid}/site/nope`)).status).toBe(404);

	const sites = (await c.get('/v2/account/sites?max=250')).json.sites;
	const account = (await c.get('/v2/account')).json.devicesStatus;
	const sum = (k: string): number => sites.reduce((a: number, s: any) => a + s.devicesStatus[k], 0);
	expect(sum('numberOfDevices')).toBe(account.numberOfDevices);
	expect(sum('numberOfOnlineDevices')).toBe(account.numberOfOnlineDevices);
	expect(account.numberOfOnDemandDevices + account.numberOfManagedDevices).toBe(account.numberOfDevices);
	const devices = (await c.get('/v2/account/devices?max=1')).json.pageDetails.totalCount;
	expect(devices).toBe(account.numberOfDevices);
});

test('audits answer 400 for the wrong device class', async () => {
	const printer = sim.state.devices.find((x) => x.deviceClass === 'printer')!;
	const r = await c.get(`/v2/audit/device/${printer.uid}`);
	expect(r.status).toBe(400);
	expect(r.json.message).toMatch(/not of class device/);
	expect((await c.get(`/v2/audit/printer/${printer.uid}`)).status).toBe(200);
	expect((await c.get(`/v2/audit/esxihost/${printer.uid}`)).status).toBe(400);
});

test('the seed is deterministic and scales to 50,000 devices quickly', async () => {
	const a = await DattoSimulator.start({ seed: 42 });
	const b = await DattoSimulator.start({ seed: 42 });
	try {
		expect(a.state.devices.map((d) => d.uid)).toEqual(b.state.devices.map((d) => d.uid));
		expect(a.state.alerts.map((x) => x.alertUid)).toEqual(b.state.alerts.map((x) => x.alertUid));
		expect(a.state.devices.length).toBe(300);
		expect(a.state.sites.length).toBe(8);
		expect(a.state.alerts.filter((x) => !x.resolved).length).toBe(120);
	} finally {
		await a.close();
		await b.close();
	}
	const t0 = Date.now();
	const big = await DattoSimulator.start({ size: { devices: 50_000, sites: 200 } });
	try {
		// A sanity bound, not a benchmark: ~1 s on an idle machine, the CI box may be busy.
		expect(Date.now() - t0).toBeLessThan(20_000);
		const bc = await new SimClient(big).login();
		const r = await bc.get('/v2/account/devices?page=150');
		expect(r.json.pageDetails).toMatchObject({ count: 250, totalCount: 50_000 });
		expect(r.ms).toBeLessThan(5000);
	} finally {
		await big.close();
	}
});

test('by default absent values arrive as null and udf1..udf300 are all present, as live; option compact leaves them out', async () => {
	const d = sim.state.devices.find((x) => x.description === undefined)!;
	const got = (await c.get(`/v2/device/${d.uid}`)).json;
	expect(got.description).toBeNull();
	expect(Object.keys(got.udf).length).toBe(300);
	expect(got.udf.udf300).toBeNull();
	const open = (await c.get('/v2/account/alerts/open?max=1')).json.alerts[0];
	expect(open.resolvedOn).toBeNull();
	const s = await DattoSimulator.start({ seed: 5, compact: true });
	try {
		const sc = await new SimClient(s).login();
		const compact = (await sc.get(`/v2/device/${d.uid}`)).json;
		expect('description' in compact).toBe(false);
		expect(Object.keys(compact.udf)).toEqual(Object.keys(d.udf));
		expect('resolvedOn' in (await sc.get('/v2/account/alerts/open?max=1')).json.alerts[0]).toBe(false);
	} finally {
		await s.close();
	}
});
