/**
 * The Datto RMM node as an AI tool, and its Simplify output, in n8n-core's engine against the
 * simulator: Datto RMM tool nodes are connected to a test node that plays the agent (harness/
 * ai-tool.cts); n8n-core builds each tool (createNodeAsTool: the name from the node's name, the
 * description, the $fromAI arguments) and runs the node in its tool context when the agent calls
 * it. The MCP path in real n8n is test/e2e/mcp.test.cts.
 *
 * Runs against n8n 2.41 and the oldest n8n 1.x (jest.config.js). n8n 1.x (1.85.3 ships
 * n8n-workflow 1.83) has no "@tool" display condition, so there the tool keeps the editor's
 * parameters: the node's general description, Return All and Limit 50 (Simplify, being of the
 * node's version 2, is on in both). Both are checked.
 *
 * Simplify comes with version 2 of the node (on by default, n8n's convention); version 1, what
 * workflows made before it hold, has no Simplify and keeps Datto's full object.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INode, INodeParameters, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { DattoRmm } from '../nodes/DattoRmm/DattoRmm.node';
import { OPERATIONS } from '../nodes/DattoRmm/operations';
import { TOOL_LIST_LIMIT } from '../nodes/DattoRmm/operations/fields';
import { simplifyAlert, simplifyDevice, simplifyJob, simplifySite } from '../nodes/DattoRmm/simplify';
import { toolDescriptionText } from '../nodes/DattoRmm/tool';
import type { DeviceRec } from './simulator/index.cjs';
import { N8N_CORE_VERSION } from './harness/compat.cjs';
import { addToolTypes, asToolNodeType, runTools, type ToolAnswer } from './harness/ai-tool.cjs';
import { startSimulatedAccount, type SimulatedAccount } from './harness/index.cjs';

/** n8n 2.x understands the "@tool" display condition; n8n 1.x does not (see the header). */
const TOOL_VARIANT = !N8N_CORE_VERSION.startsWith('1.');

const editorType = new DattoRmm();
const toolType = asToolNodeType(editorType);

let account: SimulatedAccount;

beforeAll(async () => {
	account = await startSimulatedAccount({
		simulator: { seed: 14, size: { sites: 14, devices: 80 }, rateLimit: { enabled: false } },
	});
	addToolTypes(account.harness);
});
afterAll(async () => {
	await account.close();
});

/** The parameters n8n resolves for a node of this type (defaults included), as the engine does before running it. */
function resolved(description: INodeTypeDescription, parameters: INodeParameters, typeVersion = 2): INodeParameters {
	const node: INode = { id: '1', name: 'Datto RMM', type: `n8n-nodes-datto-rmm.${description.name}`, typeVersion, position: [0, 0], parameters };
	const getNodeParameters = NodeHelpers.getNodeParameters as unknown as (...args: unknown[]) => INodeParameters | null;
	return getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
}

function result(answer: ToolAnswer): IDataObject[] {
	if (answer.error !== undefined) throw new Error(`${answer.tool} failed: ${answer.error}`);
	return answer.result as IDataObject[];
}

const fromAi = (key: string, description: string, type = 'string', fallback?: unknown) =>
	`={{ $fromAI('${key}', \`${description}\`, '${type}'${fallback === undefined ? '' : `, ${JSON.stringify(fallback)}`}) }}`;

describe('what each operation is as a tool', () => {
	test.each(OPERATIONS.map((op) => [`${op.resource} > ${op.name}`, op] as const))('%s', (_label, op) => {
		const asTool = resolved(toolType.description, { resource: op.resource, operation: op.value });
		const inEditor = resolved(editorType.description, { resource: op.resource, operation: op.value });
		const version1 = resolved(editorType.description, { resource: op.resource, operation: op.value }, 1);
		// The editor's node keeps n8n's usual parameters: Return All, Limit 50, no tool description;
		// Simplify on from version 2, absent in version 1 (full objects for existing workflows).
		expect(inEditor.toolDescription).toBeUndefined();
		if (op.list) expect([inEditor.returnAll, inEditor.limit, inEditor.maxResults]).toEqual([false, 50, undefined]);
		expect(inEditor.simple).toBe(op.simplify ? true : undefined);
		expect(version1.simple).toBeUndefined();
		if (!TOOL_VARIANT) {
			expect([asTool.toolDescription, asTool.limit, asTool.maxResults]).toEqual([undefined, op.list ? 50 : undefined, undefined]);
			return;
		}
		const text = toolDescriptionText(op);
		expect(asTool.toolDescription).toBe(text);
		expect(text).toContain(op.description.replace(/\.$/, ''));
		// Whether it changes anything comes first, where an agent reads it.
		expect(text.startsWith(op.method === 'GET' ? 'Read-only: ' : 'Changes data in Datto RMM: ')).toBe(true);
		if (op.list) {
			// As a tool: Max Results (small) instead of Return All and Limit.
			expect([asTool.returnAll, asTool.limit, asTool.maxResults]).toEqual([undefined, undefined, TOOL_LIST_LIMIT]);
			expect(text).toContain(`at most ${TOOL_LIST_LIMIT} results`);
			expect(text).toContain('pass a higher limit');
		}
		if (op.simplify) expect(asTool.simple).toBe(true);
	});

	test('operations that change data are exactly the non-GET ones, and each says so', () => {
		const writes = OPERATIONS.filter((op) => op.method !== 'GET').map((op) => `${op.resource}.${op.value}`);
		expect(writes.sort()).toEqual(
			[
				'alert.resolve',
				'device.move',
				'device.setUdfs',
				'device.setWarranty',
				'job.runQuickJob',
				'job.runQuickJobAndWait',
				'site.create',
				'site.deleteProxy',
				'site.update',
				'site.updateProxy',
				'user.resetApiKeys',
				'variable.create',
				'variable.delete',
				'variable.update',
			].sort(),
		);
		for (const op of OPERATIONS.filter((o) => o.method !== 'GET')) expect(toolDescriptionText(op)).toMatch(/^Changes data in Datto RMM: .*Use it only when the user asked for exactly this change\.$/);
	});

	test("the README's table keeps every operation that changes data behind a human (or never exposes it)", () => {
		const readme = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');
		const row = (label: string) => readme.split('\n').find((line) => line.startsWith(`| ${label} |`)) ?? '';
		const guarded = `${row('keep behind a human')} ${row('never')}`;
		const safe = row('safe to expose (read-only)');
		expect(safe).not.toBe('');
		for (const op of OPERATIONS.filter((o) => o.method !== 'GET')) expect({ op: op.name, guarded: guarded.includes(op.name) }).toEqual({ op: op.name, guarded: true });
		for (const name of ['Run Quick Job', 'Move to Site', 'Set UDFs', 'Resolve', 'Reset API Keys', 'Create', 'Update', 'Delete']) expect(safe).not.toContain(name);
	});
});

describe('an agent lists and calls Datto RMM tools through n8n-core', () => {
	const tools = {
		'Find devices': {
			resource: 'device',
			operation: 'getMany',
			filters: { hostname: fromAi('hostname', 'Text the hostname contains, e.g. DT; empty for every device', 'string', '') },
			maxResults: fromAi('limit', 'How many devices at most', 'number', TOOL_LIST_LIMIT),
		},
		'Open alerts': { resource: 'alert', operation: 'getMany' },
		'List sites': { resource: 'site', operation: 'getMany', filters: { siteName: fromAi('siteName', 'Text the site name contains; empty for every site', 'string', '') } },
		'Get device': { resource: 'device', operation: 'get', deviceUid: { __rl: true, mode: 'uid', value: fromAi('deviceUid', 'UID of the device (36 characters)') } },
	};

	function liveDevices(hostnamePart: string): DeviceRec[] {
		return account.sim.state.devices.filter((d) => !d.deleted && d.hostname.toLowerCase().includes(hostnamePart.toLowerCase()));
	}

	test('the tools, their descriptions and arguments', async () => {
		const run = await runTools(account.harness, account.credential, tools, []);
		const byName = Object.fromEntries(run.tools.map((t) => [t.name, t]));
		expect(Object.keys(byName).sort()).toEqual(['Find_devices', 'Get_device', 'List_sites', 'Open_alerts']);
		const op = (resource: string, value: string) => OPERATIONS.find((o) => o.resource === resource && o.value === value)!;
		const expected = TOOL_VARIANT
			? { Find_devices: toolDescriptionText(op('device', 'getMany')), Open_alerts: toolDescriptionText(op('alert', 'getMany')), Get_device: toolDescriptionText(op('device', 'get')) }
			: { Find_devices: editorType.description.description, Open_alerts: editorType.description.description, Get_device: editorType.description.description };
		for (const [name, text] of Object.entries(expected)) expect(byName[name].description).toBe(text);
		// The arguments are the $fromAI calls of each tool's parameters, with their descriptions and defaults.
		// n8n 1.x reads an empty $fromAI default as none, so there the argument is required.
		const emptyDefault = TOOL_VARIANT ? { optional: true, default: '' } : { optional: false };
		// Max Results is a tool-only parameter: n8n 1.x does not show it, so its $fromAI is not offered there.
		expect(byName.Find_devices.args).toEqual({
			hostname: { type: 'string', description: 'Text the hostname contains, e.g. DT; empty for every device', ...emptyDefault },
			...(TOOL_VARIANT ? { limit: { type: 'number', description: 'How many devices at most', optional: true, default: TOOL_LIST_LIMIT } } : {}),
		});
		expect(byName.Get_device.args).toEqual({ deviceUid: { type: 'string', description: 'UID of the device (36 characters)', optional: false } });
		expect(byName.Open_alerts.args).toEqual({});
	});

	test('calls answer with what the simulator holds: filtered, limited, simplified', async () => {
		const { sim } = account;
		const part = 'dt';
		const matching = liveDevices(part);
		expect(matching.length).toBeGreaterThan(TOOL_LIST_LIMIT);
		const open = sim.state.alerts.filter((a) => !a.resolved);
		expect(open.length).toBeGreaterThan(TOOL_LIST_LIMIT);
		const device = matching[3];
		const run = await runTools(account.harness, account.credential, tools, [
			{ tool: 'Find_devices', args: { hostname: part } },
			{ tool: 'Find_devices', args: { hostname: part, limit: 25 } },
			{ tool: 'Open_alerts', args: {} },
			{ tool: 'List_sites', args: { siteName: '' } },
			{ tool: 'Get_device', args: { deviceUid: device.uid } },
		]);
		const [found, more, alerts, sites, one] = run.answers.map(result);
		const listLimit = TOOL_VARIANT ? TOOL_LIST_LIMIT : 50;

		expect(found.map((d) => d.uid)).toEqual(matching.slice(0, listLimit).map((d) => d.uid));
		expect(more.map((d) => d.uid)).toEqual(matching.slice(0, TOOL_VARIANT ? 25 : listLimit).map((d) => d.uid));
		expect(alerts.map((a) => a.alertUid)).toEqual(open.slice(0, listLimit).map((a) => a.alertUid));
		expect(sites.map((s) => s.uid)).toEqual(sim.state.sites.slice(0, listLimit).map((s) => s.uid));
		expect(one.map((d) => d.uid)).toEqual([device.uid]);

		// Simplified (version 2 of the node, in n8n 1.x too), with the values the simulator holds.
		const site = sim.state.site(device.siteUid)!;
		expect(one[0]).toEqual({
			uid: device.uid,
			hostname: device.hostname,
			siteName: site.name,
			siteUid: site.uid,
			deviceType: device.category,
			operatingSystem: device.operatingSystem,
			online: device.online,
			lastSeen: new Date(device.lastSeen).toISOString(),
			lastReboot: new Date(device.lastReboot).toISOString(),
			rebootRequired: device.rebootRequired,
			lastLoggedInUser: device.lastLoggedInUser,
			intIpAddress: device.intIpAddress,
			patchStatus: device.patchStatus,
			antivirusStatus: device.antivirusStatus,
			portalUrl: expect.stringContaining(device.uid),
		});
		const alert = open[0];
		const alertDevice = sim.state.deviceByUid.get(alert.deviceUid)!;
		expect(alerts[0]).toEqual(
			expect.objectContaining({
				alertUid: alert.alertUid,
				priority: alert.priority,
				message: expect.stringMatching(new RegExp(`^${alertDevice.hostname}: .+`)),
				deviceUid: alert.deviceUid,
				deviceName: alertDevice.hostname,
				siteName: sim.state.site(alertDevice.siteUid)!.name,
				raised: new Date(alert.timestamp).toISOString(),
				resolved: false,
			}),
		);
		expect(Object.keys(sites[0]).sort()).toEqual(['description', 'devices', 'id', 'name', 'offlineDevices', 'onDemand', 'onlineDevices', 'portalUrl', 'uid']);
		expect(sites[0]).toEqual(expect.objectContaining({ uid: sim.state.sites[0].uid, name: sim.state.sites[0].name }));
	});

	test("a call that fails gives the agent Datto's message and what to do, not a stack", async () => {
		const missing = '00000000-0000-4000-8000-000000000000';
		const run = await runTools(account.harness, account.credential, tools, [{ tool: 'Get_device', args: { deviceUid: missing } }]);
		const [answer] = run.answers;
		expect(answer.result).toBeUndefined();
		if (!TOOL_VARIANT) {
			// n8n 1.x answers the agent with only the description of its own wrapper error, which is empty.
			expect(answer.error).toBe('Error during node execution: undefined');
			return;
		}
		// Datto's own message with the HTTP status, then n8n's "Details:" with our hint.
		expect(answer.error).toContain(`(HTTP 404): Device with uid ${missing} was not found`);
		expect(answer.error).toContain(`Details: Check that the device "${missing}" exists`);
		expect(answer.error).not.toContain(account.sim.apiSecret);
	});
});

describe('Simplify', () => {
	/** Version 1 (Datto's full object) and version 2 (Simplify on by default), same parameters. */
	async function both(parameters: INodeParameters) {
		const { harness, credential } = account;
		const full = await harness.runDattoNode({ parameters, credential, nodeOptions: { typeVersion: 1 } });
		const simple = await harness.runDattoNode({ parameters, credential, nodeOptions: { typeVersion: 2 } });
		expect(full.error).toBeUndefined();
		expect(simple.error).toBeUndefined();
		return { full: full.items, simple: simple.items };
	}

	test("existing workflows (version 1) keep Datto's full object; in version 2 Simplify can be turned off", async () => {
		const { harness, credential } = account;
		const parameters = { resource: 'device', operation: 'getMany', limit: 2 };
		const version1 = await harness.runDattoNode({ parameters, credential, nodeOptions: { typeVersion: 1 } });
		const off = await harness.runDattoNode({ parameters: { ...parameters, simple: false }, credential, nodeOptions: { typeVersion: 2 } });
		for (const { items } of [version1, off]) {
			expect(items[0].json).toHaveProperty('udf');
			expect(items[0].json).toHaveProperty('deviceType.category');
		}
	});

	test.each([
		['devices', { resource: 'device', operation: 'getMany', returnAll: true }, simplifyDevice],
		['alerts', { resource: 'alert', operation: 'getMany', returnAll: true }, simplifyAlert],
		['sites', { resource: 'site', operation: 'getMany', returnAll: true }, simplifySite],
	] as const)('%s: the same items, each the simplified form of the full one, paired to its input', async (_label, parameters, simplify) => {
		const { full, simple } = await both(parameters);
		expect(simple).toHaveLength(full.length);
		expect(simple.map((i) => i.json)).toEqual(full.map((i) => simplify(i.json)));
		for (const item of simple) expect(item.pairedItem).toEqual({ item: 0 });
		// Every simplified item has the same keys (null where Datto sent nothing): a stable shape.
		const keys = new Set(simple.map((i) => Object.keys(i.json).join(',')));
		expect(keys.size).toBe(1);
	});

	test('a simplified device is a small fraction of the full one (npm run simplify:size prints the figures)', async () => {
		const { full, simple } = await both({ resource: 'device', operation: 'getMany', returnAll: true });
		const bytes = (items: Array<{ json: IDataObject }>) => items.reduce((n, i) => n + JSON.stringify(i.json).length, 0) / items.length;
		expect(bytes(simple) * 5).toBeLessThan(bytes(full));
	});

	test('a job: Run Quick Job and Wait simplified keeps what an agent needs to report the outcome', () => {
		const job = simplifyJob({
			uid: 'j-1',
			name: 'Disk cleanup',
			status: 'completed',
			dateCreated: 1796000000000,
			deviceUid: 'd-1',
			timedOut: false,
			jobDeploymentStatus: 'Success',
			results: { jobUid: 'j-1', deviceUid: 'd-1', ranOn: '2026-12-01T10:00:00Z', jobDeploymentStatus: 'Success', componentResults: [{ componentName: 'Disk cleanup', componentStatus: 'Success', numberOfWarnings: 0 }] },
			stdout: 'Freed 2.1 GB',
			stderr: '',
		});
		expect(job).toEqual({
			uid: 'j-1',
			name: 'Disk cleanup',
			status: 'completed',
			created: new Date(1796000000000).toISOString(),
			deviceUid: 'd-1',
			deploymentStatus: 'Success',
			ranOn: '2026-12-01T10:00:00.000Z',
			timedOut: false,
			components: [{ name: 'Disk cleanup', status: 'Success', warnings: 0 }],
			stdout: 'Freed 2.1 GB',
			stderr: '',
		});
		// Run Quick Job's answer ({ job, jobComponents }): the job, its components by name.
		expect(simplifyJob({ job: { uid: 'j-2', name: 'n8n quick job', status: 'active', dateCreated: '2026-12-01T09:00:00Z' }, jobComponents: [{ name: 'Disk cleanup' }], deviceUid: 'd-1' })).toEqual(
			expect.objectContaining({ uid: 'j-2', status: 'active', created: '2026-12-01T09:00:00.000Z', deviceUid: 'd-1', components: [{ name: 'Disk cleanup', status: null, warnings: null }], stdout: null }),
		);
	});

	test('a job through the engine: Run Quick Job simplified', async () => {
		const { sim, harness, credential } = account;
		const device = sim.state.devices.find((d) => d.deviceClass === 'device' && !d.deleted)!;
		const component = sim.state.components.find((c) => c.variables.length === 0)!;
		const { items, error } = await harness.runDattoNode({
			parameters: { resource: 'job', operation: 'runQuickJob', deviceUid: { __rl: true, mode: 'uid', value: device.uid }, componentUid: { __rl: true, mode: 'uid', value: component.uid }, jobName: 'n8n test' },
			credential,
			nodeOptions: { typeVersion: 2 },
		});
		expect(error).toBeUndefined();
		const job = sim.state.jobs[sim.state.jobs.length - 1];
		expect(items.map((i) => i.json)).toEqual([
			expect.objectContaining({ uid: job.uid, name: 'n8n test', deviceUid: device.uid, components: [{ name: component.name, status: null, warnings: null }] }),
		]);
	});
});
