/**
 * Device, Audit, Site, Variable and Filter operations, run through n8n's engine against the
 * simulator over HTTP: the request Datto RMM receives (method, path, query, body), the items the
 * node outputs, and bad input stopped before anything is sent.
 */
import type { ExecutionBaseError, IDataObject, INodeParameters } from 'n8n-workflow';

import { DattoRmm } from '../../../../nodes/DattoRmm/DattoRmm.node';
import type { RecordedRequest } from '../../../simulator/index.cjs';
import { startSimulatedAccount, type DattoRunResult, type SimulatedAccount } from '../../../harness/index.cjs';

const PAGINATION = '/api/v2/system/pagination';
/** The request governor's look at the account's rate (not part of any operation's requests). */
const REQUEST_RATE = '/api/v2/system/request_rate';

let account: SimulatedAccount;

beforeAll(async () => {
	account = await startSimulatedAccount({
		simulator: { seed: 7, size: { sites: 4, devices: 60 }, rateLimit: { enabled: false } },
	});
});
afterAll(async () => {
	await account.close();
});

function byId(value: string | number) {
	return { __rl: true, mode: 'id', value };
}

/**
 * An empty value as it arrives from an expression (e.g. a missing field of the input item): n8n's
 * engine itself refuses a literally empty required parameter before the node runs.
 */
const EMPTY = '={{ "" }}';

interface Outcome {
	result: DattoRunResult;
	/** API requests the simulator saw in this run, without the page-size lookup. */
	requests: RecordedRequest[];
	json: IDataObject[];
}

async function run(parameters: INodeParameters, continueOnFail = false): Promise<Outcome> {
	const { sim, harness, credential } = account;
	sim.log.length = 0;
	const result = await harness.runDattoNode({ parameters, credential, continueOnFail });
	const requests = sim.log.filter((r) => r.path.startsWith('/api/') && r.path !== PAGINATION && r.path !== REQUEST_RATE);
	return { result, requests, json: result.items.map((i) => i.json) };
}

/** Runs and expects success with exactly one API request; returns it parsed. */
async function runOne(parameters: INodeParameters) {
	const outcome = await run(parameters);
	expect(outcome.result.error).toBeUndefined();
	expect(outcome.requests).toHaveLength(1);
	const [request] = outcome.requests;
	const body = request.body ? (JSON.parse(request.body) as IDataObject) : undefined;
	return { ...outcome, request, body };
}

/** Runs and expects a NodeOperationError that names `field`, with nothing sent to the API. */
async function expectInputError(parameters: INodeParameters, field: string | RegExp) {
	const { sim } = account;
	const { result } = await run(parameters);
	const error = result.error as ExecutionBaseError & { description?: string };
	expect(error).toBeDefined();
	// The engine keeps the node's error serialised in the run data.
	expect(error.name).toBe('NodeOperationError');
	expect(error.message).toMatch(field);
	if (typeof field === 'string') expect(error.description).toContain(`"${field}"`);
	expect(sim.log.filter((r) => r.path.startsWith('/api/'))).toEqual([]);
	return error;
}

function state() {
	return account.sim.state;
}

function genericDevice(index = 0) {
	return state().devices.filter((d) => d.deviceClass === 'device' && !d.deleted)[index];
}

function deviceOfClass(cls: 'printer' | 'esxihost') {
	return state().devices.find((d) => d.deviceClass === cls && !d.deleted) ?? state().addDevice({ deviceClass: cls });
}

describe('Device', () => {
	test('Get: GET /v2/device/{uid}, one item', async () => {
		const device = genericDevice();
		const { request, json } = await runOne({ resource: 'device', operation: 'get', deviceUid: byId(device.uid) });
		expect(request.method).toBe('GET');
		expect(request.path).toBe(`/api/v2/device/${device.uid}`);
		expect(json).toEqual([expect.objectContaining({ uid: device.uid, hostname: device.hostname })]);
	});

	test('Get with an empty UID: NodeOperationError naming Device, no request', async () => {
		await expectInputError({ resource: 'device', operation: 'get', deviceUid: byId(EMPTY) }, 'Device');
	});

	test('Get by ID: GET /v2/device/id/{id}', async () => {
		const device = genericDevice(1);
		const { request, json } = await runOne({ resource: 'device', operation: 'getById', deviceId: device.id });
		expect(request.path).toBe(`/api/v2/device/id/${device.id}`);
		expect(json).toEqual([expect.objectContaining({ id: device.id, uid: device.uid })]);
	});

	test('Get by ID with 0 or text: NodeOperationError naming Device ID', async () => {
		await expectInputError({ resource: 'device', operation: 'getById', deviceId: 0 }, 'Device ID');
		await expectInputError({ resource: 'device', operation: 'getById', deviceId: 'abc' }, 'Device ID');
	});

	test('Get by MAC Address: separators stripped, upper-case, one item per device of the bare array', async () => {
		const device = genericDevice(2);
		const mac = device.macs[0];
		const typed = mac.match(/../g)!.join('-').toLowerCase();
		const { request, json } = await runOne({ resource: 'device', operation: 'getByMacAddress', macAddress: typed });
		expect(request.method).toBe('GET');
		expect(request.path).toBe(`/api/v2/device/macAddress/${mac.toUpperCase()}`);
		expect(json).toEqual([expect.objectContaining({ uid: device.uid })]);
	});

	test('Get by MAC Address: two devices sharing a MAC give two items', async () => {
		const device = genericDevice(3);
		const twin = state().addDevice({ siteUid: device.siteUid, hostname: 'TWIN-MAC', macs: [device.macs[0]] });
		const { json } = await runOne({
			resource: 'device',
			operation: 'getByMacAddress',
			macAddress: device.macs[0].match(/../g)!.join(':'),
		});
		expect(json.map((d) => d.uid).sort()).toEqual([device.uid, twin.uid].sort());
		expect(json.every((d) => !Array.isArray(d))).toBe(true);
	});

	test('Get by MAC Address with a malformed MAC: NodeOperationError naming MAC Address', async () => {
		await expectInputError({ resource: 'device', operation: 'getByMacAddress', macAddress: '00:1A:2B:3C:4D' }, 'MAC Address');
		await expectInputError({ resource: 'device', operation: 'getByMacAddress', macAddress: 'zz:1A:2B:3C:4D:5E' }, 'MAC Address');
	});

	test('Get Many, scope Account: /v2/account/devices with every filter in the query', async () => {
		const device = genericDevice(4);
		const site = state().site(device.siteUid)!;
		const outcome = await run({
			resource: 'device',
			operation: 'getMany',
			scope: 'account',
			returnAll: true,
			filters: {
				hostname: device.hostname,
				deviceType: device.category,
				operatingSystem: device.operatingSystem,
				siteName: site.name,
			},
		});
		expect(outcome.result.error).toBeUndefined();
		const [request] = outcome.requests;
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/api/v2/account/devices');
		expect(request.query).toMatchObject({
			hostname: device.hostname,
			deviceType: device.category,
			operatingSystem: device.operatingSystem,
			siteName: site.name,
			page: '0',
		});
		expect(outcome.json.map((d) => d.uid)).toContain(device.uid);
		for (const d of outcome.json) expect(String(d.hostname).toLowerCase()).toContain(device.hostname.toLowerCase());
	});

	test('Get Many, scope Account, with a device filter and a limit', async () => {
		const filter = state().filters.find((f) => f.type === 'rmm_default')!;
		const outcome = await run({
			resource: 'device',
			operation: 'getMany',
			scope: 'account',
			returnAll: false,
			limit: 3,
			filters: { filterId: filter.id },
		});
		expect(outcome.result.error).toBeUndefined();
		expect(outcome.requests[0].path).toBe('/api/v2/account/devices');
		expect(outcome.requests[0].query).toMatchObject({ filterId: String(filter.id), max: '3', page: '0' });
		expect(outcome.json.length).toBeLessThanOrEqual(3);
	});

	test('Get Many, default scope is Account (workflows saved before Scope existed)', async () => {
		const outcome = await run({ resource: 'device', operation: 'getMany', limit: 2 });
		expect(outcome.result.error).toBeUndefined();
		expect(outcome.requests[0].path).toBe('/api/v2/account/devices');
		expect(outcome.json).toHaveLength(2);
	});

	test('Get Many, scope Site: /v2/site/{uid}/devices with filterId; account filters are not sent', async () => {
		const site = state().sites[1];
		const siteFilter = state().filters.find((f) => f.type === 'site' && f.siteUid === site.uid);
		const parameters: INodeParameters = {
			resource: 'device',
			operation: 'getMany',
			scope: 'site',
			siteUid: byId(site.uid),
			returnAll: true,
			// Left over from the Account scope: must not reach the site endpoint.
			filters: { hostname: 'SHOULD-NOT-BE-SENT' },
		};
		const plain = await run(parameters);
		expect(plain.result.error).toBeUndefined();
		expect(plain.requests[0].method).toBe('GET');
		expect(plain.requests[0].path).toBe(`/api/v2/site/${site.uid}/devices`);
		expect(plain.requests[0].query).not.toHaveProperty('hostname');
		const expected = state().devices.filter((d) => d.siteUid === site.uid && !d.deleted).map((d) => d.uid);
		expect(plain.json.map((d) => d.uid).sort()).toEqual(expected.sort());

		if (siteFilter) {
			const filtered = await run({ ...parameters, siteFilters: { filterId: siteFilter.id } });
			expect(filtered.result.error).toBeUndefined();
			expect(filtered.requests[0].query).toMatchObject({ filterId: String(siteFilter.id) });
		}
	});

	test('Get Many With Network Interfaces: /v2/site/{uid}/devices/network-interface', async () => {
		const site = state().sites[0];
		const outcome = await run({
			resource: 'device',
			operation: 'getManyWithNetworkInterfaces',
			siteUid: byId(site.uid),
			returnAll: true,
		});
		expect(outcome.result.error).toBeUndefined();
		expect(outcome.requests[0].path).toBe(`/api/v2/site/${site.uid}/devices/network-interface`);
		expect(outcome.json.length).toBeGreaterThan(0);
		expect(outcome.json[0]).toEqual(expect.objectContaining({ siteUid: site.uid, nics: expect.any(Array) }));
	});

	describe('Find by Hostname', () => {
		beforeAll(() => {
			const siteUid = state().sites[0].uid;
			state().addDevice({ siteUid, hostname: 'QZX-FIND01' });
			state().addDevice({ siteUid, hostname: 'qzx-find010' });
			state().addDevice({ siteUid, hostname: 'OTHER-QZX-FIND01-B' });
		});

		test('Exact: only the hostname equal to the text, ignoring case', async () => {
			const outcome = await run({ resource: 'device', operation: 'findByHostname', hostname: 'qzx-find01', match: 'exact' });
			expect(outcome.result.error).toBeUndefined();
			expect(outcome.requests).toHaveLength(1);
			expect(outcome.requests[0].path).toBe('/api/v2/account/devices');
			expect(outcome.requests[0].query).toMatchObject({ hostname: 'qzx-find01' });
			expect(outcome.json.map((d) => d.hostname)).toEqual(['QZX-FIND01']);
		});

		test('Partial: every hostname containing the text', async () => {
			const outcome = await run({ resource: 'device', operation: 'findByHostname', hostname: 'QZX-find01', match: 'partial' });
			expect(outcome.result.error).toBeUndefined();
			expect(outcome.json.map((d) => d.hostname).sort()).toEqual(['OTHER-QZX-FIND01-B', 'QZX-FIND01', 'qzx-find010']);
		});

		test('No match: no items, no error', async () => {
			const outcome = await run({ resource: 'device', operation: 'findByHostname', hostname: 'QZX-FIND0', match: 'exact' });
			expect(outcome.result.error).toBeUndefined();
			expect(outcome.json).toEqual([]);
		});

		test('Empty hostname: NodeOperationError naming Hostname', async () => {
			await expectInputError({ resource: 'device', operation: 'findByHostname', hostname: EMPTY }, 'Hostname');
		});
	});

	test('Move to Site: PUT /v2/device/{uid}/site/{siteUid}, the device moves', async () => {
		const device = genericDevice(5);
		const target = state().sites.find((s) => s.uid !== device.siteUid)!;
		const { request, json } = await runOne({
			resource: 'device',
			operation: 'move',
			deviceUid: byId(device.uid),
			siteUid: byId(target.uid),
		});
		expect(request.method).toBe('PUT');
		expect(request.path).toBe(`/api/v2/device/${device.uid}/site/${target.uid}`);
		expect(json).toEqual([{ success: true, deviceUid: device.uid, siteUid: target.uid }]);
		expect(state().device(device.uid)!.siteUid).toBe(target.uid);
	});

	test('Set UDFs: POST only the UDFs given, as udfN; an empty value clears', async () => {
		const device = genericDevice(6);
		device.udf = { udf1: 'keep me', udf300: 'old' };
		const { request, body, json } = await runOne({
			resource: 'device',
			operation: 'setUdfs',
			deviceUid: byId(device.uid),
			udfs: { udf: [{ number: 5, value: 'Contract 2027' }, { number: 300, value: '' }] },
		});
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/api/v2/device/${device.uid}/udf`);
		expect(body).toEqual({ udf5: 'Contract 2027', udf300: '' });
		expect(state().device(device.uid)!.udf).toEqual({ udf1: 'keep me', udf5: 'Contract 2027' });
		expect(json).toEqual([{ success: true, deviceUid: device.uid, udf5: 'Contract 2027', udf300: '' }]);
	});

	test('Set UDFs with bad input: NodeOperationError, no request', async () => {
		const device = genericDevice(6);
		const base = { resource: 'device', operation: 'setUdfs', deviceUid: byId(device.uid) };
		const none = await expectInputError({ ...base, udfs: {} }, 'UDFs');
		expect(none.message).toMatch(/at least one UDF/);
		await expectInputError({ ...base, udfs: { udf: [{ number: 0, value: 'x' }] } }, 'UDF Number');
		await expectInputError({ ...base, udfs: { udf: [{ number: 301, value: 'x' }] } }, 'UDF Number');
		await expectInputError({ ...base, udfs: { udf: [{ number: 2, value: 'a' }, { number: 2, value: 'b' }] } }, 'UDFs');
	});

	test('Set Warranty: n8n date to yyyy-mm-dd in warrantyDate', async () => {
		const device = genericDevice(7);
		const { request, body, json } = await runOne({
			resource: 'device',
			operation: 'setWarranty',
			deviceUid: byId(device.uid),
			warrantyDate: '2027-03-31T00:00:00.000Z',
		});
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/api/v2/device/${device.uid}/warranty`);
		expect(body).toEqual({ warrantyDate: '2027-03-31' });
		expect(state().device(device.uid)!.warrantyDate).toBe('2027-03-31');
		expect(json).toEqual([{ success: true, deviceUid: device.uid }]);

		const plain = await runOne({
			resource: 'device',
			operation: 'setWarranty',
			deviceUid: byId(device.uid),
			warrantyDate: '2028-01-15',
		});
		expect(plain.body).toEqual({ warrantyDate: '2028-01-15' });
	});

	test.each([
		['wall-clock time from the date picker', '2027-03-31T00:00:00', '2027-03-31'],
		// 01:00 in Tokyo is still the 30th in UTC: the day the user gave is kept.
		['a time with an offset east of UTC', '2027-03-31T01:00:00+09:00', '2027-03-31'],
		['a Luxon DateTime from an expression', '={{ DateTime.fromISO("2027-03-31T00:30:00", { zone: "Asia/Tokyo" }) }}', '2027-03-31'],
	])('Set Warranty keeps the calendar day of %s', async (_what, warrantyDate, expected) => {
		const device = genericDevice(7);
		const { body } = await runOne({ resource: 'device', operation: 'setWarranty', deviceUid: byId(device.uid), warrantyDate });
		expect(body).toEqual({ warrantyDate: expected });
	});

	test('Set Warranty with an invalid date: NodeOperationError naming Warranty Date', async () => {
		const device = genericDevice(7);
		await expectInputError(
			{ resource: 'device', operation: 'setWarranty', deviceUid: byId(device.uid), warrantyDate: 'next tuesday' },
			'Warranty Date',
		);
		await expectInputError(
			{ resource: 'device', operation: 'setWarranty', deviceUid: byId(device.uid), warrantyDate: EMPTY },
			'Warranty Date',
		);
		await expectInputError(
			{ resource: 'device', operation: 'setWarranty', deviceUid: byId(device.uid), warrantyDate: '2027-02-30' },
			'Warranty Date',
		);
	});

	test('an unknown device UID: NodeApiError with the 404 hint', async () => {
		const outcome = await run({ resource: 'device', operation: 'get', deviceUid: byId('no-such-device') });
		const error = outcome.result.error as ExecutionBaseError & { description?: string };
		expect(error.message).toMatch(/HTTP 404/);
		expect(error.description).toContain('the device "no-such-device"');
	});
});

describe('Audit', () => {
	test('Get Device Audit: GET /v2/audit/device/{uid}', async () => {
		const device = genericDevice(0);
		const { request, json } = await runOne({ resource: 'audit', operation: 'getDevice', deviceUid: byId(device.uid) });
		expect(request.path).toBe(`/api/v2/audit/device/${device.uid}`);
		expect(json).toHaveLength(1);
		expect(json[0]).toHaveProperty('systemInfo');
	});

	test('Get Printer Audit: GET /v2/audit/printer/{uid}', async () => {
		const printer = deviceOfClass('printer');
		const { request, json } = await runOne({ resource: 'audit', operation: 'getPrinter', deviceUid: byId(printer.uid) });
		expect(request.path).toBe(`/api/v2/audit/printer/${printer.uid}`);
		expect(json).toHaveLength(1);
		expect(json[0]).toHaveProperty('printer');
	});

	test('Get ESXi Host Audit: GET /v2/audit/esxihost/{uid}', async () => {
		const host = deviceOfClass('esxihost');
		const { request, json } = await runOne({ resource: 'audit', operation: 'getEsxiHost', deviceUid: byId(host.uid) });
		expect(request.path).toBe(`/api/v2/audit/esxihost/${host.uid}`);
		expect(json).toHaveLength(1);
		expect(json[0]).toHaveProperty('datastores');
	});

	test('Get Software: paged under "software", one item per application', async () => {
		const device = genericDevice(0);
		const limited = await run({ resource: 'audit', operation: 'getSoftware', deviceUid: byId(device.uid), limit: 3 });
		expect(limited.result.error).toBeUndefined();
		expect(limited.requests[0].path).toBe(`/api/v2/audit/device/${device.uid}/software`);
		expect(limited.requests[0].query).toMatchObject({ max: '3', page: '0' });
		expect(limited.json).toHaveLength(3);
		expect(limited.json[0]).toEqual(expect.objectContaining({ name: expect.any(String) }));

		const all = await run({ resource: 'audit', operation: 'getSoftware', deviceUid: byId(device.uid), returnAll: true });
		expect(all.result.error).toBeUndefined();
		expect(all.json.length).toBeGreaterThanOrEqual(3);
	});

	test('Get by MAC Address: normalised MAC, bare array to items', async () => {
		const device = genericDevice(8);
		const mac = device.macs[0];
		const { request, json } = await runOne({
			resource: 'audit',
			operation: 'getByMacAddress',
			macAddress: ` ${mac.match(/../g)!.join(':')} `,
		});
		expect(request.path).toBe(`/api/v2/audit/device/macAddress/${mac.toUpperCase()}`);
		expect(json.length).toBeGreaterThanOrEqual(1);
		expect(json[0]).toHaveProperty('systemInfo');
	});

	test('Audit by MAC with a malformed MAC, or an empty device: NodeOperationError, no request', async () => {
		await expectInputError({ resource: 'audit', operation: 'getByMacAddress', macAddress: '001A2B3C4D5E6F' }, 'MAC Address');
		await expectInputError({ resource: 'audit', operation: 'getDevice', deviceUid: byId(EMPTY) }, 'Device');
	});
});

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

describe('Variable', () => {
	const cases = [
		{ scope: 'account', prefix: () => '/api/v2/account', list: () => state().accountVariables },
		{ scope: 'site', prefix: () => `/api/v2/site/${state().sites[0].uid}`, list: () => state().sites[0].variables },
	];

	test.each(cases)('scope $scope: create, get many, update, delete hit the scope\'s endpoints', async ({ scope, prefix, list }) => {
		const where = scope === 'site' ? { siteUid: byId(state().sites[0].uid) } : {};
		const name = `N8nVar_${scope}`;

		const created = await runOne({ resource: 'variable', operation: 'create', scope, ...where, name, value: ' v 1 ', masked: true });
		expect(created.request.method).toBe('PUT');
		expect(created.request.path).toBe(`${prefix()}/variable`);
		expect(created.body).toEqual({ name, value: ' v 1 ', masked: true });
		const id = created.json[0].id as number;
		expect(list().find((v) => v.id === id)).toMatchObject({ name, value: ' v 1 ', masked: true });

		const many = await run({ resource: 'variable', operation: 'getMany', scope, ...where, returnAll: true });
		expect(many.result.error).toBeUndefined();
		expect(many.requests[0].path).toBe(`${prefix()}/variables`);
		expect(many.json).toContainEqual({ id, name, value: '*****', masked: true });

		const updated = await runOne({ resource: 'variable', operation: 'update', scope, ...where, variableId: id, name: `${name}2`, value: 'v2' });
		expect(updated.request.method).toBe('POST');
		expect(updated.request.path).toBe(`${prefix()}/variable/${id}`);
		expect(updated.body).toEqual({ name: `${name}2`, value: 'v2' });
		expect(list().find((v) => v.id === id)).toMatchObject({ name: `${name}2`, value: 'v2' });

		const deleted = await runOne({ resource: 'variable', operation: 'delete', scope, ...where, variableId: id });
		expect(deleted.request.method).toBe('DELETE');
		expect(deleted.request.path).toBe(`${prefix()}/variable/${id}`);
		expect(deleted.json).toEqual([expect.objectContaining({ success: true, variableId: String(id) })]);
		expect(list().some((v) => v.id === id)).toBe(false);
	});

	test('update changes only what is given: the value alone (a password rotated), or the name alone', async () => {
		const list = state().accountVariables;
		const v = { id: state().nextIds.variable++, name: 'RotateMe', value: 'old secret', masked: true };
		list.push(v);
		const valueOnly = await runOne({ resource: 'variable', operation: 'update', scope: 'account', variableId: v.id, value: 'new secret' });
		expect(valueOnly.body).toEqual({ value: 'new secret' });
		expect(list.find((x) => x.id === v.id)).toMatchObject({ name: 'RotateMe', value: 'new secret', masked: true });
		expect(valueOnly.json).toEqual([{ success: true, variableId: String(v.id) }]);
		const nameOnly = await runOne({ resource: 'variable', operation: 'update', scope: 'account', variableId: v.id, name: ' Rotated ' });
		expect(nameOnly.body).toEqual({ name: 'Rotated' });
		expect(list.find((x) => x.id === v.id)).toMatchObject({ name: 'Rotated', value: 'new secret' });
	});

	test("the editor shows Update's required fields first: Variable ID before the optional name and value", () => {
		const shown = new DattoRmm().description.properties.filter((p) => {
			const show = p.displayOptions?.show;
			// Not the AI tool's own parameters (shown only in n8n's tool variant).
			return show?.resource?.includes('variable') && show.operation?.includes('update') && !show['@tool'];
		});
		expect(shown.map((p) => p.name)).toEqual(['scope', 'siteUid', 'variableId', 'name', 'value', 'options']);
		expect(shown.find((p) => p.name === 'name')!.required).toBeFalsy();
		expect(shown.find((p) => p.name === 'value')!.required).toBeFalsy();
	});

	test('update with neither name nor value is an input error naming both, before any request', async () => {
		const error = await expectInputError({ resource: 'variable', operation: 'update', scope: 'account', variableId: 1 }, 'Name or Value');
		expect(error.message).toMatch(/both are empty/);
		await expectInputError({ resource: 'variable', operation: 'update', scope: 'account', variableId: 1, name: EMPTY, value: EMPTY }, 'Name or Value');
	});

	test('bad input: empty or non-numeric variable ID, empty name or value, empty site', async () => {
		await expectInputError({ resource: 'variable', operation: 'delete', scope: 'account', variableId: EMPTY }, 'Variable ID');
		await expectInputError({ resource: 'variable', operation: 'delete', scope: 'account', variableId: '12a' }, 'Variable ID');
		await expectInputError({ resource: 'variable', operation: 'create', scope: 'account', name: EMPTY, value: 'x' }, 'Name');
		await expectInputError({ resource: 'variable', operation: 'create', scope: 'account', name: 'A', value: EMPTY }, 'Value');
		await expectInputError(
			{ resource: 'variable', operation: 'getMany', scope: 'site', siteUid: byId(EMPTY) },
			'Site',
		);
	});
});

describe('Filter', () => {
	test.each([
		{ type: 'default', path: '/api/v2/filter/default-filters', kind: 'rmm_default' },
		{ type: 'custom', path: '/api/v2/filter/custom-filters', kind: 'custom' },
	])('type $type: GET $path, one item per filter', async ({ type, path, kind }) => {
		const outcome = await run({ resource: 'filter', operation: 'getMany', type, returnAll: true });
		expect(outcome.result.error).toBeUndefined();
		expect(outcome.requests[0].path).toBe(path);
		expect(outcome.json.length).toBe(state().filters.filter((f) => f.type === kind).length);
		for (const f of outcome.json) expect(f.type).toBe(kind);
	});

	test('type Site: GET /v2/site/{uid}/filters', async () => {
		const site = state().sites[0];
		const outcome = await run({ resource: 'filter', operation: 'getMany', type: 'site', siteUid: byId(site.uid), returnAll: true });
		expect(outcome.result.error).toBeUndefined();
		expect(outcome.requests[0].path).toBe(`/api/v2/site/${site.uid}/filters`);
		for (const f of outcome.json) expect(f.type).toBe('site');
	});
});

describe('On Error: Continue', () => {
	test('bad input gives an error item naming the field, no request', async () => {
		const outcome = await run({ resource: 'device', operation: 'getByMacAddress', macAddress: 'nope' }, true);
		expect(outcome.result.error).toBeUndefined();
		expect(outcome.requests).toEqual([]);
		expect(outcome.json).toEqual([
			{ error: expect.stringContaining('MAC Address'), description: expect.stringContaining('"MAC Address"') },
		]);
	});
});
