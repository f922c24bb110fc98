/**
 * Writes of the Datto RMM node as an AI tool answer with what changed (issue 20): each reads
 * first, and when nothing would change it sends nothing and says so. In n8n-core's engine against
 * the simulator, through the test node that plays the agent (harness/ai-tool.cts). n8n 2.x only:
 * n8n 1.x gives its tools the editor's parameters and wrapper (see ../tool.test.cts).
 */
import { addToolTypes, answerItems, apiRequests, fromAi, runTools } from '../../../harness/ai-tool.cjs';
import { startSimulatedAccount, type SimulatedAccount } from '../../../harness/index.cjs';

let account: SimulatedAccount;

beforeAll(async () => {
	account = await startSimulatedAccount({ simulator: { seed: 20, size: { sites: 6, devices: 40 }, rateLimit: { enabled: false } } });
	addToolTypes(account.harness);
});
afterAll(async () => {
	await account.close();
});

const items = answerItems;
const apiRequestsSince = (from: number) => apiRequests(account.sim, from);

describe('writes answer with what changed', () => {
	const calls = (from: number) => apiRequestsSince(from).filter((r) => r.path !== '/api/v2/system/pagination').map((r) => `${r.method} ${r.path}`);

	test('Resolve: an open alert is resolved; one already resolved is left alone, and the answer says so', async () => {
		const alert = account.sim.state.alerts.find((a) => !a.resolved)!;
		const resolve = { 'Resolve alert': { resource: 'alert', operation: 'resolve', alertUid: fromAi('alertUid', 'UID of the alert') } };
		const from = account.sim.log.length;
		const run = await runTools(account.harness, account.credential, resolve, [
			{ tool: 'Resolve_alert', args: { alertUid: alert.alertUid } },
			{ tool: 'Resolve_alert', args: { alertUid: alert.alertUid } },
		]);
		const [first, second] = run.answers.map(items);
		expect(first).toEqual([expect.objectContaining({ alertUid: alert.alertUid, changed: true, before: { resolved: false }, after: { resolved: true }, summary: expect.stringMatching(/was open and is now resolved\.$/) })]);
		expect(second).toEqual([expect.objectContaining({ alertUid: alert.alertUid, changed: false, summary: expect.stringMatching(/was already resolved \(on .+\); nothing changed\.$/) })]);
		expect(account.sim.state.alertByUid.get(alert.alertUid)!.resolved).toBe(true);
		const path = `/api/v2/alert/${alert.alertUid}`;
		expect(calls(from)).toEqual([`GET ${path}`, `POST ${path}/resolve`, `GET ${path}`]);
	});

	test('Move to Site: to the site it is in changes nothing; to another, the answer names both sites', async () => {
		const { state } = account.sim;
		const device = state.devices.find((d) => !d.deleted)!;
		const home = state.site(device.siteUid)!;
		const other = state.sites.find((s) => s.uid !== home.uid)!;
		const move = {
			'Move device': {
				resource: 'device',
				operation: 'move',
				deviceUid: { __rl: true, mode: 'uid', value: fromAi('deviceUid', 'UID of the device') },
				siteUid: { __rl: true, mode: 'uid', value: fromAi('siteUid', 'UID of the target site') },
			},
		};
		const from = account.sim.log.length;
		const run = await runTools(account.harness, account.credential, move, [
			{ tool: 'Move_device', args: { deviceUid: device.uid, siteUid: home.uid } },
			{ tool: 'Move_device', args: { deviceUid: device.uid, siteUid: other.uid } },
		]);
		const [same, moved] = run.answers.map(items);
		const at = (s: typeof home) => ({ siteUid: s.uid, siteName: s.name });
		expect(same).toEqual([{ deviceUid: device.uid, hostname: device.hostname, changed: false, summary: `${device.hostname} is already in site "${home.name}"; nothing changed.`, before: at(home), after: at(home) }]);
		expect(moved).toEqual([{ deviceUid: device.uid, hostname: device.hostname, changed: true, summary: `${device.hostname} moved from site "${home.name}" to site "${other.name}".`, before: at(home), after: at(other) }]);
		expect(state.deviceByUid.get(device.uid)!.siteUid).toBe(other.uid);
		expect(calls(from).filter((c) => c.startsWith('PUT'))).toEqual([`PUT /api/v2/device/${device.uid}/site/${other.uid}`]);
	});

	test('Set UDFs and Set Warranty: old and new values; the same values again send nothing', async () => {
		const device = account.sim.state.devices.filter((d) => !d.deleted)[5];
		const warrantyBefore = device.warrantyDate ?? null;
		const tools = {
			'Set UDF': {
				resource: 'device',
				operation: 'setUdfs',
				deviceUid: { __rl: true, mode: 'uid', value: fromAi('deviceUid', 'UID of the device') },
				udfs: { udf: [{ number: 7, value: fromAi('value', 'New value of UDF 7') }] },
			},
			'Set warranty': {
				resource: 'device',
				operation: 'setWarranty',
				deviceUid: { __rl: true, mode: 'uid', value: fromAi('deviceUid', 'UID of the device') },
				warrantyDate: fromAi('warrantyDate', 'Last day of the warranty, yyyy-mm-dd'),
			},
		};
		const from = account.sim.log.length;
		const run = await runTools(account.harness, account.credential, tools, [
			{ tool: 'Set_UDF', args: { deviceUid: device.uid, value: 'Rack 4' } },
			{ tool: 'Set_UDF', args: { deviceUid: device.uid, value: 'Rack 4' } },
			{ tool: 'Set_warranty', args: { deviceUid: device.uid, warrantyDate: '2031-01-31' } },
			{ tool: 'Set_warranty', args: { deviceUid: device.uid, warrantyDate: '2031-01-31' } },
		]);
		const [udf, udfAgain, warranty, warrantyAgain] = run.answers.map((a) => items(a)[0]);
		expect(udf).toEqual(expect.objectContaining({ changed: true, before: { udf7: null }, after: { udf7: 'Rack 4' } }));
		expect(udfAgain).toEqual(expect.objectContaining({ changed: false, summary: expect.stringContaining('nothing changed') }));
		expect(warranty).toEqual(expect.objectContaining({ changed: true, before: { warrantyDate: warrantyBefore }, after: { warrantyDate: '2031-01-31' } }));
		expect(warrantyAgain).toEqual(expect.objectContaining({ changed: false }));
		expect(calls(from).filter((c) => c.startsWith('POST'))).toEqual([`POST /api/v2/device/${device.uid}/udf`, `POST /api/v2/device/${device.uid}/warranty`]);
	});
});
