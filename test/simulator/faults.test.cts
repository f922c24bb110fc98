/**
 * Faults: latency, a share of 5xx, dropped connections, malformed bodies, one-shot scripted faults
 * (incl. the ambiguous "processed, then dropped" write), and the /__sim control API that drives
 * them from another process.
 */
import { DattoSimulator } from './index.cjs';
import { SimClient, exchangeToken, raw } from './client.cjs';

let sim: DattoSimulator;
let c: SimClient;

beforeAll(async () => {
	sim = await DattoSimulator.start({ seed: 11, rateLimit: { enabled: false } });
	c = await new SimClient(sim).login();
});
afterAll(() => sim.close());
afterEach(() => sim.clearFaults());

test('latencyMs delays every /api answer, not the token endpoint', async () => {
	sim.setFaults({ latencyMs: 150 });
	const r = await c.get('/v2/account');
	expect(r.status).toBe(200);
	expect(r.ms).toBeGreaterThanOrEqual(140);
	const t = await exchangeToken(sim);
	expect(t.ms).toBeLessThan(140);
});

test('serverErrorRate 1: every /api request fails with 500/502/503 without being processed', async () => {
	sim.setFaults({ serverErrorRate: 1 });
	const site = sim.state.sites[0];
	const name = site.name;
	const statuses = new Set<number>();
	for (let i = 0; i < 12; i++) {
		const r = await c.call('POST', `/v2/site/${site.uid}`, { name: 'Should not happen' });
		statuses.add(r.status);
		if (r.status === 500) expect(r.json).toMatchObject({ status: 500, error: 'Internal Server Error' });
		else expect(r.headers.get('content-type')).toMatch(/text\/html/);
	}
	expect([...statuses].every((s) => [500, 502, 503].includes(s))).toBe(true);
	expect(statuses.size).toBeGreaterThan(1);
	expect(site.name).toBe(name);
	// Random faults apply to /api only: the token endpoint still works.
	expect((await exchangeToken(sim)).status).toBe(200);
});

test('serverErrorRate 0.5: a mix of failures and successes', async () => {
	sim.setFaults({ serverErrorRate: 0.5 });
	let ok = 0;
	let failed = 0;
	for (let i = 0; i < 30; i++) ((await c.get('/v2/system/pagination')).status === 200 ? ok++ : failed++);
	expect(ok).toBeGreaterThan(3);
	expect(failed).toBeGreaterThan(3);
});

test('dropConnectionRate 1: the socket is destroyed without an answer', async () => {
	sim.setFaults({ dropConnectionRate: 1 });
	await expect(c.get('/v2/account')).rejects.toThrow();
	expect(sim.log[sim.log.length - 1].status).toBe(0);
});

test('malformedBodyRate 1: 200 with a body that is not valid JSON', async () => {
	sim.setFaults({ malformedBodyRate: 1 });
	for (let i = 0; i < 6; i++) {
		const r = await c.get('/v2/account/devices');
		expect(r.status).toBe(200);
		expect(() => JSON.parse(r.text)).toThrow();
	}
});

test('scripted faults: answered in order by matching requests, `times` respected, then normal', async () => {
	sim.inject({ method: 'GET', path: '/api/v2/account', status: 503, body: { message: 'maintenance' }, headers: { 'Retry-After': '1' }, times: 2 });
	sim.inject({ path: /\/devices$/, status: 500, body: 'plain failure', headers: { 'Content-Type': 'text/plain' } });
	expect((await c.get('/v2/account/sites')).status).toBe(200); // no match: untouched
	const a = await c.get('/v2/account');
	expect(a.status).toBe(503);
	expect(a.json).toEqual({ message: 'maintenance' });
	expect(a.headers.get('retry-after')).toBe('1');
	expect((await c.get('/v2/account')).status).toBe(503);
	expect((await c.get('/v2/account')).status).toBe(200);
	const d = await c.get('/v2/account/devices');
	expect(d.status).toBe(500);
	expect(d.text).toBe('plain failure');
	expect((await c.get('/v2/account/devices')).status).toBe(200);
	expect(sim.pendingFaults()).toBe(0);
});

test('scripted fault on the token endpoint', async () => {
	sim.inject({ method: 'POST', path: '/auth/oauth/token', status: 500 });
	expect((await exchangeToken(sim)).status).toBe(500);
	expect((await exchangeToken(sim)).status).toBe(200);
});

test("drop 'before': the write never happens", async () => {
	const before = sim.state.sites.length;
	sim.inject({ method: 'PUT', path: '/api/v2/site', drop: 'before' });
	await expect(c.call('PUT', '/v2/site', { name: 'Dropped before' })).rejects.toThrow();
	expect(sim.state.sites.length).toBe(before);
});

test("drop 'after': the write happened although the client saw no answer (the ambiguous case)", async () => {
	const before = sim.state.sites.length;
	sim.inject({ method: 'PUT', path: '/api/v2/site', drop: 'after' });
	await expect(c.call('PUT', '/v2/site', { name: 'Dropped after' })).rejects.toThrow();
	expect(sim.state.sites.length).toBe(before + 1);
	expect(sim.state.sites[sim.state.sites.length - 1].name).toBe('Dropped after');
});

test("'after' + a long delay: the client times out while the quick job was created", async () => {
	const d = sim.state.devices.find((x) => x.deviceClass === 'device')!;
	const comp = sim.state.components[0];
	const jobs = sim.state.jobs.length;
	sim.inject({ method: 'PUT', path: /quickjob$/, drop: 'after', delayMs: 800 });
	const t0 = Date.now();
	await expect(
		raw(`${sim.url}/api/v2/device/${d.uid}/quickjob`, {
			method: 'PUT',
			headers: { Authorization: `Bearer ${c.token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ jobName: 'timeout', jobComponent: { componentUid: comp.uid, variables: [] } }),
			signal: AbortSignal.timeout(200),
		}),
	).rejects.toThrow();
	expect(Date.now() - t0).toBeLessThan(700);
	expect(sim.state.jobs.length).toBe(jobs + 1);
});

test('delayMs alone delays the real answer', async () => {
	sim.inject({ path: '/api/v2/account', delayMs: 200 });
	const r = await c.get('/v2/account');
	expect(r.status).toBe(200);
	expect(r.json.name).toBe(sim.state.account.name);
	expect(r.ms).toBeGreaterThanOrEqual(190);
});

test('the /__sim control API drives faults, counters, tokens and the world over HTTP', async () => {
	const ctl = (p: string, body?: unknown): Promise<any> =>
		raw(`${sim.url}/__sim/${p}`, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

	expect((await ctl('reset-counters', {})).status).toBe(200);
	await c.get('/v2/account');
	const stats = (await ctl('stats')).json;
	expect(stats).toMatchObject({ requests: 1, byOperation: { getUserAccount: 1 } });

	expect((await ctl('faults', { serverErrorRate: 1 })).json.serverErrorRate).toBe(1);
	expect((await c.get('/v2/account')).status).toBeGreaterThanOrEqual(500);
	await ctl('clear-faults', {});
	expect((await c.get('/v2/account')).status).toBe(200);

	await ctl('inject', { method: 'GET', pathRegex: '/alerts/open$', status: 502 });
	expect((await c.get('/v2/account/alerts/open')).status).toBe(502);

	await ctl('expire-tokens', {});
	expect((await c.get('/v2/account')).status).toBe(401);
	await c.login();

	const device = sim.state.devices.find((d) => d.deviceClass === 'device' && d.online)!;
	const opened = (await ctl('world', { action: 'openAlert', deviceUid: device.uid, priority: 'Critical' })).json;
	expect(opened).toMatchObject({ priority: 'Critical', resolved: false, alertSourceInfo: { deviceUid: device.uid } });
	expect((await c.get(`/v2/alert/${opened.alertUid}`)).json.alertUid).toBe(opened.alertUid);
	await ctl('world', { action: 'resolveAlert', alertUid: opened.alertUid });
	expect((await c.get(`/v2/alert/${opened.alertUid}`)).json.resolved).toBe(true);
	const added = (await ctl('world', { action: 'addDevice', hostname: 'CTL-NEW-01', siteUid: sim.state.sites[1].uid })).json;
	expect((await c.get(`/v2/account/devices?hostname=CTL-NEW`)).json.devices.map((x: any) => x.uid)).toEqual([added.uid]);
	await ctl('world', { action: 'setDeviceOnline', deviceUid: device.uid, online: false });
	expect((await c.get(`/v2/device/${device.uid}`)).json.online).toBe(false);
	const act = (await ctl('world', { action: 'addActivity', activityAction: 'note', details: { note: 'from control' } })).json;
	expect((await c.get('/v2/activity-logs')).json.activities.map((a: any) => a.id)).toContain(act.id);
	expect((await ctl('world', { action: 'nope' })).status).toBe(400);
	expect((await ctl('log?limit=2')).json.length).toBe(2);
});
