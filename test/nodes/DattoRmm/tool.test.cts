/**
 * The Datto RMM node as an AI tool, in n8n-core's engine against the simulator: Datto RMM tool
 * nodes are connected to a test node that plays the agent (harness/ai-tool.cts); n8n-core builds
 * each tool (createNodeAsTool: the name from the node's name, the description from the
 * toolDescription expression, the $fromAI arguments) and runs the node in its tool context when
 * the agent calls it. The MCP path in real n8n is test/e2e/mcp.test.cts.
 *
 * Issue 20's rules: answers bounded (a last `moreResults` item when more exist), inputs checked
 * before anything is sent, descriptions true to the tool as configured and to its answers, short
 * errors without class names, writes saying what changed.
 *
 * Runs against n8n 2.41 and the oldest n8n 1.x (jest.config.js). n8n 1.x has no "@tool" display
 * condition, so there the tool keeps the editor's parameters (the node's general description,
 * Return All and Limit 50) and answers a failure as text: the tests of what 2.x shows only run
 * there; answers are bounded in both. Writes as tools: operations/tool-writes.test.cts; Simplify:
 * simplify.test.cts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { INode, INodeParameters, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { DattoRmm } from '../../../nodes/DattoRmm/DattoRmm.node';
import { OPERATIONS } from '../../../nodes/DattoRmm/operations';
import { returnsSeveral, TOOL_LIST_LIMIT, TOOL_MAX_RESULTS } from '../../../nodes/DattoRmm/operations/limits';
import { toolDescriptionExpression, toolPlan } from '../../../nodes/DattoRmm/tool';
import { MAX_ANSWER_CHARS } from '../../../nodes/DattoRmm/tool-answer';
import { TOOL_NOTES } from '../../../nodes/DattoRmm/tool-notes';
import { N8N_CORE_VERSION } from '../../harness/compat.cjs';
import { addToolTypes, answerItems, apiRequests, asToolNodeType, fromAi, promisedFields, runTools, splitAnswer } from '../../harness/ai-tool.cjs';
import { startSimulatedAccount, type SimulatedAccount } from '../../harness/index.cjs';

/** n8n 2.x understands the "@tool" display condition; n8n 1.x does not (see the header). */
const TOOL_VARIANT = !N8N_CORE_VERSION.startsWith('1.');
const NO_TOOL_VARIANT = "n8n 1.x has no '@tool' display condition: its tools take the editor's parameters";
/** Tests of the tool's own parameters: skipped on n8n 1.x, saying why (test/skipped-reporter.cjs). */
const describeTool = TOOL_VARIANT ? describe : (name: string, fn: () => void) => describe.skip(`${name} [SKIPPED: ${NO_TOOL_VARIANT}]`, fn);

const editorType = new DattoRmm();
const toolType = asToolNodeType(editorType);

/** What no tool description may say: the editor, parameters by their editor names, actions the model cannot take. */
const EDITOR_WORDING = /pick it|from the list|in the editor|Get Many|run the workflow|Match set to|Return All|\bLimit\b|Options >|Filter >|Component >|Variable >|Details:/;

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

const items = answerItems;
const apiRequestsSince = (from: number) => apiRequests(account.sim, from);

const findDevices = {
	resource: 'device',
	operation: 'getMany',
	filters: {
		hostname: fromAi('hostname', 'Text the hostname contains, e.g. DT; empty for every device', 'string', ''),
		siteName: fromAi('siteName', 'Text the site name contains; empty for every site', 'string', ''),
	},
	maxResults: fromAi('limit', 'How many devices at most', 'number', TOOL_LIST_LIMIT),
};
const getDevice = { resource: 'device', operation: 'get', deviceUid: { __rl: true, mode: 'uid', value: fromAi('deviceUid', 'UID of the device') } };

describe('what each operation is as a tool', () => {
	test.each(OPERATIONS.map((op) => [`${op.resource} > ${op.name}`, op] as const))('%s', (_label, op) => {
		const asTool = resolved(toolType.description, { resource: op.resource, operation: op.value });
		const inEditor = resolved(editorType.description, { resource: op.resource, operation: op.value });
		const version1 = resolved(editorType.description, { resource: op.resource, operation: op.value }, 1);
		// The editor's node keeps n8n's usual parameters: Return All, Limit 50, no tool description;
		// Simplify on from version 2, absent in version 1 (full objects for existing workflows).
		expect(inEditor.toolDescription).toBeUndefined();
		expect(inEditor.maxResults).toBeUndefined();
		if (op.list) expect([inEditor.returnAll, inEditor.limit]).toEqual([false, 50]);
		expect(inEditor.simple).toBe(op.simplify ? true : undefined);
		expect(version1.simple).toBeUndefined();
		if (!TOOL_VARIANT) {
			expect([asTool.toolDescription, asTool.limit, asTool.maxResults]).toEqual([undefined, op.list ? 50 : undefined, undefined]);
			return;
		}
		// As a tool: the description is an expression n8n evaluates against the tool's parameters.
		expect(asTool.toolDescription).toBe(toolDescriptionExpression(op));
		// Max Results (small) instead of Return All and Limit, for every answer of several items.
		expect([asTool.returnAll, asTool.limit, asTool.maxResults]).toEqual([undefined, undefined, returnsSeveral(op) ? TOOL_LIST_LIMIT : undefined]);
		if (op.simplify) expect(asTool.simple).toBe(true);
	});

	test('the plans behind the descriptions say nothing about the editor, and hold no braces', () => {
		for (const op of OPERATIONS) {
			const plan = toolPlan(op);
			const texts = JSON.stringify([plan.head, plan.inputs, plan.answer, plan.tail]);
			expect({ op: `${op.resource}.${op.value}`, editor: EDITOR_WORDING.exec(texts)?.[0] }).toEqual({ op: `${op.resource}.${op.value}`, editor: undefined });
			// "{{" or "}}" in a text would end n8n's expression early.
			const strings = JSON.stringify(plan, (_key, value: unknown) => (typeof value === 'string' ? value.replace(/"/g, '') : value)).match(/"[^"]*"/g) ?? [];
			expect(strings.filter((text) => /[{}]/.test(text))).toEqual([]);
		}
		for (const key of Object.keys(TOOL_NOTES)) expect(OPERATIONS.some((op) => `${op.resource}.${op.value}` === key)).toBe(true);
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
		for (const op of OPERATIONS) {
			const plan = toolPlan(op);
			expect(plan.head.startsWith(op.method === 'GET' ? 'Read-only: ' : 'Changes data in Datto RMM: ')).toBe(true);
			expect(plan.tail.includes('Use it only when the user asked for exactly this change.')).toBe(op.method !== 'GET');
		}
	});

	test("docs/ai-tools.md's table keeps every operation that changes data behind a human (or never exposes it)", () => {
		const doc = fs.readFileSync(path.resolve(__dirname, '../../..', 'docs', 'ai-tools.md'), 'utf8');
		const row = (label: string) => doc.split('\n').find((line) => line.startsWith(`| ${label} |`)) ?? '';
		const guarded = `${row('keep behind a human')} ${row('never')}`;
		const safe = row('safe to expose (read-only)');
		expect(safe).not.toBe('');
		for (const op of OPERATIONS.filter((o) => o.method !== 'GET')) expect({ op: op.name, guarded: guarded.includes(op.name) }).toEqual({ op: op.name, guarded: true });
		for (const name of ['Run Quick Job', 'Move to Site', 'Set UDFs', 'Resolve', 'Reset API Keys', 'Create', 'Update', 'Delete']) expect(safe).not.toContain(name);
	});
});

describeTool('descriptions, as n8n-core builds them from each tool as configured', () => {
	test('every operation with nothing left to the model: its action, its fixed choices, no inputs, its bound, its fields', async () => {
		const tools = Object.fromEntries(OPERATIONS.map((op) => [`${op.resource} ${op.value}`, { resource: op.resource, operation: op.value }]));
		const run = await runTools(account.harness, account.credential, tools, []);
		expect(run.tools).toHaveLength(OPERATIONS.length);
		for (const tool of run.tools) {
			const op = OPERATIONS.find((o) => tool.name === `${o.resource}_${o.value}`)!;
			const text = tool.description;
			expect(text.startsWith(toolPlan(op).head)).toBe(true);
			expect(text).toContain('It takes no inputs.');
			expect(text).not.toMatch(EDITOR_WORDING);
			expect(text.includes(`Returns at most ${TOOL_LIST_LIMIT} results.`)).toBe(returnsSeveral(op));
			expect(text.includes('a last item with moreResults: true')).toBe(returnsSeveral(op));
			expect(promisedFields(text)).toEqual(op.simplify ? Object.keys(op.simplify({})) : undefined);
		}
	});

	test('inputs the model sets are described with what they take; what is fixed is told as what the tool does', async () => {
		const run = await runTools(
			account.harness,
			account.credential,
			{
				'Find devices': findDevices,
				'Site alerts': { resource: 'alert', operation: 'getMany', scope: 'site', siteUid: { __rl: true, mode: 'uid', value: fromAi('siteUid', 'UID of the site') } },
				'Hostname search': { resource: 'device', operation: 'findByHostname', hostname: fromAi('hostname', 'Part of the hostname'), match: 'partial', maxResults: 25, simple: false },
				'Get device': getDevice,
			},
			[],
		);
		const text = Object.fromEntries(run.tools.map((t) => [t.name, t.description]));
		expect(text.Find_devices).toContain('Scope: Devices of every site in the account.');
		expect(text.Find_devices).toContain(
			'Inputs: hostname (Only devices whose hostname contains this text, e.g. DESKTOP- or ACME (empty: any hostname)); siteName (Only devices of sites whose name contains this text, e.g. Acme (empty: every site)); ' +
				`limit (how many results: a whole number from 1 to ${TOOL_MAX_RESULTS}, ${TOOL_LIST_LIMIT} if left out).`,
		);
		expect(text.Find_devices).toContain(`Returns at most limit results, never more than ${TOOL_MAX_RESULTS}.`);
		// The filters the model cannot set are not mentioned.
		for (const fixed of ['Filter ID', 'filter', 'operating system', 'Device Type', "site's UID"]) expect(text.Find_devices).not.toContain(fixed);
		expect(text.Site_alerts).toContain('Scope: Alerts of the devices of one site.');
		expect(text.Site_alerts).toContain('Inputs: siteUid (The site whose alerts to list: its uid, a UUID such as');
		expect(text.Hostname_search).toContain('Match: The hostname contains the text.');
		expect(text.Hostname_search).toContain('Returns at most 25 results.');
		expect(text.Hostname_search).toContain("Each result is Datto's full object.");
		expect(text.Get_device).toContain('Inputs: deviceUid (The device: its uid, a UUID such as');
		for (const description of Object.values(text)) expect(description).not.toMatch(EDITOR_WORDING);
	});

	test('every field a description promises is in the real answer, and nothing else', async () => {
		const { sim } = account;
		const device = sim.state.devices.find((d) => !d.deleted)!;
		const tools = {
			'Find devices': findDevices,
			'Get device': getDevice,
			'Open alerts': { resource: 'alert', operation: 'getMany' },
			'List sites': { resource: 'site', operation: 'getMany' },
			'Find by hostname': { resource: 'device', operation: 'findByHostname', hostname: fromAi('hostname', 'The hostname') },
		};
		const run = await runTools(account.harness, account.credential, tools, [
			{ tool: 'Find_devices', args: {} },
			{ tool: 'Get_device', args: { deviceUid: device.uid } },
			{ tool: 'Open_alerts', args: {} },
			{ tool: 'List_sites', args: {} },
			{ tool: 'Find_by_hostname', args: { hostname: device.hostname } },
		]);
		for (const answer of run.answers) {
			const tool = run.tools.find((t) => t.name === answer.tool)!;
			const { results } = splitAnswer(items(answer));
			expect(results.length).toBeGreaterThan(0);
			for (const result of results) expect({ tool: tool.name, keys: Object.keys(result) }).toEqual({ tool: tool.name, keys: promisedFields(tool.description) });
		}
		// What the issue found missing: UDFs and device class of a device, diagnostics and time of an alert.
		const [found, one, alerts] = run.answers.map(items);
		expect(one[0]).toEqual(expect.objectContaining({ uid: device.uid, deviceClass: device.deviceClass, udfs: expect.objectContaining(device.udf) }));
		expect(found[0]).toHaveProperty('udfs');
		const open = sim.state.alerts.filter((a) => !a.resolved);
		expect(alerts[0]).toEqual(expect.objectContaining({ alertUid: open[0].alertUid, diagnostics: open[0].diagnostics, raised: new Date(open[0].timestamp).toISOString() }));
	});
});

describe('answers are bounded, and say when more exist', () => {
	const part = 'dt';
	const live = () => account.sim.state.devices.filter((d) => !d.deleted && d.hostname.toLowerCase().includes(part));

	test('a list reads one page of at most its limit (and one more), never every page', async () => {
		const matching = live();
		expect(matching.length).toBeGreaterThan(25);
		const from = account.sim.log.length;
		// n8n 1.x has no Max Results (so no limit input): its tool has Limit 50, still bounded.
		const limits = TOOL_VARIANT ? [undefined, 25, TOOL_MAX_RESULTS] : [undefined];
		const run = await runTools(
			account.harness,
			account.credential,
			{ 'Find devices': findDevices },
			// n8n 1.x reads an empty $fromAI default as none: there siteName must be given.
			limits.map((limit) => ({ tool: 'Find_devices', args: limit === undefined ? { hostname: part, siteName: '' } : { hostname: part, siteName: '', limit } })),
		);
		const answers = run.answers.map((a) => splitAnswer(items(a)));
		const lists = apiRequestsSince(from).filter((r) => r.path === '/api/v2/account/devices');
		if (!TOOL_VARIANT) {
			expect(answers).toEqual([{ results: matching.map((d) => expect.objectContaining({ uid: d.uid })) }]);
			expect(lists.map((r) => [r.query.page, r.query.max])).toEqual([['0', '51']]);
			return;
		}
		const [first, second, all] = answers;
		expect(first.results.map((d) => d.uid)).toEqual(matching.slice(0, TOOL_LIST_LIMIT).map((d) => d.uid));
		expect(first.more).toEqual({
			moreResults: true,
			returned: TOOL_LIST_LIMIT,
			total: matching.length,
			hint: `More results exist (${matching.length} in all, ${TOOL_LIST_LIMIT} returned). To see others, narrow the search with hostname or siteName, or ask for up to ${TOOL_MAX_RESULTS} with limit.`,
		});
		expect(second.results).toHaveLength(25);
		expect(second.more).toEqual(expect.objectContaining({ returned: 25, total: matching.length }));
		// All of them fit: no last item.
		expect(all.results.map((d) => d.uid)).toEqual(matching.map((d) => d.uid));
		expect(all.more).toBeUndefined();
		expect(lists.map((r) => [r.query.page, r.query.max])).toEqual([['0', '11'], ['0', '26'], ['0', '101']]);
	});

	test('Find by Hostname (no Limit in the editor) is bounded too, Partial and Exact', async () => {
		const matching = live();
		const device = matching[0];
		const run = await runTools(
			account.harness,
			account.credential,
			{
				'Hostname contains': { resource: 'device', operation: 'findByHostname', hostname: fromAi('hostname', 'Part of the hostname'), match: 'partial' },
				'Hostname is': { resource: 'device', operation: 'findByHostname', hostname: fromAi('hostname', 'Part of the hostname') },
			},
			[
				{ tool: 'Hostname_contains', args: { hostname: part.toUpperCase() } },
				{ tool: 'Hostname_is', args: { hostname: device.hostname.toLowerCase() } },
			],
		);
		const [partial, exact] = run.answers.map((a) => splitAnswer(items(a)));
		expect(partial.results.map((d) => d.uid)).toEqual(matching.slice(0, TOOL_LIST_LIMIT).map((d) => d.uid));
		expect(partial.more).toEqual(expect.objectContaining({ returned: TOOL_LIST_LIMIT, total: matching.length }));
		expect(exact).toEqual({ results: [expect.objectContaining({ uid: device.uid })] });
	});

	test('a bare-array answer (MAC lookup) is bounded too, and its length is the total', async () => {
		const [a, b, c] = account.sim.state.devices.filter((d) => !d.deleted).slice(20, 23);
		const mac = a.macs[0];
		b.macs.push(mac);
		c.macs.push(mac);
		const run = await runTools(account.harness, account.credential, { 'By MAC': { resource: 'device', operation: 'getByMacAddress', macAddress: fromAi('mac', 'MAC address'), maxResults: 2, returnAll: false, limit: 2 } }, [
			{ tool: 'By_MAC', args: { mac } },
		]);
		const { results, more } = splitAnswer(items(run.answers[0]));
		expect(results.map((d) => d.uid)).toEqual((TOOL_VARIANT ? [a, b] : [a, b, c]).map((d) => d.uid));
		if (TOOL_VARIANT) expect(more).toEqual(expect.objectContaining({ returned: 2, total: 3, hint: expect.stringContaining('narrow the search with mac') }));
	});

	test('the activity log (read with a cursor) is bounded too', async () => {
		const log = { resource: 'activityLog', operation: 'getMany', from: '2020-01-01T00:00:00Z', maxResults: 3, returnAll: false, limit: 3 };
		const from = account.sim.log.length;
		const run = await runTools(account.harness, account.credential, { 'Activity log': log }, [{ tool: 'Activity_log', args: {} }]);
		const { results, more } = splitAnswer(items(run.answers[0]));
		expect(results).toHaveLength(3);
		expect(more).toEqual(expect.objectContaining({ returned: 3, total: null, hint: expect.stringContaining('More results exist (3 returned)') }));
		expect(apiRequestsSince(from).filter((r) => r.path === '/api/v2/activity-logs').map((r) => r.query.size)).toEqual(['4']);
	});

	test("Datto's full objects (Simplify off) are bounded by size too: at most 100,000 characters of results", async () => {
		const full = { resource: 'device', operation: 'getMany', maxResults: TOOL_MAX_RESULTS, returnAll: true, simple: false };
		const run = await runTools(account.harness, account.credential, { 'All devices': full }, [{ tool: 'All_devices', args: {} }]);
		const { results, more } = splitAnswer(items(run.answers[0]));
		const chars = results.reduce((n, d) => n + JSON.stringify(d).length + 1, 0);
		expect(chars).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
		expect(results.length).toBeGreaterThan(5);
		expect(results.every((d) => typeof d.udf === 'object')).toBe(true);
		expect(more).toEqual(expect.objectContaining({ returned: results.length, hint: expect.stringContaining('an answer holds at most 100,000 characters') }));
	});

	test('texts longer than 10,000 characters in a result are cut, saying how much', async () => {
		const alert = account.sim.state.alerts[0];
		alert.diagnostics = 'x'.repeat(25_000);
		const run = await runTools(account.harness, account.credential, { 'Get alert': { resource: 'alert', operation: 'get', alertUid: fromAi('alertUid', 'UID of the alert') } }, [
			{ tool: 'Get_alert', args: { alertUid: alert.alertUid } },
		]);
		const [got] = items(run.answers[0]);
		expect(got.diagnostics).toBe(`${'x'.repeat(10_000)}… [15,000 more characters cut]`);
	});
});

describeTool('inputs from the model are checked before anything is sent', () => {
	async function refused(tools: Record<string, INodeParameters>, tool: string, args: Record<string, unknown>): Promise<string> {
		const from = account.sim.log.length;
		const run = await runTools(account.harness, account.credential, tools, [{ tool, args }]);
		expect(apiRequestsSince(from)).toEqual([]);
		const { error } = run.answers[0];
		expect(error).toBeDefined();
		// Short, no class name (n8n's MCP Server Trigger shows `<name>: <message>`), no "Details:" of n8n's.
		expect(error!.length).toBeLessThan(300);
		expect(error).toMatch(/^Datto RMM: /);
		expect(error).not.toMatch(/NodeOperationError|NodeApiError|InputError|Details:/);
		return error!;
	}

	test.each([-5, 0, 2.5, 1e9])('limit %p: the same rule everywhere, a whole number from 1 to 100', async (limit) => {
		const error = await refused({ 'Find devices': findDevices }, 'Find_devices', { hostname: 'dt', limit });
		expect(error).toBe(`Datto RMM: The input limit (Max Results) must be a whole number from 1 to ${TOOL_MAX_RESULTS}, not "${limit}". Nothing was sent to Datto RMM.`);
	});

	test.each([
		['../account/users', 'must be a UID: a UUID such as 1f2e3d4c-5b6a-4789-9012-3456789abcde, not "../account/users"'],
		['..', 'cannot be "..": give a UID'],
		['123456', 'must be a UID: a UUID such as 1f2e3d4c-5b6a-4789-9012-3456789abcde, not "123456"'],
		['1f2e3d4c-5b6a-4789-9012-3456789abcde/../x', 'must be a UID'],
		['x'.repeat(10_240), 'is too long: 10,240 characters, at most 1,000'],
	])('device UID %#: refused as no UID, naming the input', async (uid, why) => {
		const error = await refused({ 'Get device': getDevice }, 'Get_device', { deviceUid: uid });
		expect(error).toContain(`The input deviceUid (Device) ${why}`);
	});

	test('numeric IDs are whole numbers; texts longer than 1,000 characters are refused without being repeated', async () => {
		const byId = { resource: 'device', operation: 'getById', deviceId: fromAi('deviceId', 'Numeric id of the device', 'number') };
		expect(await refused({ 'By id': byId }, 'By_id', { deviceId: 2.5 })).toContain('The input deviceId (Device ID) must be a whole number above 0, not "2.5"');
		const long = 'DT'.repeat(5_000);
		const error = await refused({ 'Find devices': findDevices }, 'Find_devices', { hostname: long });
		expect(error).toContain('The input hostname (Hostname) is too long: 10,000 characters, at most 1,000');
		expect(error).not.toContain('DTDT');
	});

	test('an option the model sets must be one of its values: another would silently choose another endpoint', async () => {
		const alerts = { resource: 'alert', operation: 'getMany', status: fromAi('status', 'open or resolved') };
		expect(await refused({ Alerts: alerts }, 'Alerts', { status: 'closed' })).toContain('The input status (Status) must be one of "open", "resolved", not "closed"');
	});

	test("a failure of Datto's gives its message, its status and what to do, in one short text", async () => {
		const missing = '00000000-0000-4000-8000-000000000000';
		const run = await runTools(account.harness, account.credential, { 'Get device': getDevice }, [{ tool: 'Get_device', args: { deviceUid: missing } }]);
		expect(run.answers[0].error).toBe(
			`Datto RMM: Datto RMM found nothing at GET /v2/device/${missing} (HTTP 404): Device with uid ${missing} was not found. Check that the device "${missing}" exists in this Datto RMM account.`,
		);
	});
});
