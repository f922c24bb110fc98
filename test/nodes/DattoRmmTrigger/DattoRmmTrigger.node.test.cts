/**
 * Datto RMM Trigger, polled through n8n-core's PollContext against the simulator: what fires,
 * exactly once; what a failed poll leaves behind (nothing); "Fetch Test Event"; how big the static
 * data gets; and how many requests a poll costs.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSimulatedAccount, type SimulatedAccount } from '../../harness/index.cjs';
import { createTriggerPoller, failPage, type PollResult, type TriggerPoller } from '../../harness/poll.cjs';
import type { SimulatorOptions } from '../../simulator/index.cjs';

const rl = (value: string) => ({ __rl: true, mode: 'id', value });

/** Static data of one trigger node never exceeds this (see nodes/DattoRmmTrigger/state.ts). */
const WATERMARK_BOUND_BYTES = 9 * 1024;

async function account(simulator: SimulatorOptions = {}): Promise<SimulatedAccount> {
	return await startSimulatedAccount({
		simulator: { seed: 11, ...simulator, rateLimit: { enabled: false, ...simulator.rateLimit } },
		credential: { requestBudget: 600 },
	});
}

function poller(acc: SimulatedAccount, parameters: INodeParameters, budgetMs?: number): TriggerPoller {
	return createTriggerPoller(acc, parameters, { budgetMs });
}

/** A poll that must succeed. */
async function ok(p: TriggerPoller, mode: 'trigger' | 'manual' = 'trigger'): Promise<PollResult> {
	const result = await p.poll(mode);
	if (result.error) throw result.error;
	return result;
}

/** Data requests only: the transport's occasional rate-view call is not part of the poll's work. */
function dataCalls(result: PollResult) {
	return result.calls.filter((c) => c.path !== '/api/v2/system/request_rate');
}

function snapshot(p: TriggerPoller): string {
	return JSON.stringify(p.nodeStaticData);
}

/** An online Windows device of the account (not a printer or ESXi host). */
function onlineDevice(acc: SimulatedAccount, skip = 0) {
	return acc.sim.state.devices.filter((d) => d.online && d.deviceClass === 'device' && !d.deleted)[skip];
}

describe('Alert Opened', () => {
	let acc: SimulatedAccount;
	beforeAll(async () => {
		acc = await account();
	});
	afterAll(async () => {
		await acc.close();
	});

	test('the first poll after activation emits nothing; a new alert fires once', async () => {
		const p = poller(acc, { event: 'alertOpened' });
		const first = await ok(p);
		expect(first.returned).toBeNull();
		expect(first.items).toEqual([]);
		expect(await ok(p).then((r) => r.returned)).toBeNull();

		const device = onlineDevice(acc);
		const alert = acc.sim.state.openAlert(device.uid, {
			priority: 'Critical',
			context: { '@class': 'antivirus_ctx', status: 'NOTRUNNING', productName: 'Windows Defender' },
			diagnostics: 'Antivirus status: NOTRUNNING',
		});
		const second = await ok(p);
		expect(second.items.map((i) => i.alertUid)).toEqual([alert.alertUid]);
		expect(second.items[0].alertMessage).toBe(`${device.hostname}: Antivirus Windows Defender is not running`);
		expect((await ok(p)).returned).toBeNull();
	});

	test('two alerts with the same timestamp both fire, also when one came a poll later', async () => {
		const p = poller(acc, { event: 'alertOpened' });
		await ok(p);
		const at = Date.now();
		const [d1, d2] = [onlineDevice(acc, 1), onlineDevice(acc, 2)];
		const a = acc.sim.state.openAlert(d1.uid, { timestamp: at });
		const b = acc.sim.state.openAlert(d2.uid, { timestamp: at });
		expect((await ok(p)).items.map((i) => i.alertUid).sort()).toEqual([a.alertUid, b.alertUid].sort());
		const c = acc.sim.state.openAlert(d2.uid, { timestamp: at });
		expect((await ok(p)).items.map((i) => i.alertUid)).toEqual([c.alertUid]);
		expect((await ok(p)).returned).toBeNull();
	});

	test('priority and muted filters; a site or a device scope', async () => {
		const device = onlineDevice(acc, 3);
		const other = acc.sim.state.devices.find((d) => d.siteUid !== device.siteUid && d.deviceClass === 'device')!;
		const bySite = poller(acc, { event: 'alertOpened', scope: 'site', siteUid: rl(device.siteUid), priorities: ['Critical', 'High'] });
		const byDevice = poller(acc, { event: 'alertOpened', scope: 'device', deviceUid: rl(device.uid), muted: 'false' });
		await ok(bySite);
		await ok(byDevice);
		const low = acc.sim.state.openAlert(device.uid, { priority: 'Low' });
		const high = acc.sim.state.openAlert(device.uid, { priority: 'High' });
		const muted = acc.sim.state.openAlert(device.uid, { priority: 'High', muted: true });
		acc.sim.state.openAlert(other.uid, { priority: 'Critical' });

		const site = await ok(bySite);
		expect(site.items.map((i) => i.alertUid).sort()).toEqual([high.alertUid, muted.alertUid].sort());
		expect(dataCalls(site).map((c) => c.path)).toEqual([`/api/v2/site/${device.siteUid}/alerts/open`]);
		const dev = await ok(byDevice);
		expect(dev.items.map((i) => i.alertUid).sort()).toEqual([low.alertUid, high.alertUid].sort());
		expect(dataCalls(dev)[0].query).toMatchObject({ muted: 'false', max: '1000', page: '0' });
		// The Low alert was seen while filtered out: widening the filter later does not replay it.
		expect((await ok(bySite)).returned).toBeNull();
	});

	test('a poll that fails on its second page emits nothing and changes nothing; the next emits everything once', async () => {
		const big = await account({ seed: 5, size: { openAlerts: 1200 } });
		try {
			const p = poller(big, { event: 'alertOpened', options: { maxRetries: 1 } });
			expect((await ok(p)).calls.length).toBe(2);
			const before = snapshot(p);
			const savedBefore = JSON.stringify(p.saved);
			const device = big.sim.state.devices.find((d) => d.deviceClass === 'device')!;
			const fresh = [big.sim.state.openAlert(device.uid), big.sim.state.openAlert(device.uid)];

			failPage(big.sim, { path: '/api/v2/account/alerts/open', page: 1, times: 2 });
			const failed = await p.poll();
			expect(failed.error?.message).toMatch(/HTTP 500/);
			expect(failed.returned).toBeNull();
			expect(dataCalls(failed).map((c) => c.query.page)).toEqual(['0', '1', '1']);
			expect(snapshot(p)).toBe(before);
			expect(JSON.stringify(p.saved)).toBe(savedBefore);

			const next = await ok(p);
			expect(next.items.map((i) => i.alertUid).sort()).toEqual(fresh.map((a) => a.alertUid).sort());
			expect((await ok(p)).returned).toBeNull();
		} finally {
			await big.close();
		}
	});

	test('a list too long for the time budget is read over several polls, and nothing is lost', async () => {
		const big = await account({ seed: 6, size: { openAlerts: 2500 } });
		try {
			// A budget of 1 ms: one page per poll.
			const p = poller(big, { event: 'alertOpened' }, 1);
			for (let i = 0; i < 3; i++) expect((await ok(p)).returned).toBeNull();
			expect(p.nodeStaticData.s).toMatchObject({ page: 0, baseline: false });
			const device = big.sim.state.devices.find((d) => d.deviceClass === 'device')!;
			const fresh = big.sim.state.openAlert(device.uid);
			const seen: IDataObject[] = [];
			for (let i = 0; i < 3; i++) {
				const r = await ok(p);
				expect(dataCalls(r)).toHaveLength(1);
				seen.push(...r.items);
			}
			expect(seen.map((i) => i.alertUid)).toEqual([fresh.alertUid]);
		} finally {
			await big.close();
		}
	});

	test('Fetch Test Event returns the newest matching alert and leaves the state alone', async () => {
		const p = poller(acc, { event: 'alertOpened', priorities: ['Moderate'], options: { isoDates: true } });
		await ok(p);
		const device = onlineDevice(acc, 4);
		const pending = acc.sim.state.openAlert(device.uid, {
			priority: 'Moderate',
			context: { '@class': 'perf_resource_usage_ctx', type: 'CPU', percentage: 97 },
		});
		const before = snapshot(p);
		const sample = await ok(p, 'manual');
		expect(sample.items).toHaveLength(1);
		expect(sample.items[0]).toMatchObject({ alertUid: pending.alertUid, alertMessage: `${device.hostname}: CPU usage at 97%` });
		expect(sample.items[0].timestampIso).toBe(new Date(pending.timestamp).toISOString());
		expect(snapshot(p)).toBe(before);
		// The alert still fires for the active workflow.
		expect((await ok(p)).items.map((i) => i.alertUid)).toEqual([pending.alertUid]);
	});

	test('errors say what to fix', async () => {
		const noSite = await poller(acc, { event: 'alertOpened', scope: 'site', siteUid: rl('') }).poll();
		expect(noSite.error?.message).toBe('No site chosen');
		const gone = await poller(acc, { event: 'alertOpened', scope: 'site', siteUid: rl('no-such-site') }).poll();
		expect(gone.error?.message).toMatch(/HTTP 404/);
		expect((gone.error as Error & { description?: string }).description).toMatch(/the site exists/);
		const none = await poller(acc, { event: 'alertOpened', scope: 'device', deviceUid: rl(onlineDevice(acc, 9).uid), priorities: ['Information'] }).poll('manual');
		expect(none.error?.message).toBe('No open alert matches this trigger yet');
	});
});

describe('Alert Resolved', () => {
	let acc: SimulatedAccount;
	beforeAll(async () => {
		acc = await account({ seed: 12 });
	});
	afterAll(async () => {
		await acc.close();
	});

	test('a resolved alert fires once, with resolvedOn as its watermark', async () => {
		const p = poller(acc, { event: 'alertResolved', options: { isoDates: true } });
		expect((await ok(p)).returned).toBeNull();
		const open = acc.sim.state.alerts.filter((a) => !a.resolved);
		// An alert opened days ago, resolved now: its timestamp is old, its resolvedOn is new.
		acc.sim.state.resolveAlert(open[0].alertUid, 'tech');
		const r = await ok(p);
		expect(r.items.map((i) => i.alertUid)).toEqual([open[0].alertUid]);
		expect(r.items[0]).toMatchObject({ resolved: true, resolvedBy: 'tech' });
		expect(typeof r.items[0].resolvedOnIso).toBe('string');
		expect((await ok(p)).returned).toBeNull();

		// Two resolved in the same millisecond, and one opened and resolved between polls.
		const now = Date.now();
		for (const a of [open[1], open[2]]) {
			acc.sim.state.resolveAlert(a.alertUid);
			a.resolvedOn = now;
		}
		const quick = acc.sim.state.openAlert(onlineDevice(acc).uid);
		acc.sim.state.resolveAlert(quick.alertUid);
		expect((await ok(p)).items.map((i) => i.alertUid).sort()).toEqual([open[1].alertUid, open[2].alertUid, quick.alertUid].sort());
		expect((await ok(p)).returned).toBeNull();
	});

	test('Fetch Test Event returns the most recently resolved alert', async () => {
		const p = poller(acc, { event: 'alertResolved' });
		const last = acc.sim.state.alerts.filter((a) => a.resolved).sort((x, y) => (y.resolvedOn ?? 0) - (x.resolvedOn ?? 0))[0];
		const sample = await ok(p, 'manual');
		expect(sample.items.map((i) => i.alertUid)).toEqual([last.alertUid]);
		expect(p.nodeStaticData).toEqual({});
	});
});

describe('Devices', () => {
	let acc: SimulatedAccount;
	beforeAll(async () => {
		acc = await account({ seed: 13 });
	});
	afterAll(async () => {
		await acc.close();
	});

	test('Device Went Offline and Device Came Online fire once per change', async () => {
		const offline = poller(acc, { event: 'deviceOffline' });
		const online = poller(acc, { event: 'deviceOnline' });
		expect((await ok(offline)).returned).toBeNull();
		expect((await ok(online)).returned).toBeNull();
		const wasOnline = onlineDevice(acc, 5);
		const wasOffline = acc.sim.state.devices.find((d) => !d.online && !d.deleted)!;

		acc.sim.state.setDeviceOnline(wasOnline.uid, false);
		acc.sim.state.setDeviceOnline(wasOffline.uid, true);
		expect((await ok(offline)).items.map((i) => i.uid)).toEqual([wasOnline.uid]);
		expect((await ok(online)).items.map((i) => i.uid)).toEqual([wasOffline.uid]);
		expect((await ok(offline)).returned).toBeNull();
		expect((await ok(online)).returned).toBeNull();

		// Back again: each fires once more.
		acc.sim.state.setDeviceOnline(wasOnline.uid, true);
		acc.sim.state.setDeviceOnline(wasOffline.uid, false);
		expect((await ok(offline)).items.map((i) => i.uid)).toEqual([wasOffline.uid]);
		expect((await ok(online)).items.map((i) => i.uid)).toEqual([wasOnline.uid]);
		expect((await ok(offline)).returned).toBeNull();
		expect((await ok(online)).returned).toBeNull();
	});

	test('a deleted offline device is forgotten after two walks', async () => {
		const p = poller(acc, { event: 'deviceOffline' });
		await ok(p);
		const victim = onlineDevice(acc, 6);
		acc.sim.state.setDeviceOnline(victim.uid, false);
		await ok(p);
		const ids = () => String((p.nodeStaticData.s as IDataObject).b) + '|' + String((p.nodeStaticData.s as IDataObject).c);
		const before = ids();
		victim.deleted = true;
		await ok(p);
		await ok(p);
		expect(ids().length).toBeLessThan(before.length);
		victim.deleted = false;
		victim.online = true;
	});

	test('Device Added fires once; a poll failing on page 2 changes nothing', async () => {
		const p = poller(acc, { event: 'deviceAdded', options: { maxRetries: 0 } });
		expect((await ok(p)).returned).toBeNull();
		const added = acc.sim.state.addDevice({ hostname: 'NEW-LAPTOP-1' });
		const before = snapshot(p);
		failPage(acc.sim, { path: '/api/v2/account/devices', page: 1 });
		const failed = await p.poll();
		expect(failed.error?.message).toMatch(/HTTP 500/);
		expect(snapshot(p)).toBe(before);
		const r = await ok(p);
		expect(r.items.map((i) => i.uid)).toEqual([added.uid]);
		expect(r.items[0].hostname).toBe('NEW-LAPTOP-1');
		expect((await ok(p)).returned).toBeNull();
	});

	test('Device Added in a site scope; Fetch Test Event gives the newest device', async () => {
		const site = acc.sim.state.sites[1];
		const p = poller(acc, { event: 'deviceAdded', scope: 'site', siteUid: rl(site.uid) });
		await ok(p);
		acc.sim.state.addDevice({ siteUid: acc.sim.state.sites[2].uid });
		const mine = acc.sim.state.addDevice({ siteUid: site.uid });
		const r = await ok(p);
		expect(r.items.map((i) => i.uid)).toEqual([mine.uid]);
		expect(dataCalls(r)[0].path).toBe(`/api/v2/site/${site.uid}/devices`);
		const before = snapshot(p);
		expect((await ok(p, 'manual')).items.map((i) => i.uid)).toEqual([mine.uid]);
		expect(snapshot(p)).toBe(before);
	});

	test('Fetch Test Event for Went Offline gives an offline device', async () => {
		const sample = await ok(poller(acc, { event: 'deviceOffline' }), 'manual');
		expect(sample.items).toHaveLength(1);
		expect(sample.items[0].online).toBe(false);
	});
});

describe('Activity Log Entry', () => {
	let acc: SimulatedAccount;
	beforeAll(async () => {
		acc = await account({ seed: 14 });
	});
	afterAll(async () => {
		await acc.close();
	});

	test('entries fire once, two in the same second included, oldest first', async () => {
		const p = poller(acc, { event: 'activity' });
		const base = await ok(p);
		expect(base.returned).toBeNull();
		expect(dataCalls(base)[0].query).toMatchObject({ order: 'desc', size: '1000' });

		const second = Math.floor(Date.now() / 1000) * 1000;
		const a = acc.sim.state.addActivity({ dateMs: second + 100, action: 'note' });
		const b = acc.sim.state.addActivity({ dateMs: second + 100, action: 'note' });
		const r = await ok(p);
		expect(r.items.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
		expect(r.items[0].details).toEqual({ note: 'Added by test' });
		expect(dataCalls(r)[0].query).toMatchObject({ order: 'asc', size: '1000' });
		expect(dataCalls(r)[0].query.from).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

		// Same second (and millisecond) as entries already emitted, a poll later.
		const c = acc.sim.state.addActivity({ dateMs: second + 100 });
		const d = acc.sim.state.addActivity({ dateMs: second + 900 });
		expect((await ok(p)).items.map((i) => i.id)).toEqual([c.id, d.id]);
		expect((await ok(p)).returned).toBeNull();
	});

	test('filters by entities, categories and actions', async () => {
		const p = poller(acc, { event: 'activity', entities: ['device'], categories: 'job, device', actions: 'deployment' });
		await ok(p);
		acc.sim.state.addActivity({ category: 'device', action: 'note' });
		const job = acc.sim.state.addActivity({ category: 'job', action: 'deployment' });
		acc.sim.state.addActivity({ entity: 'USER', category: 'user', action: 'login' });
		const r = await ok(p);
		expect(r.items.map((i) => i.id)).toEqual([job.id]);
		expect(dataCalls(r)[0].query).toMatchObject({ entities: 'device', categories: 'device,job', actions: 'deployment' });
	});

	test('Fetch Test Event gives the newest entry and does not move the cursor', async () => {
		const p = poller(acc, { event: 'activity' });
		await ok(p);
		// Newer than anything earlier tests added (some are dated a little ahead).
		const newest = Math.max(...acc.sim.state.activities.map((a) => a.dateMs));
		const entry = acc.sim.state.addActivity({ dateMs: Math.max(Date.now(), newest + 1) });
		const before = snapshot(p);
		const sample = await ok(p, 'manual');
		expect(sample.items.map((i) => i.id)).toEqual([entry.id]);
		expect(dataCalls(sample)).toHaveLength(1);
		expect(snapshot(p)).toBe(before);
		expect((await ok(p)).items.map((i) => i.id)).toEqual([entry.id]);
	});
});

describe('Static data stays bounded', () => {
	test('10,000 alerts opened and resolved, 10,000 activity entries: each fires once, static data under 9 KB', async () => {
		const acc = await account({ seed: 15, size: { devices: 400 } });
		try {
			const opened = poller(acc, { event: 'alertOpened' });
			const resolved = poller(acc, { event: 'alertResolved' });
			const activity = poller(acc, { event: 'activity' });
			await ok(opened);
			await ok(resolved);
			await ok(activity);
			const devices = acc.sim.state.devices.filter((d) => d.deviceClass === 'device');
			const counts = { opened: new Map<string, number>(), resolved: new Map<string, number>(), activity: new Map<string, number>() };
			const count = (map: Map<string, number>, items: IDataObject[], key: string) => {
				for (const i of items) map.set(String(i[key]), (map.get(String(i[key])) ?? 0) + 1);
			};
			// Alerts one second apart over the last 2.8 hours (inside the 6-hour horizon, so the cap of
			// 500 remembered items is what bounds the state, at its widest encoding); activity entries 1 ms
			// apart. Each batch is newer than the last: the cap forgets the oldest, so an item dated before
			// the 500 newest already seen would not fire (see state.ts).
			const start = Date.now() - 10_000_000;
			const activityStart = Date.now() - 12_000;
			const largest = { opened: 0, resolved: 0, activity: 0 };
			for (let round = 0; round < 10; round++) {
				const batch = Array.from({ length: 1000 }, (_, n) => {
					const k = round * 1000 + n;
					return acc.sim.state.openAlert(devices[k % devices.length].uid, { timestamp: start + k * 1000 });
				});
				for (let n = 0; n < 1000; n++) {
					const k = round * 1000 + n;
					acc.sim.state.addActivity({ deviceId: devices[k % devices.length].id, dateMs: activityStart + k });
				}
				count(counts.opened, (await ok(opened)).items, 'alertUid');
				count(counts.activity, (await ok(activity)).items, 'id');
				for (const a of batch) {
					acc.sim.state.resolveAlert(a.alertUid);
					a.resolvedOn = a.timestamp + 500;
				}
				count(counts.resolved, (await ok(resolved)).items, 'alertUid');
				largest.opened = Math.max(largest.opened, opened.staticDataBytes());
				largest.resolved = Math.max(largest.resolved, resolved.staticDataBytes());
				largest.activity = Math.max(largest.activity, activity.staticDataBytes());
			}
			expect({ opened: counts.opened.size, resolved: counts.resolved.size, activity: counts.activity.size }).toEqual({
				opened: 10_000,
				resolved: 10_000,
				activity: 10_000,
			});
			for (const map of Object.values(counts)) {
				expect([...map.values()].every((n) => n === 1)).toBe(true);
			}
			for (const bytes of Object.values(largest)) expect(bytes).toBeLessThanOrEqual(WATERMARK_BOUND_BYTES);
			// The bound is reached (the cap is what holds it), not just avoided by a quiet account.
			expect(largest.opened).toBeGreaterThan(8000);
			expect(largest.resolved).toBeGreaterThan(8000);
			expect((opened.nodeStaticData.s as IDataObject).seen).toMatch(/^([0-9a-z]+:[0-9a-z]{10},){499}[0-9a-z]+:[0-9a-z]{10}$/);
		} finally {
			await acc.close();
		}
	});

	test('device online state: about 3 bytes per offline device, nothing kept for online ones', async () => {
		const acc = await account({ seed: 16, size: { devices: 2000, sites: 20 } });
		try {
			const p = poller(acc, { event: 'deviceOffline' });
			await ok(p);
			const offline = acc.sim.state.devices.filter((d) => !d.online && !d.deleted).length;
			const bytes = p.staticDataBytes();
			expect(bytes).toBeLessThanOrEqual(100 + 7 * offline);
			for (const d of acc.sim.state.devices) d.online = false;
			await ok(p);
			expect(p.staticDataBytes()).toBeLessThanOrEqual(100 + 3 * 2000);
			for (const d of acc.sim.state.devices) d.online = true;
			await ok(p);
			await ok(p);
			expect(p.staticDataBytes()).toBeLessThan(150);
		} finally {
			await acc.close();
		}
	});
});

describe('Requests per poll (2,000 devices, 300 open and 1,500 resolved alerts, page size 250)', () => {
	let acc: SimulatedAccount;
	beforeAll(async () => {
		acc = await account({ seed: 17, size: { devices: 2000, sites: 20, openAlerts: 300, resolvedAlerts: 1500 } });
	});
	afterAll(async () => {
		await acc.close();
	});

	const cases: Array<[string, number, INodeParameters]> = [
		['Alert Opened, account', 1, { event: 'alertOpened' }],
		['Alert Resolved, account', 2, { event: 'alertResolved' }],
		['Device Added, account', 8, { event: 'deviceAdded' }],
		['Device Went Offline, account', 8, { event: 'deviceOffline' }],
		['Device Came Online, account', 8, { event: 'deviceOnline' }],
		['Activity Log Entry', 1, { event: 'activity' }],
	];
	test.each(cases)('%s: %d request(s) per poll', async (_name, expected, parameters) => {
		const p = poller(acc, parameters);
		const polls = [await ok(p), await ok(p), await ok(p)];
		for (const r of polls) expect(dataCalls(r)).toHaveLength(expected);
		// No token exchange per poll: the credential's token is reused.
		expect(polls.slice(1).every((r) => r.calls.every((c) => c.path.startsWith('/api/')))).toBe(true);
	});

	test('site scope: one site\'s lists only', async () => {
		const site = acc.sim.state.sites[0];
		const devices = acc.sim.state.devices.filter((d) => d.siteUid === site.uid && !d.deleted).length;
		const r1 = await ok(poller(acc, { event: 'deviceOffline', scope: 'site', siteUid: rl(site.uid) }));
		expect(dataCalls(r1)).toHaveLength(Math.max(1, Math.ceil(devices / 250)));
		const r2 = await ok(poller(acc, { event: 'alertOpened', scope: 'site', siteUid: rl(site.uid) }));
		expect(dataCalls(r2)).toHaveLength(1);
	});
});
