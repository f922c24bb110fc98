/**
 * Live quirks: each behaviour of the live Datto RMM API that `../shared/docs/datto-api-facts.md`
 * records, by name, checked against the simulator in its default (live-shaped) configuration, so
 * a change to the simulator cannot quietly drift from the live API. Where the simulator offers a
 * friendlier form (compact objects, filters kept in next links, epoch-ms dates), the test says so.
 */
import { DattoSimulator } from './index.cjs';
import { BASIC_PUBLIC, SimClient, exchangeToken, form, raw } from './client.cjs';
import { ALERT_CONTEXT_SCHEMAS, CONFIRMED_EPOCH_MS, UNCONFIRMED_DATES, WRITE_BUDGETS } from './index.cjs';
import { loadSpec } from './spec-check.cjs';
import { testWithSpecs } from '../specs.cjs';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const isoSeconds = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + 'Z';

let sim: DattoSimulator;
let c: SimClient;

beforeAll(async () => {
	sim = await DattoSimulator.start({ seed: 21, pageSize: 50, size: { sites: 4, devices: 120, openAlerts: 150, resolvedAlerts: 40 }, rateLimit: { enabled: false } });
	c = await new SimClient(sim).login();
});
afterAll(() => sim.close());

const genericDevice = () => sim.state.devices.find((d) => d.deviceClass === 'device' && !d.deleted)!;

describe('platforms and token exchange', () => {
	test('no GET /api/v2/devices: account devices are GET /api/v2/account/devices', async () => {
		const wrong = await c.get('/v2/devices');
		expect(wrong.status).toBe(404);
		expect(wrong.json).toMatchObject({ status: 404, error: 'Not Found', message: expect.stringMatching(/No static resource/) });
		expect((await c.get('/v2/account/devices')).status).toBe(200);
	});

	test('a wrong platform answers 401 to valid keys and tokens (each simulator is one platform)', async () => {
		const other = await DattoSimulator.start({ apiKey: 'other-platform-key', apiSecret: 'other-platform-secret' });
		try {
			const token = await exchangeToken(other, sim.apiKey, sim.apiSecret);
			expect(token.status).toBeGreaterThanOrEqual(400);
			expect(token.status).toBeLessThanOrEqual(401);
			const withOurToken = await raw(`${other.url}/api/v2/account`, { headers: { Authorization: `Bearer ${c.token}` } });
			expect(withOurToken.status).toBe(401);
		} finally {
			await other.close();
		}
	});

	test('token: POST /auth/oauth/token (not under /api), Basic public-client:public, form body; bearer, expires_in 360000 (100 hours)', async () => {
		const r = await raw(`${sim.url}/auth/oauth/token`, {
			method: 'POST',
			headers: { Authorization: BASIC_PUBLIC, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: form({ grant_type: 'password', username: sim.apiKey, password: sim.apiSecret }),
		});
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ access_token: expect.any(String), token_type: 'bearer', expires_in: 360000 });
		expect((await raw(`${sim.url}/api/auth/oauth/token`, { method: 'POST' })).status).toBeGreaterThanOrEqual(400);
	});

	test("bad key or secret: 400 with Spring OAuth's invalid_grant / Bad credentials body", async () => {
		const r = await exchangeToken(sim, sim.apiKey, 'wrong-secret');
		expect(r.status).toBe(400);
		expect(r.json).toEqual({ error: 'invalid_grant', error_description: 'Bad credentials' });
	});

	test('an expired or revoked token answers 401; tokens are reused for their lifetime (no exchange per request)', async () => {
		const own = await DattoSimulator.start({ seed: 2 });
		try {
			const oc = await new SimClient(own).login();
			for (let i = 0; i < 3; i++) expect((await oc.get('/v2/account')).status).toBe(200);
			expect(own.counters.tokenExchanges).toBe(1);
			own.expireAllTokens();
			const expired = await oc.get('/v2/account');
			expect(expired.status).toBe(401);
			expect(expired.json.error).toBe('invalid_token');
		} finally {
			await own.close();
		}
	});
});

describe('pagination', () => {
	test('0-based pages; max and the account page size from /v2/system/pagination (alerts exempt)', async () => {
		expect((await c.get('/v2/system/pagination')).json).toEqual({ max: 50 });
		const p0 = await c.get('/v2/account/devices?page=0');
		const p1 = await c.get('/v2/account/devices?page=1');
		expect(p0.json.devices[0].uid).not.toBe(p1.json.devices[0].uid);
		expect((await c.get('/v2/account/devices?max=1000')).json.devices.length).toBe(50);
		expect((await c.get('/v2/account/alerts/open?max=1000')).json.alerts.length).toBe(150);
	});

	test('pageDetails {count, totalCount, prevPageUrl, nextPageUrl}; next link absolute; count = items on this page', async () => {
		const r = await c.get('/v2/account/devices?max=50&page=2');
		expect(Object.keys(r.json.pageDetails).sort()).toEqual(['count', 'nextPageUrl', 'prevPageUrl', 'totalCount']);
		expect(r.json.pageDetails).toMatchObject({ count: 20, totalCount: 120, nextPageUrl: null });
		expect(r.json.pageDetails.prevPageUrl).toBe(`${sim.url}/api/v2/account/devices?max=50&page=1`);
	});

	test('the last page links null on most lists, "" on some (users, components)', async () => {
		expect((await c.get('/v2/account/sites')).json.pageDetails.nextPageUrl).toBeNull();
		expect((await c.get('/v2/account/users')).json.pageDetails.nextPageUrl).toBe('');
		expect((await c.get('/v2/account/components')).json.pageDetails.nextPageUrl).toBe('');
	});

	test('nextPageUrl drops the filters the request carried (the default, not only a fault)', async () => {
		const r = await c.get('/v2/account/devices?max=10&deviceType=desktop');
		expect(r.json.pageDetails.nextPageUrl).toBe(`${sim.url}/api/v2/account/devices?max=10&page=1`);
		expect(sim.options.keepFiltersInNextPageUrl).toBe(false);
	});

	test('wrapper keys: devices, sites, alerts, jobComponents, variables, filters, software, users, components, dnetSiteMappings; activities', async () => {
		const d = genericDevice();
		const job = sim.state.jobs[0];
		const keys: [string, string][] = [
			['/v2/account/devices', 'devices'],
			['/v2/account/sites', 'sites'],
			['/v2/account/alerts/open', 'alerts'],
			[`/v2/job/${job.uid}/components`, 'jobComponents'],
			['/v2/account/variables', 'variables'],
			['/v2/filter/default-filters', 'filters'],
			[`/v2/audit/device/${d.uid}/software`, 'software'],
			['/v2/account/users', 'users'],
			['/v2/account/components', 'components'],
			['/v2/account/dnet-site-mappings', 'dnetSiteMappings'],
			[`/v2/activity-logs?from=${isoSeconds(Date.now() - 7 * 86400_000)}`, 'activities'],
		];
		for (const [path, key] of keys) {
			const r = await c.get(path);
			expect({ path, list: Array.isArray(r.json[key]), pageDetails: typeof r.json.pageDetails }).toEqual({ path, list: true, pageDetails: 'object' });
		}
		// Software audits use `software`, not `devices` (a mistake real users report).
		expect((await c.get(`/v2/audit/device/${d.uid}/software`)).json.devices).toBeUndefined();
	});

	test('bare arrays, no wrapper: MAC lookups and job stdout/stderr; MACs given without separators', async () => {
		const d = genericDevice();
		const mac = d.macs[0];
		for (const path of [`/v2/device/macAddress/${mac}`, `/v2/audit/device/macAddress/${mac.toUpperCase()}`]) {
			const r = await c.get(path);
			expect({ path, array: Array.isArray(r.json) }).toEqual({ path, array: true });
			expect(r.json.length).toBeGreaterThan(0);
		}
		const job = sim.state.jobs[0];
		const out = await c.get(`/v2/job/${job.uid}/results/${job.deviceUids[0]}/stdout`);
		expect(Array.isArray(out.json)).toBe(true);
		expect(Array.isArray((await c.get(`/v2/job/${job.uid}/results/${job.deviceUids[0]}/stderr`)).json)).toBe(true);
	});
});

describe('activity logs', () => {
	test('size/order/searchAfter/page=next|previous; from/until as yyyy-MM-ddTHH:mm:ssZ; without from only 15 minutes', async () => {
		const old = sim.state.addActivity({ dateMs: Date.now() - 30 * 60_000 });
		const recent = await c.get('/v2/activity-logs?size=1000');
		expect(recent.json.activities.map((a: { id: string }) => a.id)).not.toContain(old.id);
		const week = isoSeconds(Date.now() - 7 * 86400_000);
		const asc = await c.get(`/v2/activity-logs?size=5&order=asc&from=${week}`);
		const next = new URL(asc.json.pageDetails.nextPageUrl);
		expect(next.searchParams.get('page')).toBe('next');
		expect(next.searchParams.get('searchAfter')).toMatch(/^\d+,/);
		expect((await c.get(`/v2/activity-logs?from=${encodeURIComponent('2026-01-01 10:00:00')}`)).status).toBe(400);
	});

	test('array filters are comma-separated', async () => {
		const r = await c.get(`/v2/activity-logs?size=1000&from=${isoSeconds(Date.now() - 7 * 86400_000)}&categories=job,remote`);
		expect(r.json.activities.length).toBeGreaterThan(0);
		expect(new Set(r.json.activities.map((a: { category: string }) => a.category))).toEqual(new Set(['job', 'remote']));
	});

	test('each entry: `date` in epoch seconds, `details` a JSON string', async () => {
		const r = await c.get(`/v2/activity-logs?size=20&from=${isoSeconds(Date.now() - 7 * 86400_000)}`);
		for (const a of r.json.activities) {
			expect(typeof a.date).toBe('number');
			expect(a.date).toBeLessThan(1e11);
			expect(typeof a.details).toBe('string');
			expect(typeof JSON.parse(a.details)).toBe('object');
		}
	});
});

describe('rate limits', () => {
	test('rate model numbers: 600 per sliding 60 s account-wide, slow-down at 0.9, write budget 600, IP block about five minutes', () => {
		const rl = sim.options.rateLimit;
		expect(rl).toMatchObject({ account: 600, cutOffRatio: 0.9, write: 600, ipBlockSeconds: 300 });
		expect(sim.rateStatus()).toMatchObject({ slidingTimeWindowSizeSeconds: 60, accountRateLimit: 600, accountCutOffRatio: 0.9, accountWriteRateLimit: 600 });
	});

	test('past 90% every answer is delayed 1 s; past the limit 429 with Retry-After; sustained 429s block the IP (403)', async () => {
		const scale = 20;
		const small = await DattoSimulator.start({ timeScale: scale, rateLimit: { account: 10, ipBlockAfter429s: 2 } });
		try {
			const sc = await new SimClient(small).login();
			for (let i = 0; i < 10; i++) expect((await sc.get('/v2/account')).status).toBe(200);
			expect(small.counters.slowedResponses).toBe(2); // requests 9 and 10: at and past 90%
			const limited = await sc.get('/v2/account');
			expect(limited.status).toBe(429);
			expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
			await sc.get('/v2/account');
			const blocked = await sc.get('/v2/account');
			expect(blocked.status).toBe(403);
			expect(blocked.json.message).toMatch(/temporarily blocked/);
		} finally {
			await small.close();
		}
	});

	test("write budgets: Datto's per-operation names (100 per window, 600 for device-udf-set); older accounts one bucket", async () => {
		expect(WRITE_BUDGETS).toEqual({
			'device-udf-set': 600,
			'device-job-create': 100,
			'user-reset-keys': 100,
			'site-variable-set': 100,
			'account-variable-set': 100,
			'device-proxy-set': 100,
		});
		const view = (await c.get('/v2/system/request_rate')).json;
		expect(Object.keys(view.operationWriteStatus).sort()).toEqual(Object.keys(WRITE_BUDGETS).sort());
		const older = await DattoSimulator.start({ rateLimit: { write: null } });
		try {
			const oc = await new SimClient(older).login();
			expect((await oc.get('/v2/system/request_rate')).json.operationWriteStatus).toBeUndefined();
		} finally {
			await older.close();
		}
	});

	test('request_rate fields: slidingTimeWindowSizeSeconds, accountCount, accountRateLimit, accountCutOffRatio, accountWriteRateLimit, accountWriteCount, operationWriteStatus{op:{limit,count}}', async () => {
		const view = (await c.get('/v2/system/request_rate')).json;
		for (const field of ['slidingTimeWindowSizeSeconds', 'accountCount', 'accountRateLimit', 'accountCutOffRatio', 'accountWriteRateLimit', 'accountWriteCount', 'operationWriteStatus']) {
			expect(view).toHaveProperty(field);
		}
		expect(view.operationWriteStatus['device-udf-set']).toEqual({ limit: 600, count: expect.any(Number) });
	});

	test('X-RateLimit-* headers may be present or not: present by default, absent with rateLimit.headers false', async () => {
		expect((await c.get('/v2/account')).headers.get('x-ratelimit-limit')).toBe('600');
		const bare = await DattoSimulator.start({ rateLimit: { headers: false } });
		try {
			const r = await (await new SimClient(bare).login()).get('/v2/account');
			expect(r.status).toBe(200);
			expect(r.headers.get('x-ratelimit-limit')).toBeNull();
		} finally {
			await bare.close();
		}
	});
});

describe('methods and bodies', () => {
	test('PUT creates, POST updates, DELETE removes; no PATCH (405, Allow lists the methods)', async () => {
		const site = sim.state.sites[0];
		const patch = await c.call('PATCH', `/v2/site/${site.uid}`, { name: 'x' });
		expect(patch.status).toBe(405);
		expect(patch.headers.get('allow')).toContain('POST');
	});

	test('a PUT that creates is not idempotent: the same PUT twice makes two sites', async () => {
		const before = sim.state.sites.length;
		const a = await c.call('PUT', '/v2/site', { name: 'Twice Created' });
		const b = await c.call('PUT', '/v2/site', { name: 'Twice Created' });
		expect(a.json.uid).not.toBe(b.json.uid);
		expect(sim.state.sites.length).toBe(before + 2);
	});

	test('warranty date yyyy-mm-dd; UDFs udf1..udf300 (more than the 30 of older builds)', async () => {
		const d = genericDevice();
		expect((await c.call('POST', `/v2/device/${d.uid}/warranty`, { warrantyDate: '31/03/2027' })).status).toBe(400);
		expect((await c.call('POST', `/v2/device/${d.uid}/warranty`, { warrantyDate: '2027-03-31' })).status).toBe(200);
		expect((await c.call('POST', `/v2/device/${d.uid}/udf`, { udf250: 'high' })).status).toBe(200);
		expect((await c.call('POST', `/v2/device/${d.uid}/udf`, { udf301: 'x' })).status).toBe(400);
	});

	test('quick job: PUT /v2/device/{uid}/quickjob answers the job uid; status, results and stdout by job', async () => {
		const d = genericDevice();
		const comp = sim.state.components.find((x) => x.variables.length === 0)!;
		const r = await c.call('PUT', `/v2/device/${d.uid}/quickjob`, { jobName: 'quirk', jobComponent: { componentUid: comp.uid, variables: [] } });
		expect(r.json.job.uid).toEqual(expect.any(String));
		expect((await c.get(`/v2/job/${r.json.job.uid}`)).json.status).toMatch(/^(active|completed)$/);
		expect((await c.get(`/v2/job/${r.json.job.uid}/results/${d.uid}`)).status).toBe(200);
	});

	test('mute and unmute are listed in the spec but dead (404)', async () => {
		const a = sim.state.alerts.find((x) => !x.resolved)!;
		for (const action of ['mute', 'unmute']) expect((await c.call('POST', `/v2/alert/${a.alertUid}/${action}`)).status).toBe(404);
	});

	test('alert lists take only page, max and muted: no time filter (a `since` changes nothing)', async () => {
		const all = (await c.get('/v2/account/alerts/open?max=1000')).json.alerts.length;
		const since = (await c.get(`/v2/account/alerts/open?max=1000&since=${Date.now()}`)).json.alerts.length;
		expect(since).toBe(all);
	});
});

describe('data shapes', () => {
	test('confirmed timestamps (device, alert, user) are epoch-ms numbers', async () => {
		const d = (await c.get(`/v2/device/${genericDevice().uid}`)).json;
		for (const f of CONFIRMED_EPOCH_MS.Device) expect({ f, type: typeof d[f] }).toEqual({ f, type: 'number' });
		const a = (await c.get('/v2/account/alerts/resolved?max=1')).json.alerts[0];
		expect(typeof a.timestamp).toBe('number');
		expect(typeof a.resolvedOn).toBe('number');
		const u = (await c.get('/v2/account/users')).json.users[0];
		expect(typeof u.created).toBe('number');
	});

	test("unconfirmed dates come as the spec's ISO strings by default, epoch ms when asked", async () => {
		const job = sim.state.jobs[0];
		expect((await c.get(`/v2/job/${job.uid}`)).json.dateCreated).toMatch(ISO);
		expect((await c.get(`/v2/job/${job.uid}/results/${job.deviceUids[0]}`)).json.ranOn).toMatch(ISO);
		expect((await c.get('/v2/filter/default-filters')).json.filters[0].dateCreate).toMatch(ISO);
		expect((await c.get('/v2/system/status')).json.started).toMatch(ISO);
		sim.state.unconfirmedDates = 'epochMs';
		try {
			expect(typeof (await c.get(`/v2/job/${job.uid}`)).json.dateCreated).toBe('number');
		} finally {
			sim.state.unconfirmedDates = 'iso';
		}
	});

	testWithSpecs('current', "every date-time field of Datto's spec is either confirmed or served in either form", () => {
		const spec = loadSpec() as { components: { schemas: Record<string, unknown> } };
		const found: string[] = [];
		const walk = (node: unknown, owner: string): void => {
			if (Array.isArray(node)) return node.forEach((n) => walk(n, owner));
			if (!node || typeof node !== 'object') return;
			const o = node as Record<string, unknown>;
			for (const [name, p] of Object.entries((o.properties as Record<string, { format?: string }>) ?? {})) {
				if (p?.format === 'date-time') found.push(`${owner}.${name}`);
			}
			for (const v of Object.values(o)) walk(v, owner);
		};
		for (const [name, schema] of Object.entries(spec.components.schemas)) walk(schema, name);
		const known = Object.entries({ ...CONFIRMED_EPOCH_MS, ...UNCONFIRMED_DATES }).flatMap(([owner, fields]) => fields.map((f) => `${owner}.${f}`));
		expect([...new Set(found)].sort()).toEqual(known.sort());
	});

	test('null is common in every object (udf1..udf300 always present); the compact form is asked for', async () => {
		const d = (await c.get(`/v2/device/${sim.state.devices.find((x) => x.description === undefined)!.uid}`)).json;
		expect(d.description).toBeNull();
		expect(Object.keys(d.udf)).toHaveLength(300);
		expect(sim.options.compact).toBe(false);
	});

	test('deviceType is an object {category, type}; deviceClass includes device, printer, esxihost, rmmnetworkdevice', async () => {
		const devices = (await c.get('/v2/account/devices?max=50')).json.devices;
		expect(devices[0].deviceType).toEqual({ category: expect.any(String), type: expect.any(String) });
		const classes = new Set(sim.state.devices.map((x) => x.deviceClass));
		for (const cls of ['device', 'printer', 'esxihost', 'rmmnetworkdevice']) expect(classes).toContain(cls);
	});

	test('alertContext is tagged by @class (antivirus_ctx, eventlog_ctx, comp_script_ctx, patch_ctx, online_offline_status_ctx, perf_resource_usage_ctx, …)', async () => {
		for (const tag of ['antivirus_ctx', 'eventlog_ctx', 'comp_script_ctx', 'patch_ctx', 'online_offline_status_ctx', 'perf_resource_usage_ctx']) {
			expect(Object.keys(ALERT_CONTEXT_SCHEMAS)).toContain(tag);
		}
		const alerts = (await c.get('/v2/account/alerts/open?max=1000')).json.alerts;
		for (const a of alerts) expect(Object.keys(ALERT_CONTEXT_SCHEMAS)).toContain(a.alertContext['@class']);
	});

	test('error bodies vary: Spring, OAuth, {errorCode,message,details}, and none', async () => {
		const spring = await c.get('/v2/device/no-such-device');
		expect(Object.keys(spring.json).sort()).toEqual(['error', 'message', 'path', 'status', 'timestamp']);
		const oauth = await raw(`${sim.url}/api/v2/account`, { headers: { Authorization: 'Bearer nope' } });
		expect(Object.keys(oauth.json).sort()).toEqual(['error', 'error_description']);
		const validation = await c.call('POST', `/v2/device/${genericDevice().uid}/warranty`, { warrantyDate: 'soon' });
		expect(Object.keys(validation.json).sort()).toEqual(['details', 'errorCode', 'message']);
		await c.call('PUT', '/v2/account/variable', { name: 'QuirkDup', value: 'a' });
		const none = await c.call('PUT', '/v2/account/variable', { name: 'QuirkDup', value: 'b' });
		expect(none.status).toBe(409);
		expect(none.text).toBe('');
	});

	test('totalCount is what account-wide lists reconcile against', async () => {
		const r = await c.get('/v2/account/devices');
		expect(r.json.pageDetails.totalCount).toBe(sim.state.devices.filter((d) => !d.deleted).length);
	});
});
