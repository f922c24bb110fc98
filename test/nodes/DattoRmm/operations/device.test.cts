/**
 * Device operations, run through n8n's engine against the simulator over HTTP: the request Datto
 * RMM receives (method, path, query, body), the items the node outputs, and bad input stopped
 * before anything is sent.
 */
import type { ExecutionBaseError, INodeParameters } from 'n8n-workflow';

import { EMPTY, byId, operationsOn } from '../../../harness/operations.cjs';

const { state, run, runOne, expectInputError, genericDevice } = operationsOn();

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
