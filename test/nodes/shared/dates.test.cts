/**
 * Dates in either form. Live sweeps confirm epoch-ms numbers only for device, alert and user
 * times; every other date may come as an epoch-ms number or as an ISO 8601 string. Everything the
 * nodes read or convert (Add ISO Dates, the trigger's times and cursors, Run Quick Job and Wait)
 * must give the same result whichever form Datto sends: the engine tests below run once per form
 * of the simulator's `unconfirmedDates` switch.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { activityDateMs, addIsoDates, epochMsOf } from '../../../nodes/shared/dates';
import { startSimulatedAccount, type SimulatedAccount } from '../../harness/index.cjs';
import { createTriggerPoller } from '../../harness/poll.cjs';
import { CONFIRMED_EPOCH_MS, DATE_FORMS, UNCONFIRMED_DATES, type DateForm } from '../../simulator/index.cjs';

const MS = Date.UTC(2026, 4, 31, 8, 0, 0, 250);
const ISO = '2026-05-31T08:00:00.250Z';

describe('reading a Datto date', () => {
	test('epoch ms, numeric text and ISO 8601 (any offset) give the same instant; anything else none', () => {
		expect(epochMsOf(MS)).toBe(MS);
		expect(epochMsOf(String(MS))).toBe(MS);
		expect(epochMsOf(ISO)).toBe(MS);
		expect(epochMsOf('2026-05-31T10:00:00.250+02:00')).toBe(MS);
		expect(epochMsOf('2026-05-31')).toBe(Date.UTC(2026, 4, 31));
		for (const bad of [null, undefined, '', 'soon', 'Backup job failed 3 times', {}, NaN, Infinity]) expect(epochMsOf(bad)).toBeUndefined();
	});

	test('activity-log date is epoch seconds (number or text); an ISO string is read too', () => {
		expect(activityDateMs(MS / 1000)).toBe(MS);
		expect(activityDateMs(String(MS / 1000))).toBe(MS);
		expect(activityDateMs(ISO)).toBe(MS);
		expect(activityDateMs(null)).toBeUndefined();
	});

	test("Add ISO Dates gives the same copy for every date field of Datto's spec, whichever form it came in", () => {
		const fields = [...Object.values(CONFIRMED_EPOCH_MS), ...Object.values(UNCONFIRMED_DATES)].flat();
		expect(fields.length).toBeGreaterThan(15);
		for (const field of fields) {
			for (const value of [MS, ISO, '2026-05-31T10:00:00.250+02:00']) {
				expect({ field, value, out: addIsoDates({ nested: [{ [field]: value }] }) }).toEqual({
					field,
					value,
					out: { nested: [{ [field]: value, [`${field}Iso`]: ISO }] },
				});
			}
		}
		expect(addIsoDates({ date: MS / 1000 })).toEqual({ date: MS / 1000, dateIso: ISO });
		// Not dates: no copy.
		expect(addIsoDates({ started: 'never', dateCreated: null, name: ISO })).toEqual({ started: 'never', dateCreated: null, name: ISO });
	});
});

const rl = (value: string) => ({ __rl: true, mode: 'id', value });
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(DATE_FORMS.map((form) => [form] as const))('unconfirmed dates as %s', (form: DateForm) => {
	let acc: SimulatedAccount;
	const raw = form === 'iso' ? expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) : expect.any(Number);

	beforeAll(async () => {
		acc = await startSimulatedAccount({
			simulator: { seed: 9, unconfirmedDates: form, jobRunMs: 300, size: { sites: 3, devices: 40, openAlerts: 60 }, rateLimit: { enabled: false } },
		});
	});
	afterAll(async () => {
		await acc.close();
	});

	async function run(parameters: INodeParameters): Promise<IDataObject[]> {
		const result = await acc.harness.runDattoNode({ parameters: { ...parameters, options: { isoDates: true } }, credential: acc.credential });
		if (result.error) throw result.error;
		return result.items.map((i) => i.json);
	}

	test('alert: response action times and context times get their ISO copy beside confirmed timestamps', async () => {
		const st = acc.sim.state;
		const alert = st.alerts.find((a) => !a.resolved && a.responseActions.length > 0 && a.context['@class'] === 'eventlog_ctx')!;
		expect(alert).toBeDefined();
		const [out] = await run({ resource: 'alert', operation: 'get', alertUid: alert.alertUid });
		expect(out.timestamp).toBe(alert.timestamp);
		expect(out.timestampIso).toBe(iso(alert.timestamp));
		const action = (out.responseActions as IDataObject[])[0];
		expect(action.actionTime).toEqual(raw);
		expect(action.actionTimeIso).toBe(iso(alert.responseActions[0].actionTime));
		const context = out.alertContext as IDataObject;
		expect(context.lastTriggered).toEqual(raw);
		expect(context.lastTriggeredIso).toBe(iso(alert.context.lastTriggered as number));
	});

	test('device audit: BIOS release date and attached-device driver dates', async () => {
		const device = acc.sim.state.devices.find((d) => d.deviceClass === 'device')!;
		const [out] = await run({ resource: 'audit', operation: 'getDevice', deviceUid: rl(device.uid) });
		const bios = out.bios as IDataObject;
		expect(bios.releaseDate).toEqual(raw);
		expect(bios.releaseDateIso).toBe(iso(device.creationDate - 200 * 86400000));
		const attached = (out.attachedDevices as IDataObject[])[0];
		expect(attached.driverFileLastModifiedIso).toBe(iso(device.creationDate));
	});

	test('filters, users and system status', async () => {
		const filters = await run({ resource: 'filter', operation: 'getMany', type: 'default', returnAll: true });
		const record = acc.sim.state.filters.find((f) => f.id === filters[0].id)!;
		expect(filters[0]).toMatchObject({ dateCreate: raw, dateCreateIso: iso(record.dateCreate), lastUpdatedIso: iso(record.lastUpdated) });
		const users = await run({ resource: 'user', operation: 'getMany', returnAll: true });
		const user = acc.sim.state.users.find((u) => u.username === users[0].username)!;
		expect(users[0]).toMatchObject({ created: user.created, createdIso: iso(user.created) });
		const [status] = await run({ resource: 'system', operation: 'getStatus' });
		expect(status.started).toEqual(raw);
		expect(Date.parse(String(status.startedIso))).toBe(epochMsOf(status.started));
	});

	test('Run Quick Job and Wait follows the job to the end and dates it, in this form too', async () => {
		const device = acc.sim.state.devices.find((d) => d.deviceClass === 'device' && d.online)!;
		const component = acc.sim.state.components.find((c) => c.variables.length === 0 && !c.fails)!;
		const [out] = await run({
			resource: 'job',
			operation: 'runQuickJobAndWait',
			deviceUid: rl(device.uid),
			componentUid: rl(component.uid),
			waitOptions: { pollSeconds: 1 },
		});
		const job = acc.sim.state.jobByUid.get(String(out.uid))!;
		expect(out).toMatchObject({ status: 'completed', timedOut: false, jobDeploymentStatus: 'Success', dateCreated: raw, dateCreatedIso: iso(job.createdAt) });
		expect(out.results).toMatchObject({ ranOn: raw, ranOnIso: iso(job.completesAt) });
		expect(String(out.stdout)).toContain(device.hostname);
	});

	test('the trigger fires a new alert once and dates it; its stored floor is a number', async () => {
		const poller = createTriggerPoller(acc, { event: 'alertOpened', options: { isoDates: true } });
		const baseline = await poller.poll('trigger');
		if (baseline.error) throw baseline.error;
		const device = acc.sim.state.devices.find((d) => d.deviceClass === 'device' && d.online)!;
		const at = Date.now();
		const alert = acc.sim.state.openAlert(device.uid, {
			responseActions: [{ actionTime: at + 1000, actionType: 'EMAIL_SENT', description: 'e-mail sent' }],
		});
		const fired = await poller.poll('trigger');
		if (fired.error) throw fired.error;
		expect(fired.items.map((i) => i.alertUid)).toEqual([alert.alertUid]);
		const action = (fired.items[0].responseActions as IDataObject[])[0];
		expect(action.actionTime).toEqual(raw);
		expect(action.actionTimeIso).toBe(iso(at + 1000));
		const again = await poller.poll('trigger');
		expect(again.items).toEqual([]);
		expect(typeof ((poller.nodeStaticData.s as IDataObject).floor)).toBe('number');
	});
});
