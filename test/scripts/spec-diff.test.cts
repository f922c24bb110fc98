/**
 * The spec tools (spec-diff, sync-openapi) on two kinds of document: a small spec of our own
 * (test/fixtures/small-spec.cts), so that they are tested in any clone, and Datto's real specs
 * (../shared/specs or the copy jest fetched, see test/specs.cts; read there, never copied): the same
 * edits of its current spec, and spec-diff on each successive pair of its history. The tests on
 * Datto's specs are skipped, with the reason, where they cannot be had.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { OPERATIONS } from '../../nodes/DattoRmm/operations';
import { type SpecChange, type SpecDiff, compressNames, diffFiles, diffSpecs, formatReport, nodeOperationRefs, runCli } from '../../scripts/spec-diff.cjs';
import { type Json, normalizeSchema, readSpec, schemaUsage, validateSpec } from '../../scripts/spec-model.cjs';
import { formatSync, parseArgs, syncSpec } from '../../scripts/sync-openapi.cjs';

import { SMALL_SPEC_SIZE, smallSpec } from '../fixtures/small-spec.cjs';
import { SPECS, describeWithSpecs, historyFile } from '../specs.cjs';

const ROOT = path.resolve(__dirname, '../..');
/** Datto's specs: read only in the blocks that run when they are there. */
const DATTO = SPECS.dir ?? path.join(ROOT, 'specs/cache');
const CURRENT = path.join(DATTO, 'datto-rmm-openapi.json');
const V1_15_1 = historyFile(DATTO, '1.15.1');
const V1_22_1 = historyFile(DATTO, '1.22.1');
const V1_24_0 = historyFile(DATTO, '1.24.0');
const BUILD_118 = historyFile(DATTO, 'build-118');
const HISTORY = [V1_15_1, V1_22_1, V1_24_0, BUILD_118, CURRENT];
const DATTO_SIZE = { operations: 57, schemas: 113 };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spec-diff-'));
afterAll(() => {
	fs.rmSync(tmp, { recursive: true, force: true });
});

/** Our small spec, version 1 and version 2 (one query parameter more). */
const SMALL_1 = path.join(tmp, 'small-spec-1.json');
const SMALL_2 = path.join(tmp, 'small-spec-2.json');
fs.writeFileSync(SMALL_1, JSON.stringify(smallSpec(1), null, '\t'));
fs.writeFileSync(SMALL_2, JSON.stringify(smallSpec(2), null, '\t'));

/** Labels of the node operations that call any of these spec operations. */
function nodeOpsCalling(...operationIds: string[]): string[] {
	return nodeOperationRefs()
		.filter((n) => n.operationIds.some((id) => operationIds.includes(id)))
		.map((n) => n.label);
}

function only(diff: SpecDiff, predicate: (c: SpecChange) => boolean): SpecChange {
	const found = diff.changes.filter(predicate);
	expect(found).toHaveLength(1);
	return found[0];
}

function readJson(file: string): Json {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
}

function runScript(script: string, args: string[]) {
	return spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'scripts', script), ...args], {
		cwd: ROOT,
		encoding: 'utf8',
		timeout: 60_000,
	});
}


/** Writes a copy of a spec, changed by `edit`, to the temp dir. */
function derived(base: string, name: string, edit: (doc: Json) => void): string {
	const doc = readJson(base);
	edit(doc);
	const file = path.join(tmp, `${path.basename(base, '.json')}-${name}.json`);
	fs.writeFileSync(file, JSON.stringify(doc));
	return file;
}

/** The tests on one spec: edited copies of it, itself, and sync-openapi downloading it. */
function specTests(label: string, base: string, size: { operations: number; schemas: number }): void {
	test('a spec compared with itself has no changes', () => {
		const diff = diffFiles(base, base);
		expect(diff.changes).toEqual([]);
		expect(formatReport(diff)).toContain('Summary: 0 breaking, 0 changes, 0 additions');
	});

	test('an operation removed is breaking (exit 1) and names the node operation', () => {
		const file = derived(base, 'removed-op', (doc) => {
			delete doc.paths['/v2/device/{deviceUid}'].get;
		});
		const run = runScript('spec-diff.cts', [base, file]);
		expect(run.stderr).toBe('');
		expect(run.status).toBe(1);
		expect(run.stdout).toContain('BREAKING (1)');
		expect(run.stdout).toContain('GET /v2/device/{deviceUid} (getByUid): operation removed');
		expect(run.stdout).toContain('node: Device › Get\n');
		expect(run.stdout).toMatch(/^Summary: 1 breaking, 0 changes, 0 additions .* - BREAKING$/m);

		const json = runCli([base, file, '--json']);
		expect(json.code).toBe(1);
		const diff = JSON.parse(json.stdout) as SpecDiff;
		expect(diff.changes).toEqual([
			expect.objectContaining({ severity: 'breaking', code: 'operation-removed', operationId: 'getByUid', nodeOperations: ['Device › Get'] }),
		]);
	});

	test('a parameter made required is breaking', () => {
		const file = derived(base, 'required-param', (doc) => {
			const param = (doc.paths['/v2/account/devices'].get.parameters as Json[]).find((p) => p.name === 'hostname') as Json;
			param.required = true;
		});
		const diff = diffFiles(base, file);
		expect(diff.breaking).toBe(true);
		const change = only(diff, () => true);
		expect(change).toMatchObject({ severity: 'breaking', code: 'parameter-required', at: 'query parameter hostname', operationId: 'getUserAccountDevices' });
		expect(change.nodeOperations).toEqual(['Device › Get Many', 'Device › Find by Hostname']);
		expect(runCli([base, file]).code).toBe(1);
	});

	test('a new optional parameter is an addition (exit 0)', () => {
		const file = derived(base, 'optional-param', (doc) => {
			doc.paths['/v2/account/devices'].get.parameters.push({ name: 'serialNumber', in: 'query', required: false, schema: { type: 'string' } });
		});
		const run = runCli([base, file]);
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('GET /v2/account/devices (getUserAccountDevices): query parameter serialNumber: added (optional, string)');
		expect(run.stdout).toContain('Additions (1)');
		expect(run.stdout).toContain('BREAKING (0)');
		const diff = diffFiles(base, file);
		expect(only(diff, () => true)).toMatchObject({ severity: 'addition', code: 'parameter-added', nodeOperations: ['Device › Get Many', 'Device › Find by Hostname'] });
	});

	test('a new required parameter, a removed one and one moved to another location are breaking', () => {
		const file = derived(base, 'params', (doc) => {
			const get = doc.paths['/v2/account/devices'].get;
			get.parameters = (get.parameters as Json[]).filter((p) => p.name !== 'siteName');
			(get.parameters as Json[]).find((p) => p.name === 'deviceType')!.in = 'header';
			get.parameters.push({ name: 'tenant', in: 'query', required: true, schema: { type: 'string' } });
		});
		const diff = diffFiles(base, file);
		expect(diff.changes.map((c) => [c.severity, c.code, c.at])).toEqual(
			expect.arrayContaining([
				['breaking', 'parameter-removed', 'query parameter siteName'],
				['breaking', 'parameter-location-changed', 'query parameter deviceType'],
				['breaking', 'parameter-added-required', 'query parameter tenant'],
			]),
		);
		expect(diff.changes).toHaveLength(3);
	});

	test('a newly required request body field is breaking; a new required one too', () => {
		const file = derived(base, 'required-body', (doc) => {
			doc.components.schemas.CreateSiteRequest.required.push('description');
		});
		const diff = diffFiles(base, file);
		expect(diff.breaking).toBe(true);
		const change = only(diff, () => true);
		expect(change).toMatchObject({ severity: 'breaking', code: 'properties-required', schema: 'CreateSiteRequest', names: ['description'] });
		expect(change.nodeOperations).toEqual(nodeOpsCalling('create'));
		expect(change.nodeOperations).toEqual(['Site › Create']);
		expect(runCli([base, file]).code).toBe(1);

		const added = derived(base, 'added-required-body', (doc) => {
			const schema = doc.components.schemas.CreateSiteRequest;
			schema.properties.region = { type: 'string' };
			schema.required.push('region');
		});
		const diff2 = diffFiles(base, added);
		expect(only(diff2, () => true)).toMatchObject({ severity: 'breaking', code: 'required-properties-added', names: ['region'] });
	});

	test('a field newly required in a response-only schema is a change, not a break', () => {
		const file = derived(base, 'required-response', (doc) => {
			doc.components.schemas.Device.required = ['uid'];
		});
		const diff = diffFiles(base, file);
		expect(only(diff, () => true)).toMatchObject({ severity: 'change', code: 'properties-required', schema: 'Device' });
		expect(diff.breaking).toBe(false);
	});

	test('a removed response field and a type change are breaking, and reach operations through refs', () => {
		const file = derived(base, 'response', (doc) => {
			delete doc.components.schemas.Device.properties.hostname;
			doc.components.schemas.PaginationData.properties.count = { type: 'string' };
			// `Device Network Interface` (a name with spaces) reached through DevicesNetworkInterfacePage
			doc.components.schemas['Device Network Interface'].properties.lastSeen = { type: 'string', format: 'date-time' };
		});
		const diff = diffFiles(base, file);
		expect(diff.breaking).toBe(true);
		const removed = only(diff, (c) => c.code === 'properties-removed');
		expect(removed).toMatchObject({ severity: 'breaking', schema: 'Device', names: ['hostname'] });
		expect(removed.nodeOperations).toContain('Device › Get Many');
		const retyped = only(diff, (c) => c.code === 'type-changed');
		expect(retyped).toMatchObject({ severity: 'breaking', at: 'PaginationData.count' });
		expect(retyped.message).toBe('PaginationData.count: type changed from integer(int32) to string');
		// every paged list reaches PaginationData
		expect(retyped.nodeOperations).toEqual(expect.arrayContaining(['Device › Get Many', 'Site › Get Many', 'Alert › Get Many', 'User › Get Many']));
		const nic = only(diff, (c) => c.schema === 'Device Network Interface');
		expect(nic).toMatchObject({ severity: 'addition', names: ['lastSeen'], nodeOperations: ['Device › Get Many With Network Interfaces'] });
	});

	test('an operationId renamed on the same method and path is a change, not a removal and an addition', () => {
		const file = derived(base, 'renamed-id', (doc) => {
			doc.paths['/v2/device/{deviceUid}'].get.operationId = 'getDeviceByUid';
		});
		const diff = diffFiles(base, file);
		expect(diff.breaking).toBe(false);
		expect(only(diff, () => true)).toMatchObject({
			severity: 'change',
			code: 'operation-id-changed',
			operation: 'GET /v2/device/{deviceUid}',
			operationId: 'getDeviceByUid',
			nodeOperations: ['Device › Get'],
		});
	});

	test('a renamed path placeholder is a change; an operation moved to another path is breaking', () => {
		const file = derived(base, 'paths', (doc) => {
			const item = doc.paths['/v2/device/id/{deviceId}'];
			item.get.parameters.find((p: Json) => p.name === 'deviceId').name = 'id';
			doc.paths['/v2/device/id/{id}'] = item;
			delete doc.paths['/v2/device/id/{deviceId}'];
			doc.paths['/v2/devices/mac/{macAddress}'] = doc.paths['/v2/device/macAddress/{macAddress}'];
			delete doc.paths['/v2/device/macAddress/{macAddress}'];
		});
		const diff = diffFiles(base, file);
		expect(diff.changes.map((c) => [c.severity, c.code, c.nodeOperations])).toEqual([
			['breaking', 'operation-moved', ['Device › Get by MAC Address']],
			['change', 'parameter-renamed', ['Device › Get by ID']],
		]);
	});

	test('the same schema written the OpenAPI 3.0 way and the 3.1 way, with encoded refs, is no change', () => {
		const as30 = derived(base, 'as-3.0', (doc) => {
			doc.openapi = '3.0.3';
			const device = doc.components.schemas.Device;
			device.properties.hostname = { type: 'string', nullable: true };
			device.properties.udf = { allOf: [{ $ref: '#/components/schemas/Udf' }], nullable: true };
			device.properties.deviceClass.nullable = true;
		});
		const as31 = derived(base, 'as-3.1', (doc) => {
			const device = doc.components.schemas.Device;
			device.properties.hostname = { type: ['null', 'string'], description: 'only documentation differs' };
			device.properties.udf = { anyOf: [{ $ref: '#/components/schemas/Udf' }, { type: 'null' }] };
			device.properties.deviceClass.type = ['string', 'null'];
			device.properties.deviceClass.enum = [...device.properties.deviceClass.enum, null];
			const text = JSON.stringify(doc).replace(/#\/components\/schemas\/([^"]+)"/g, (_m, name: string) => `#/components/schemas/${encodeURIComponent(name)}"`);
			Object.assign(doc, JSON.parse(text));
		});
		expect(fs.readFileSync(as31, 'utf8')).toContain('Device%20Network%20Interface');
		const diff = diffFiles(as30, as31);
		expect(diff.changes).toEqual([]);
		expect(runCli([as30, as31]).code).toBe(0);

		// while becoming nullable is a (non-breaking) change
		const nullable = diffFiles(base, as31);
		expect(nullable.changes.map((c) => [c.severity, c.code, c.at])).toEqual([
			['change', 'nullable-changed', 'Device.deviceClass'],
			['change', 'nullable-changed', 'Device.hostname'],
			['change', 'nullable-changed', 'Device.udf'],
		]);
	});

	test('downloads from a server, and says clearly when it cannot', async () => {
		const spec = fs.readFileSync(base, 'utf8');
		const server = http.createServer((req, res) => {
			if (req.url === '/api/v3/api-docs/Datto-RMM') {
				res.writeHead(200, { 'content-type': 'application/json' }).end(spec);
			} else {
				res.writeHead(503, 'Service Unavailable').end('down');
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		try {
			const out = path.join(tmp, `download-${label}`, 'spec.json');
			const result = await syncSpec({ url: `${origin}/api/v3/api-docs/Datto-RMM`, out });
			expect(result).toMatchObject({ unchanged: false, ...size });
			expect(result.spec.version).toBe(readSpec(base).version);
			expect(fs.readFileSync(out, 'utf8')).toBe(spec);
			await expect(syncSpec({ url: `${origin}/elsewhere`, out })).rejects.toThrow(`Could not download the spec from ${origin}/elsewhere: the server answered HTTP 503`);
		} finally {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
		// a port nothing listens on
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise((resolve) => closed.close(resolve));
		await expect(syncSpec({ url: `http://127.0.0.1:${port}/api/v3/api-docs/Datto-RMM`, out: path.join(tmp, `x-${label}.json`) })).rejects.toThrow(
			/Could not download the spec from .*: the connection was refused \(ECONNREFUSED\)\. .*--from FILE/,
		);
		expect(fs.existsSync(path.join(tmp, `x-${label}.json`))).toBe(false);
	});
}

/** The tests on a spec and its previous version, which differ by one query parameter. */
function versionPairTests(label: string, previous: string, current: string, size: { operations: number }): void {
	test('previous → current: exactly searchQuery added to GET /v2/activity-logs, not breaking', () => {
		const diff = diffFiles(previous, current);
		expect(diff.breaking).toBe(false);
		expect(diff.changes).toHaveLength(1);
		expect(diff.changes[0]).toMatchObject({
			severity: 'addition',
			code: 'parameter-added',
			area: 'parameter',
			operation: 'GET /v2/activity-logs',
			at: 'query parameter searchQuery',
			names: ['searchQuery'],
			nodeOperations: ['Activity Log › Get Many'],
		});
		expect(diff.nodeOperations).toEqual(['Activity Log › Get Many']);
	});

	test('--from copies a spec, keeps the previous one and prints the diff summary; refuses what is not a spec', async () => {
		const out = path.join(tmp, `sync-${label}`, 'specs', 'datto-rmm-openapi.json');
		const kept = path.join(tmp, `sync-${label}`, 'specs', 'datto-rmm-openapi.previous.json');

		const [previousVersion, currentVersion] = [readSpec(previous).version, readSpec(current).version];
		const first = runScript('sync-openapi.cts', ['--from', previous, '--out', out]);
		expect(first.stderr).toBe('');
		expect(first.status).toBe(0);
		expect(first.stdout).toContain(`Spec:     ${previousVersion} (`);
		expect(first.stdout).toContain(`${size.operations} operations`);
		expect(first.stdout).toContain('No earlier spec to compare with');
		expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(previous, 'utf8'));
		expect(fs.existsSync(kept)).toBe(false);

		const second = await syncSpec({ from: current, out });
		expect(second).toMatchObject({ unchanged: false, previous: kept, previousVersion });
		const report = formatSync(second);
		expect(report).toContain(`Spec:     ${currentVersion} (`);
		expect(report).toContain(`Previous: ${kept}, was ${previousVersion}`);
		expect(report).toContain(`Summary: 0 breaking, 0 changes, 1 addition from ${previousVersion} to ${currentVersion}; 1 node operation touched`);
		expect(report).toContain(`Full report: npm run spec:diff ${kept} ${out}`);
		expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(current, 'utf8'));
		expect(fs.readFileSync(kept, 'utf8')).toBe(fs.readFileSync(previous, 'utf8'));

		// the same document again: nothing written, the previous one kept as it was
		const again = await syncSpec({ from: current, out });
		expect(again.unchanged).toBe(true);
		expect(formatSync(again)).toContain('Unchanged');
		expect(fs.readFileSync(kept, 'utf8')).toBe(fs.readFileSync(previous, 'utf8'));

		// not a spec: refused with a clear message, nothing touched
		const refused = runScript('sync-openapi.cts', ['--from', path.join(ROOT, 'package.json'), '--out', out]);
		expect(refused.status).toBe(1);
		expect(refused.stdout).toBe('');
		expect(refused.stderr).toContain('package.json is not an OpenAPI document: it has no "openapi"');
		expect(refused.stderr).toContain('nothing was written');
		const html = path.join(tmp, 'login.json');
		fs.writeFileSync(html, '<!doctype html><title>Sign in</title>');
		await expect(syncSpec({ from: html, out })).rejects.toThrow('is not an OpenAPI document: it is not valid JSON (it looks like HTML');
		await expect(syncSpec({ from: path.join(tmp, 'missing.json'), out })).rejects.toThrow('missing.json: no such file');
		expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(current, 'utf8'));
		expect(fs.readFileSync(kept, 'utf8')).toBe(fs.readFileSync(previous, 'utf8'));
		expect(fs.readdirSync(path.dirname(out)).sort()).toEqual(['datto-rmm-openapi.json', 'datto-rmm-openapi.previous.json']);
	});
}

describe('our small spec', () => {
	specTests('small', SMALL_2, SMALL_SPEC_SIZE);
	versionPairTests('small', SMALL_1, SMALL_2, SMALL_SPEC_SIZE);
});

describeWithSpecs('current', "Datto's current spec", () => {
	specTests('datto', CURRENT, DATTO_SIZE);

		test('the schema a node operation reaches includes refs with spaces in their names', () => {
			const usage = schemaUsage(readSpec(CURRENT).doc);
			expect([...(usage.get('Device Network Interface')?.response ?? [])]).toEqual(['GET /v2/site/{}/devices/network-interface']);
			expect([...(usage.get('Account Descriptor')?.response ?? [])].length).toBeGreaterThan(0);
		});

		test('every spec operation the node calls is found in the current spec (the diff can name them)', () => {
			const ids = new Set(diffSpecs(readSpec(CURRENT), readSpec(CURRENT)).changes.map((c) => c.operationId));
			expect(ids.size).toBe(0);
			const usage = schemaUsage(readSpec(CURRENT).doc);
			expect(usage.size).toBeGreaterThan(50);
			const called = new Set(OPERATIONS.flatMap((op) => [...op.operationIds, ...(op.variants ?? []).map((v) => v.operationId)]));
			const inSpec = new Set<string>();
			for (const item of Object.values<Json>(readJson(CURRENT).paths)) for (const op of Object.values<Json>(item)) inSpec.add(op.operationId);
			expect([...called].filter((id) => !inSpec.has(id))).toEqual([]);
		});
});

describeWithSpecs('history', "Datto's spec history", () => {
	const versions = HISTORY.map((f) => readSpec(f).version);

		test('1.15.1 → 1.22.1: NetworkMonitorContext and the two Device fields added, page fields no longer required; nothing breaks', () => {
			const diff = diffFiles(V1_15_1, V1_22_1);
			expect(diff.old.openapi).toBe('3.0.1');
			expect(diff.new.openapi).toBe('3.1.0');
			expect(diff.breaking).toBe(false);
			expect(diff.counts).toEqual({ breaking: 0, change: 13, addition: 3 });

			const added = only(diff, (c) => c.code === 'schema-added');
			expect(added.schema).toBe('NetworkMonitorContext');
			expect(added.message).toContain('extends AlertContext');
			// reached through Alert.alertContext's oneOf
			expect(added.nodeOperations).toEqual(nodeOpsCalling('getAlert', 'getUserAccountOpenAlerts'));
			const variant = only(diff, (c) => c.code === 'variants-added');
			expect(variant).toMatchObject({ schema: 'Alert', at: 'Alert.alertContext', names: ['NetworkMonitorContext'] });

			const device = only(diff, (c) => c.code === 'properties-added');
			expect(device).toMatchObject({ severity: 'addition', schema: 'Device', names: ['networkProbe', 'onboardedViaNetworkMonitor'] });
			// every node operation that returns devices, and only those
			const returningDevices = nodeOpsCalling('getUserAccountDevices', 'getSiteDevices', 'getByUid', 'getById', 'getByMacAddress');
			expect(device.nodeOperations).toEqual(returningDevices);
			expect(device.nodeOperations).toEqual(
				expect.arrayContaining(['Device › Get Many', 'Device › Get', 'Device › Get by ID', 'Device › Get by MAC Address', 'Device › Find by Hostname']),
			);
			expect(device.specOperations).toEqual(['getById', 'getByMacAddress', 'getByUid', 'getSiteDevices', 'getUserAccountDevices']);

			// Also in the real files: a new device class, and the page schemas lost their `required`
			const deviceClass = only(diff, (c) => c.code === 'enum-values-added');
			expect(deviceClass).toMatchObject({ severity: 'change', at: 'Device.deviceClass', names: ['rmmnetworkdevice'] });
			const optional = diff.changes.filter((c) => c.code === 'properties-optional');
			expect(optional.map((c) => c.schema).sort()).toEqual([
				'ActivityLogsPage',
				'AlertsPage',
				'ComponentsPage',
				'DevicesNetworkInterfacePage',
				'DevicesPage',
				'DnetSiteMappingsPage',
				'FiltersPage',
				'JobComponentsPage',
				'SitesPage',
				'SoftwarePage',
				'UsersPage',
				'VariablesPage',
			]);
			expect(optional.every((c) => c.severity === 'change' && c.names?.includes('pageDetails'))).toBe(true);
			// 13 changes: those 12 and the device class
			expect(diff.changes.filter((c) => c.severity === 'change')).toHaveLength(13);
			// DevicesPage is what the device lists return
			expect(optional.find((c) => c.schema === 'DevicesPage')?.nodeOperations).toEqual(['Device › Get Many', 'Device › Find by Hostname']);
			// 1.22.1 is OpenAPI 3.1 and drops `type: object` beside allOf in every *Context: not a change
			expect(diff.changes.filter((c) => c.schema?.endsWith('Context') && c.schema !== 'NetworkMonitorContext')).toEqual([]);
		});

		test('1.22.1 → 1.24.0: write-rate fields in RateStatusResponse and the new OperationRateStatus', () => {
			const diff = diffFiles(V1_22_1, V1_24_0);
			expect(diff.breaking).toBe(false);
			expect(diff.counts).toEqual({ breaking: 0, change: 0, addition: 2 });
			const rate = only(diff, (c) => c.schema === 'RateStatusResponse');
			expect(rate.names).toEqual(['accountWriteRateLimit', 'accountWriteCount', 'operationWriteStatus']);
			expect(rate.message).toContain('operationWriteStatus (map<OperationRateStatus>)');
			expect(only(diff, (c) => c.code === 'schema-added').schema).toBe('OperationRateStatus');
			expect(diff.nodeOperations).toEqual(nodeOpsCalling('get'));
			expect(diff.nodeOperations).toEqual(['System › Get Request Rate']);
			// UDFs were still udf1..udf30 in both
			expect(diff.changes.some((c) => c.schema === 'Udf')).toBe(false);
		});

		test('1.24.0 → build 118: UDFs grow from udf1..udf30 to udf1..udf300, and nothing else', () => {
			const udfs = (file: string) => Object.keys(normalizeSchema(readJson(file).components.schemas.Udf).properties);
			expect(compressNames(udfs(V1_22_1))).toBe('udf1..udf30');
			expect(compressNames(udfs(V1_24_0))).toBe('udf1..udf30');
			expect(compressNames(udfs(BUILD_118))).toBe('udf1..udf300');
			expect(compressNames(udfs(CURRENT))).toBe('udf1..udf300');

			const diff = diffFiles(V1_24_0, BUILD_118);
			expect(diff.breaking).toBe(false);
			expect(diff.changes).toHaveLength(1);
			const udf = diff.changes[0];
			expect(udf).toMatchObject({ severity: 'addition', code: 'properties-added', schema: 'Udf' });
			expect(udf.names).toHaveLength(270);
			expect(udf.message).toBe('Udf: 270 fields added: udf31..udf300');
			// the device getters return it, and Set UDFs sends it
			expect(udf.nodeOperations).toEqual(nodeOpsCalling('getUserAccountDevices', 'getSiteDevices', 'getByUid', 'getById', 'getByMacAddress', 'setUdfFields'));
			expect(udf.nodeOperations).toContain('Device › Set UDFs');
		});

		test.each(HISTORY.slice(1).map((file, i) => [path.basename(HISTORY[i]), path.basename(file), HISTORY[i], file, i] as const))(
			'%s → %s runs, prints both versions and breaks nothing',
			(_a, _b, oldFile, newFile, i) => {
				const result = runCli([oldFile, newFile]);
				expect(result.stderr).toBe('');
				expect(result.code).toBe(0);
				expect(result.stdout).toContain(`old: ${versions[i]}`);
				expect(result.stdout).toContain(`new: ${versions[i + 1]}`);
				expect(result.stdout).toMatch(/^BREAKING \(0\)\n {2}none$/m);
				expect(result.stdout).toMatch(/^Summary: 0 breaking, /m);
				const json = JSON.parse(runCli([oldFile, newFile, '--json']).stdout) as SpecDiff;
				expect(json.old.version).toBe(versions[i]);
				expect(json.new.version).toBe(versions[i + 1]);
				expect(json.breaking).toBe(false);
			},
		);

		test('1.15.1 → current in one step adds up the history', () => {
			const diff = diffFiles(V1_15_1, CURRENT);
			expect(diff.breaking).toBe(false);
			const added = (schema: string) => diff.changes.find((c) => c.schema === schema && c.code === 'properties-added')?.names ?? [];
			expect(added('Device')).toEqual(['networkProbe', 'onboardedViaNetworkMonitor']);
			expect(added('Udf')).toHaveLength(270);
			expect(added('RateStatusResponse')).toEqual(['accountWriteRateLimit', 'accountWriteCount', 'operationWriteStatus']);
			expect(diff.changes.filter((c) => c.code === 'schema-added').map((c) => c.schema)).toEqual(['NetworkMonitorContext', 'OperationRateStatus']);
			expect(diff.changes.filter((c) => c.area === 'parameter').map((c) => c.message)).toEqual(['query parameter searchQuery: added (optional, string)']);
		});

	versionPairTests('datto', BUILD_118, CURRENT, DATTO_SIZE);
});

describe('usage', () => {
	test('usage and read errors exit 2 with a message', () => {
		expect(runCli([SMALL_2])).toMatchObject({ code: 2, stdout: '' });
		expect(runCli([SMALL_2])).toMatchObject({ stderr: expect.stringContaining('expected two spec files') });
		expect(runCli([SMALL_2, SMALL_2, '--yaml']).stderr).toContain('unknown option --yaml');
		const missing = runCli([SMALL_2, path.join(tmp, 'nope.json')]);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain('nope.json: no such file');
		const notSpec = runCli([path.join(ROOT, 'package.json'), SMALL_2]);
		expect(notSpec.code).toBe(2);
		expect(notSpec.stderr).toContain('package.json is not an OpenAPI document');
	});

	test('validateSpec wants openapi, paths and info.version', () => {
		expect(() => validateSpec({ openapi: '3.1.0', paths: {} }, 'x')).toThrow('x is not an OpenAPI document: it has no "info.version"');
		expect(() => validateSpec({ swagger: '2.0', paths: {}, info: { version: '1' } }, 'x')).toThrow('Swagger 2.0');
		expect(validateSpec({ openapi: '3.0.1', paths: {}, info: { version: '1' } }, 'x').version).toBe('1');
	});

	test('usage errors', async () => {
		expect(() => parseArgs(['--from'])).toThrow('--from needs a value');
		expect(() => parseArgs(['--frm', 'x'])).toThrow('unknown argument --frm');
		expect(parseArgs(['--from=a.json', '--out', 'b.json'])).toEqual({ from: 'a.json', out: 'b.json' });
		const out = path.join(tmp, 'usage.json');
		await expect(syncSpec({ platform: 'shiraz', out })).rejects.toMatchObject({
			usage: true,
			message: expect.stringContaining('unknown platform "shiraz": choose one of pinotage, merlot, concord, vidal, zinfandel, syrah'),
		});
		await expect(syncSpec({ from: SMALL_2, url: 'http://localhost/', out })).rejects.toMatchObject({ usage: true });
		await expect(syncSpec({ from: out, out })).rejects.toThrow('is the file being synced');
		expect(fs.existsSync(out)).toBe(false);
	});
});
