/**
 * Paging: 0-based pages, absolute next/prev URLs from the Host header, totalCount, the page size
 * from /v2/system/pagination, filters dropped from next links (live) or kept on request (or
 * dropped / sent to a foreign host under faults), "" links on some endpoints, bare arrays, and
 * the activity log's cursor paging with its 15-minute default window.
 */
import http from 'node:http';
import { DattoSimulator } from './index.cjs';
import { SimClient } from './client.cjs';

let sim: DattoSimulator;
let c: SimClient;
const PAGE = 40;
const DEVICES = 130;

beforeAll(async () => {
	// These tests walk next links blindly to check the paging mechanics, so they ask for links that
	// keep the filters; the live default (filters dropped) is checked on its own simulator below.
	sim = await DattoSimulator.start({ seed: 3, pageSize: PAGE, size: { devices: DEVICES, activities: 400 }, rateLimit: { enabled: false }, keepFiltersInNextPageUrl: true });
	c = await new SimClient(sim).login();
});
afterAll(() => sim.close());
afterEach(() => sim.clearFaults());

async function walk(first: string, key: string): Promise<{ items: any[]; pages: any[] }> {
	const items: any[] = [];
	const pages: any[] = [];
	let next: string | null = first;
	while (next) {
		const r = await c.get(next);
		expect(r.status).toBe(200);
		pages.push(r.json.pageDetails);
		items.push(...r.json[key]);
		next = r.json.pageDetails.nextPageUrl || null;
		if (pages.length > 100) throw new Error('runaway paging');
	}
	return { items, pages };
}

test('GET /v2/system/pagination reports the page size, which is the default and the maximum max', async () => {
	expect((await c.get('/v2/system/pagination')).json).toEqual({ max: PAGE });
	const dflt = await c.get('/v2/account/devices');
	expect(dflt.json.pageDetails.count).toBe(PAGE);
	const over = await c.get('/v2/account/devices?max=1000');
	expect(over.json.pageDetails.count).toBe(PAGE);
	expect(over.json.pageDetails.nextPageUrl).toContain(`max=${PAGE}`);
});

test('pages are 0-based with absolute next/prev URLs, totalCount, and null links at the ends', async () => {
	const p0 = await c.get('/v2/account/devices');
	expect(p0.json.pageDetails).toEqual({ count: PAGE, totalCount: DEVICES, prevPageUrl: null, nextPageUrl: `${sim.url}/api/v2/account/devices?max=${PAGE}&page=1` });
	const { items, pages } = await walk('/v2/account/devices?page=0', 'devices');
	expect(pages.length).toBe(Math.ceil(DEVICES / PAGE));
	expect(new Set(items.map((d) => d.uid)).size).toBe(DEVICES);
	const last = pages[pages.length - 1];
	expect(last).toMatchObject({ count: DEVICES % PAGE, totalCount: DEVICES, nextPageUrl: null });
	expect(last.prevPageUrl).toBe(`${sim.url}/api/v2/account/devices?max=${PAGE}&page=${pages.length - 2}`);
	// Past the end: an empty page.
	const beyond = await c.get(`/v2/account/devices?page=${pages.length + 3}`);
	expect(beyond.json.pageDetails).toMatchObject({ count: 0, totalCount: DEVICES, nextPageUrl: null });
	expect(beyond.json.devices).toEqual([]);
});

test('next URLs are built from the Host header the client sent', async () => {
	const port = new URL(sim.url).port;
	const body = await new Promise<any>((resolve, reject) => {
		const req = http.get({ host: '127.0.0.1', port, path: '/api/v2/account/devices?max=10', headers: { Host: `localhost:${port}`, Authorization: `Bearer ${c.token}` } }, (res) => {
			let s = '';
			res.on('data', (d) => (s += d));
			res.on('end', () => resolve(JSON.parse(s)));
		});
		req.on('error', reject);
	});
	expect(body.pageDetails.nextPageUrl).toBe(`http://localhost:${port}/api/v2/account/devices?max=10&page=1`);
});

test('by default (live) next links drop the filters: device lists and activity logs', async () => {
	const live = await DattoSimulator.start({ seed: 3, pageSize: PAGE, size: { devices: DEVICES, activities: 400 } });
	try {
		const lc = await new SimClient(live).login();
		const first = await lc.get('/v2/account/devices?max=10&deviceType=desktop');
		expect(first.json.pageDetails.nextPageUrl).toBe(`${live.url}/api/v2/account/devices?max=10&page=1`);
		const second = await lc.get(first.json.pageDetails.nextPageUrl);
		expect(second.json.pageDetails.totalCount).toBe(DEVICES); // silently unfiltered
		const acts = await lc.get(`/v2/activity-logs?size=2&from=${week()}&categories=job`);
		const next = new URL(acts.json.pageDetails.nextPageUrl);
		expect([...next.searchParams.keys()].sort()).toEqual(['page', 'searchAfter', 'size']);
	} finally {
		await live.close();
	}
});

test('with keepFiltersInNextPageUrl, filters stay in nextPageUrl and following it keeps filtering', async () => {
	const all = sim.state.devices.filter((d) => d.category === 'Desktop' || d.type === 'Desktop');
	const first = await c.get('/v2/account/devices?max=10&deviceType=desktop');
	expect(first.json.pageDetails.totalCount).toBe(all.length);
	expect(first.json.pageDetails.nextPageUrl).toBe(`${sim.url}/api/v2/account/devices?max=10&page=1&deviceType=desktop`);
	const { items } = await walk('/v2/account/devices?max=10&deviceType=desktop', 'devices');
	expect(items.length).toBe(all.length);
	expect(items.every((d) => d.deviceType.category === 'Desktop')).toBe(true);
});

test('device filters: hostname/operatingSystem/siteName are partial and case-insensitive; filterId alone decides', async () => {
	const h = sim.state.devices[5].hostname;
	const byHost = await c.get(`/v2/account/devices?hostname=${encodeURIComponent(h.slice(1, -1).toLowerCase())}`);
	expect(byHost.json.devices.map((d: any) => d.hostname)).toContain(h);
	expect(byHost.json.devices.every((d: any) => d.hostname.toLowerCase().includes(h.slice(1, -1).toLowerCase()))).toBe(true);
	const win = await c.get('/v2/account/devices?operatingSystem=WINDOWS%2011');
	expect(win.json.devices.length).toBeGreaterThan(0);
	expect(win.json.devices.every((d: any) => /windows 11/i.test(d.operatingSystem))).toBe(true);
	const site = sim.state.sites[1];
	const bySite = await c.get(`/v2/account/devices?siteName=${encodeURIComponent(site.name.slice(0, 6).toUpperCase())}`);
	expect(bySite.json.devices.every((d: any) => d.siteName.toUpperCase().startsWith(site.name.slice(0, 6).toUpperCase()))).toBe(true);
	const offline = sim.state.filters.find((f) => f.name === 'Offline Devices')!;
	const r = await c.get(`/v2/account/devices?filterId=${offline.id}&hostname=zzzz-no-match`);
	expect(r.json.pageDetails.totalCount).toBe(sim.state.devices.filter((d) => !d.online).length);
	expect(r.json.devices.every((d: any) => d.online === false)).toBe(true);
	const unknown = await c.get('/v2/account/devices?filterId=999999');
	expect(unknown.status).toBe(404);
	expect(unknown.json.message).toMatch(/Filter .*999999/);
	// A site's own filter works on that site's device list.
	const sf = sim.state.filters.find((f) => f.type === 'site' && f.siteUid === sim.state.sites[0].uid)!;
	const sd = await c.get(`/v2/site/${sim.state.sites[0].uid}/devices?filterId=${sf.id}`);
	expect(sd.status).toBe(200);
	expect(sd.json.devices.every((d: any) => d.deviceType.category === 'Server')).toBe(true);
});

test('sites filter by siteName (LIKE); alerts filter by muted and accept max above the page size', async () => {
	const s = await c.get('/v2/account/sites?siteName=dental');
	expect(s.json.sites.map((x: any) => x.name)).toEqual(['Acme Dental Group']);
	const open = sim.state.alerts.filter((a) => !a.resolved);
	const big = await c.get(`/v2/account/alerts/open?max=${open.length + 10}`);
	expect(big.json.pageDetails.count).toBe(open.length);
	expect(open.length).toBeGreaterThan(PAGE);
	const muted = await c.get('/v2/account/alerts/open?muted=true&max=500');
	expect(muted.json.alerts.length).toBe(open.filter((a) => a.muted).length);
	expect(muted.json.alerts.every((a: any) => a.muted === true)).toBe(true);
	const unmuted = await c.get('/v2/account/alerts/open?muted=false&max=500');
	expect(unmuted.json.alerts.length + muted.json.alerts.length).toBe(open.length);
});

test('fault nextPageUrlDropsFilters: next URL keeps page/max but loses the filter', async () => {
	sim.setFaults({ nextPageUrlDropsFilters: true });
	const first = await c.get('/v2/account/devices?max=10&deviceType=laptop');
	const next = first.json.pageDetails.nextPageUrl as string;
	expect(next).toBe(`${sim.url}/api/v2/account/devices?max=10&page=1`);
	const second = await c.get(next);
	expect(second.json.pageDetails.totalCount).toBe(DEVICES); // silently unfiltered
});

test('fault nextPageUrlForeignHost: next URL points at another host', async () => {
	sim.setFaults({ nextPageUrlForeignHost: 'evil.example.com:8443' });
	const r = await c.get('/v2/account/devices?max=10&hostname=a');
	expect(new URL(r.json.pageDetails.nextPageUrl).host).toBe('evil.example.com:8443');
	expect(r.json.pageDetails.nextPageUrl).toContain('hostname=a');
});

test('users and components send "" instead of null for absent links', async () => {
	const u = await c.get('/v2/account/users?max=2');
	expect(u.json.pageDetails.prevPageUrl).toBe('');
	expect(u.json.pageDetails.nextPageUrl).toContain('page=1');
	const { pages } = await walk('/v2/account/users?max=2', 'users');
	expect(pages[pages.length - 1].nextPageUrl).toBe('');
	const comps = await c.get('/v2/account/components?max=500');
	expect(comps.json.pageDetails).toMatchObject({ prevPageUrl: '', nextPageUrl: '' });
});

test('MAC lookups answer bare arrays and accept any separator', async () => {
	const d = sim.state.devices.find((x) => x.deviceClass === 'device')!;
	const mac = d.macs[0];
	const colon = mac.match(/../g)!.join(':');
	for (const m of [mac, mac.toUpperCase(), colon, mac.match(/../g)!.join('-'), mac.match(/..../g)!.join('.')]) {
		const r = await c.get(`/v2/device/macAddress/${encodeURIComponent(m)}`);
		expect(r.status).toBe(200);
		expect(Array.isArray(r.json)).toBe(true);
		expect(r.json.map((x: any) => x.uid)).toEqual([d.uid]);
	}
	const audit = await c.get(`/v2/audit/device/macAddress/${mac}`);
	expect(Array.isArray(audit.json)).toBe(true);
	expect(audit.json[0].nics.map((n: any) => n.macAddress)).toContain(colon.toUpperCase());
	expect((await c.get('/v2/device/macAddress/000000000000')).status).toBe(404);
});

test('software audit pages under the `software` key', async () => {
	const d = sim.state.devices.find((x) => x.deviceClass === 'device')!;
	const r = await c.get(`/v2/audit/device/${d.uid}/software?max=5`);
	expect(r.json.software.length).toBe(5);
	expect(r.json.devices).toBeUndefined();
	const { items, pages } = await walk(`/v2/audit/device/${d.uid}/software?max=5`, 'software');
	expect(items.length).toBe(pages[0].totalCount);
});

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + 'Z';
const week = (): string => iso(Date.now() - 8 * 86400_000);

describe('activity logs', () => {
	test('without `from` only the last 15 minutes; `date` in epoch seconds, `details` a JSON string', async () => {
		const old = sim.state.addActivity({ dateMs: Date.now() - 20 * 60_000, details: { marker: 'old' } });
		const fresh = sim.state.addActivity({ details: { marker: 'fresh' } });
		const r = await c.get('/v2/activity-logs?size=1000');
		expect(r.status).toBe(200);
		const ids = r.json.activities.map((a: any) => a.id);
		expect(ids).toContain(fresh.id);
		expect(ids).not.toContain(old.id);
		const cutoff = Date.now() / 1000 - 15 * 60 - 5;
		for (const a of r.json.activities) {
			expect(a.date).toBeGreaterThan(cutoff);
			expect(a.date).toBeLessThan(1e11); // seconds, not ms
			expect(typeof JSON.parse(a.details)).toBe('object');
		}
		const withFrom = await c.get(`/v2/activity-logs?size=1000&from=${iso(Date.now() - 30 * 60_000)}`);
		expect(withFrom.json.activities.map((a: any) => a.id)).toContain(old.id);
	});

	test('cursor paging via nextPageUrl/prevPageUrl (desc by default, asc on request)', async () => {
		const { items, pages } = await walk(`/v2/activity-logs?size=37&from=${week()}`, 'activities');
		const total = pages[0].totalCount;
		expect(items.length).toBe(total);
		expect(new Set(items.map((a) => a.id)).size).toBe(total);
		for (let i = 1; i < items.length; i++) expect(items[i - 1].date).toBeGreaterThanOrEqual(items[i].date);
		expect(pages[0].prevPageUrl).toBeNull();
		expect(pages[pages.length - 1].nextPageUrl).toBeNull();

		const p1 = await c.get(`/v2/activity-logs?size=37&from=${week()}`);
		const next = p1.json.pageDetails.nextPageUrl as string;
		expect(next.startsWith(`${sim.url}/api/v2/activity-logs?`)).toBe(true);
		expect(new URL(next).searchParams.get('page')).toBe('next');
		expect(new URL(next).searchParams.get('searchAfter')).toMatch(/^\d+,.+/);
		const p2 = await c.get(next);
		const back = await c.get(p2.json.pageDetails.prevPageUrl);
		expect(back.json.activities.map((a: any) => a.id)).toEqual(p1.json.activities.map((a: any) => a.id));

		const asc = await walk(`/v2/activity-logs?size=50&order=asc&from=${week()}`, 'activities');
		for (let i = 1; i < asc.items.length; i++) expect(asc.items[i - 1].date).toBeLessThanOrEqual(asc.items[i].date);
		expect(asc.items.length).toBe(total);
	});

	test('comma-separated filters and searchQuery', async () => {
		const users = await c.get(`/v2/activity-logs?size=1000&from=${week()}&entities=user`);
		expect(users.json.activities.length).toBeGreaterThan(0);
		expect(users.json.activities.every((a: any) => a.entity === 'USER')).toBe(true);
		const cats = await c.get(`/v2/activity-logs?size=1000&from=${week()}&categories=job,remote`);
		expect(new Set(cats.json.activities.map((a: any) => a.category))).toEqual(new Set(['job', 'remote']));
		const siteId = sim.state.sites[1].id;
		const bySite = await c.get(`/v2/activity-logs?size=1000&from=${week()}&siteIds=${siteId},999999`);
		expect(bySite.json.activities.every((a: any) => a.site.id === siteId)).toBe(true);
		const h = sim.state.activities.find((a) => a.hostname)!.hostname!;
		const q = await c.get(`/v2/activity-logs?size=1000&from=${week()}&searchQuery=${encodeURIComponent(`device.hostname : "${h}"`)}`);
		expect(q.json.activities.length).toBeGreaterThan(0);
		expect(q.json.activities.every((a: any) => a.hostname === h)).toBe(true);
		// Filters travel in the next link.
		const small = await c.get(`/v2/activity-logs?size=2&from=${week()}&categories=job`);
		expect(new URL(small.json.pageDetails.nextPageUrl).searchParams.get('categories')).toBe('job');
	});

	test('a bad from/until format answers 400 with an errorCode body', async () => {
		for (const bad of ['2024-01-01', '2024-01-01T10:00:00', '2024-01-01 10:00:00Z', '2024-13-01T10:00:00Z', 'yesterday']) {
			const r = await c.get(`/v2/activity-logs?from=${encodeURIComponent(bad)}`);
			expect(r.status).toBe(400);
			expect(r.json).toMatchObject({ errorCode: expect.any(String), message: expect.stringContaining('from') });
		}
		expect((await c.get('/v2/activity-logs?until=nope')).status).toBe(400);
		expect((await c.get('/v2/activity-logs?order=sideways')).status).toBe(400);
	});
});
