/**
 * Audit operations, run through n8n's engine against the simulator over HTTP: the request each
 * one sends, the items it outputs, and bad input stopped before anything is sent.
 */
import { EMPTY, byId, operationsOn } from '../../../harness/operations.cjs';

const { run, runOne, expectInputError, genericDevice, deviceOfClass } = operationsOn();

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
