/**
 * End to end in real n8n 2.41 (`n8n start`, the packed package installed as a community package):
 * the example examples/mcp-datto-tools.json (n8n's MCP Server Trigger with Bearer Auth, and three
 * Datto RMM tool nodes: Find devices with $fromAI hostname, site name and limit, Open alerts, List
 * sites), with four more tools an agent builder adds (Get device, Find by hostname, Resolve alert,
 * Move device), is published through n8n's REST API against a simulated account of 50,000
 * devices. A client of the MCP TypeScript SDK plays the AI assistant (no language model): it
 * connects over Streamable HTTP, lists the tools (names, the descriptions n8n evaluated, input
 * schemas), calls them, and checks issue 20's rules: answers bounded and saying when more exist,
 * hostile limits and UIDs refused before anything reaches Datto, descriptions true to the
 * answers, short errors without class names, writes saying what changed. n8n is started without
 * N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 2.41 offers community nodes as tools without it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { TOOL_LIST_LIMIT, TOOL_MAX_RESULTS } from '../../nodes/DattoRmm/operations/limits';
import { loadExamples, prepareExample, simulatorCredential } from '../../scripts/e2e-examples.cjs';
import { N8nRestClient, NODE_TYPE, importCredentials, importWorkflows, startN8nServer, type N8nServer, type WorkflowJson } from '../../scripts/n8n-env.cjs';
import { fromAi, promisedFields, splitAnswer } from '../harness/ai-tool.cjs';
import { DattoSimulator, type DeviceRec } from '../simulator/index.cjs';
import { SETUP_TIMEOUT_MS, finishedExecutions, instanceWithPackage, publishAndWait, report, type E2eInstance } from './helpers.cjs';

const EXAMPLE_ID = 'DattoExMcpTools';
const TRIGGER = 'MCP Server Trigger';
const DATTO_CREDENTIAL = { id: 'e2eMcpDatto', name: 'Datto RMM' };
const BEARER_CREDENTIAL = { id: 'e2eMcpBearer', name: 'MCP bearer token' };
const TOKEN = 'e2e-mcp-token-4f9a2c7e1b8d6035a9c4e7f2';
const DEVICES = 50_000;

/** What no tool description may say: the editor, parameters by their editor names, actions the model cannot take. */
const EDITOR_WORDING = /pick it|from the list|in the editor|Get Many|run the workflow|Match set to|Return All|\bLimit\b|Filter ID|Details:/;

/** The tools an agent builder adds to the example, as in issue 20. */
const EXTRA_TOOLS: Record<string, Record<string, unknown>> = {
	'Get device': { resource: 'device', operation: 'get', deviceUid: { __rl: true, mode: 'uid', value: fromAi('deviceUid', 'UID of the device') } },
	'Find by hostname': { resource: 'device', operation: 'findByHostname', hostname: fromAi('hostname', 'Part of the hostname'), match: 'partial' },
	'Resolve alert': { resource: 'alert', operation: 'resolve', alertUid: fromAi('alertUid', 'UID of the alert') },
	'Move device': {
		resource: 'device',
		operation: 'move',
		deviceUid: { __rl: true, mode: 'uid', value: fromAi('deviceUid', 'UID of the device') },
		siteUid: { __rl: true, mode: 'uid', value: fromAi('siteUid', 'UID of the site to move it to') },
	},
};

interface ToolResult {
	isError?: boolean;
	content: Array<{ type: string; text?: string }>;
}

type Item = Record<string, unknown>;

/** The text a tool answered (n8n fills it with the node's output items as JSON, or the error). */
function textOf(result: unknown): { text: string; isError: boolean } {
	const { isError, content } = result as ToolResult;
	return { text: content.map((c) => c.text ?? '').join(''), isError: isError === true };
}

function withTools(workflow: WorkflowJson): WorkflowJson {
	const trigger = workflow.nodes.find((n) => n.name === TRIGGER)!;
	Object.entries(EXTRA_TOOLS).forEach(([name, parameters], index) => {
		workflow.nodes.push({
			id: `e2e00020-0000-4000-8000-00000000000${index}`,
			name,
			type: `${NODE_TYPE}Tool`,
			typeVersion: 2,
			position: [-160 + index * 160, 420],
			parameters,
			credentials: { dattoRmmApi: DATTO_CREDENTIAL },
		});
		workflow.connections[name] = { ai_tool: [[{ node: trigger.name, type: 'ai_tool', index: 0 }]] };
	});
	return workflow;
}

describe('real n8n: an MCP client lists and calls the Datto RMM tools of the MCP example, at 50,000 devices', () => {
	let sim: DattoSimulator;
	let env: E2eInstance;
	let server: N8nServer;
	let rest: N8nRestClient;
	let client: Client;
	let mcpUrl: URL;

	async function connect(token?: string): Promise<Client> {
		const mcp = new Client({ name: 'datto-rmm-e2e', version: '1.0.0' });
		const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
		await mcp.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers } }));
		return mcp;
	}

	/** One tool call; its answer text, whether it was an error, and the API requests it made. */
	async function call(name: string, args: Record<string, unknown>) {
		const from = sim.log.length;
		const answer = textOf(await client.callTool({ name, arguments: args }));
		return { ...answer, bytes: Buffer.byteLength(answer.text), requests: sim.log.slice(from).filter((r) => r.path.startsWith('/api/')) };
	}

	async function items(name: string, args: Record<string, unknown>): Promise<Item[]> {
		const { text, isError } = await call(name, args);
		if (isError) throw new Error(`${name} answered an error: ${text}`);
		return JSON.parse(text) as Item[];
	}

	const live = (part: string): DeviceRec[] => sim.state.devices.filter((d) => !d.deleted && d.hostname.toLowerCase().includes(part.toLowerCase()));

	beforeAll(async () => {
		env = await instanceWithPackage('mcp');
		sim = await DattoSimulator.start({ seed: 14, size: { sites: 500, devices: DEVICES } });
		const example = loadExamples().find((e) => e.workflow.id === EXAMPLE_ID)!.workflow;
		const workflow = withTools(prepareExample(example, { credentialId: DATTO_CREDENTIAL.id, credentialName: DATTO_CREDENTIAL.name }));
		workflow.nodes.find((n) => n.name === TRIGGER)!.credentials = { httpBearerAuth: BEARER_CREDENTIAL };
		await importCredentials(env.instance, [
			simulatorCredential(sim, DATTO_CREDENTIAL.id, DATTO_CREDENTIAL.name),
			{ ...BEARER_CREDENTIAL, type: 'httpBearerAuth', data: { token: TOKEN } },
		]);
		await importWorkflows(env.instance, [workflow]);
		const started = Date.now();
		server = await startN8nServer(env.instance);
		report(`e2e: n8n start ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${server.url}`);
		// No setting offers community nodes as tools: n8n 1.x needed N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE.
		expect(Object.keys(env.instance.env).filter((k) => k.includes('TOOL'))).toEqual([]);
		rest = new N8nRestClient(server.url);
		await rest.signIn();
		await publishAndWait(rest, EXAMPLE_ID);
		const path = String(workflow.nodes.find((n) => n.name === TRIGGER)!.parameters.path);
		mcpUrl = new URL(`${server.url}/mcp/${path}`);
		client = await connect(TOKEN);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await client?.close();
		await server?.stop();
		await sim?.close();
		env?.cleanup();
	});

	test('without the bearer token the MCP server refuses the client', async () => {
		for (const token of [undefined, 'not-the-token']) {
			const error = (await connect(token).then(
				() => undefined,
				(e: unknown) => e,
			)) as { code?: number; message?: string } | undefined;
			expect(error).toBeDefined();
			// The SDK's StreamableHTTPError: the HTTP status, and n8n's answer.
			expect([error!.code, error!.message]).toEqual([403, expect.stringContaining('Authorization data is wrong')]);
		}
	});

	test('the tools: names, descriptions n8n evaluated from each tool as configured, $fromAI input schemas', async () => {
		// The trigger's Instructions reach the client, which adds them to its model's prompt.
		expect(client.getInstructions()).toContain('UIDs (36-character texts)');
		const { tools } = await client.listTools();
		report(`e2e: MCP tools → ${tools.map((t) => `${t.name}(${Object.keys(t.inputSchema.properties ?? {}).join(', ')})`).join(', ')}`);
		const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
		expect(Object.keys(byName).sort()).toEqual(['Find_by_hostname', 'Find_devices', 'Get_device', 'List_sites', 'Move_device', 'Open_alerts', 'Resolve_alert']);
		for (const tool of tools) {
			const text = tool.description ?? '';
			expect(text).toMatch(/^(Read-only|Changes data in Datto RMM): /);
			expect(text).not.toMatch(EDITOR_WORDING);
			// An expression not evaluated would reach the client as "={{ ... }}".
			expect(text).not.toMatch(/\{\{|\$rawParameter/);
		}
		const text = (name: string) => byName[name].description ?? '';
		expect(text('Find_devices')).toContain(
			`limit (how many results: a whole number from 1 to ${TOOL_MAX_RESULTS}, ${TOOL_LIST_LIMIT} if left out). Returns at most limit results, never more than ${TOOL_MAX_RESULTS}.`,
		);
		expect(text('Find_devices')).toMatch(/Inputs: hostname \(.*\); siteName \(.*\); limit \(/);
		expect(text('Open_alerts')).toContain(`Status: Alerts still open (not resolved). Scope: Alerts of every device in the account.`);
		expect(text('Open_alerts')).toContain(`It takes no inputs. Returns at most ${TOOL_LIST_LIMIT} results.`);
		expect(text('Find_by_hostname')).toContain('Match: The hostname contains the text.');
		expect(text('Resolve_alert')).toMatch(/^Changes data in Datto RMM: Resolve an alert\..*already resolved changes nothing and says so/);
		expect(text('Move_device')).toContain('Inputs: deviceUid (The device: its uid, a UUID');
		const find = byName.Find_devices.inputSchema as { properties: Record<string, { type: string; description?: string; default?: unknown }>; required?: string[] };
		expect(Object.keys(find.properties).sort()).toEqual(['hostname', 'limit', 'siteName']);
		expect(find.properties.limit).toEqual(expect.objectContaining({ type: 'number', default: TOOL_LIST_LIMIT }));
		expect(find.required ?? []).toEqual([]);
		expect(Object.keys((byName.Open_alerts.inputSchema.properties ?? {}) as object)).toEqual([]);
		expect(Object.keys((byName.Move_device.inputSchema.properties ?? {}) as object).sort()).toEqual(['deviceUid', 'siteUid']);
	});

	test('every field a description promises is in the real answer, and nothing else', async () => {
		const { tools } = await client.listTools();
		const device = live('dt')[0];
		const answers: Record<string, Item[]> = {
			Find_devices: await items('Find_devices', { hostname: 'DT' }),
			Get_device: await items('Get_device', { deviceUid: device.uid }),
			Open_alerts: await items('Open_alerts', {}),
			List_sites: await items('List_sites', {}),
			Find_by_hostname: await items('Find_by_hostname', { hostname: device.hostname }),
		};
		for (const [name, answer] of Object.entries(answers)) {
			const promised = promisedFields(tools.find((t) => t.name === name)!.description ?? '');
			expect({ name, promised: promised !== undefined }).toEqual({ name, promised: true });
			for (const result of splitAnswer(answer).results) expect({ name, keys: Object.keys(result) }).toEqual({ name, keys: promised });
		}
		expect(answers.Get_device[0]).toEqual(expect.objectContaining({ uid: device.uid, hostname: device.hostname, deviceClass: device.deviceClass, lastSeen: new Date(device.lastSeen).toISOString() }));
		const open = sim.state.alerts.filter((a) => !a.resolved);
		expect(answers.Open_alerts[0]).toEqual(expect.objectContaining({ alertUid: open[0].alertUid, diagnostics: open[0].diagnostics }));
		// Each tool call ran as an execution of the workflow (the first calls of this suite), and each succeeded.
		const runs = await finishedExecutions(rest, 5, { workflowId: EXAMPLE_ID });
		report(`e2e: MCP tool calls → ${runs.length} executions (${runs.map((e) => `${e.mode}:${e.status}`).join(', ')})`);
		expect(runs.map((e) => e.status)).toEqual(['success', 'success', 'success', 'success', 'success']);
	}, 120_000);

	test(`answers are bounded at ${DEVICES.toLocaleString('en-US')} devices: one page read, a last item when more exist`, async () => {
		const matching = live('DT');
		expect(matching.length).toBeGreaterThan(1000);
		const cases: Array<[string, string, Record<string, unknown>, number, number]> = [
			['Find devices "DT", limit left out', 'Find_devices', { hostname: 'DT' }, TOOL_LIST_LIMIT, matching.length],
			['Find devices "DT", limit 100', 'Find_devices', { hostname: 'DT', limit: TOOL_MAX_RESULTS }, TOOL_MAX_RESULTS, matching.length],
			['Find devices, every device, limit 100', 'Find_devices', { limit: TOOL_MAX_RESULTS }, TOOL_MAX_RESULTS, DEVICES],
			['Find by hostname "DT" (Partial)', 'Find_by_hostname', { hostname: 'DT' }, TOOL_LIST_LIMIT, matching.length],
		];
		for (const [label, name, args, returned, total] of cases) {
			const { text, isError, bytes, requests } = await call(name, args);
			expect(isError).toBe(false);
			const { results, more } = splitAnswer(JSON.parse(text) as Item[]);
			report(`e2e: MCP ${label} → ${(bytes / 1024).toFixed(1)} KB, ${results.length} results of ${String(more?.total)}, ${requests.length} API requests (${requests.map((r) => r.url).join(', ')})`);
			expect(results).toHaveLength(returned);
			expect(more).toEqual(expect.objectContaining({ moreResults: true, returned, total, hint: expect.stringContaining('To see others') }));
			// Never every page: one page of the list, with one entry more than the answer holds.
			const pages = requests.filter((r) => r.path === '/api/v2/account/devices');
			expect(pages.map((r) => [r.query.page, r.query.max])).toEqual([['0', String(returned + 1)]]);
			expect(bytes).toBeLessThan(returned === TOOL_LIST_LIMIT ? 10_000 : 80_000);
		}
	}, 180_000);

	test('hostile limits and UIDs are refused with a short error naming the input, and nothing reaches Datto', async () => {
		const hostile: Array<[string, Record<string, unknown>, string]> = [
			...[-5, 0, 2.5, 1e9].map((limit): [string, Record<string, unknown>, string] => [
				'Find_devices',
				{ hostname: 'DT', limit },
				`Datto RMM: The input limit (Max Results) must be a whole number from 1 to ${TOOL_MAX_RESULTS}, not "${limit}". Nothing was sent to Datto RMM.`,
			]),
			['Get_device', { deviceUid: '../account/users' }, 'Datto RMM: The input deviceUid (Device) must be a UID: a UUID such as 1f2e3d4c-5b6a-4789-9012-3456789abcde, not "../account/users". Nothing was sent to Datto RMM.'],
			['Get_device', { deviceUid: 'x'.repeat(10_240) }, 'Datto RMM: The input deviceUid (Device) is too long: 10,240 characters, at most 1,000. Nothing was sent to Datto RMM.'],
			['Resolve_alert', { alertUid: '..' }, 'Datto RMM: The input alertUid (Alert UID) cannot be "..": give a UID: a UUID such as 1f2e3d4c-5b6a-4789-9012-3456789abcde. Nothing was sent to Datto RMM.'],
			['Find_by_hostname', { hostname: 'DT'.repeat(5_120) }, 'Datto RMM: The input hostname (Hostname) is too long: 10,240 characters, at most 1,000. Nothing was sent to Datto RMM.'],
		];
		for (const [name, args, expected] of hostile) {
			const { text, isError, requests } = await call(name, args);
			expect({ name, isError, text }).toEqual({ name, isError: true, text: expected });
			expect(requests).toEqual([]);
		}
		report(`e2e: MCP hostile inputs → ${hostile.length} refused before any request, e.g. "${hostile[0][2]}"`);
		// Datto's own failure: its message and status, and what to do, in one text.
		const missing = '00000000-0000-4000-8000-000000000000';
		const notFound = await call('Get_device', { deviceUid: missing });
		expect(notFound).toEqual(expect.objectContaining({ isError: true, text: expect.stringMatching(new RegExp(`^Datto RMM: Datto RMM found nothing at GET /v2/device/${missing} \\(HTTP 404\\): Device with uid ${missing} was not found\\. Check that the device`)) }));
		expect(notFound.text).not.toMatch(/NodeOperationError|NodeApiError|Details:/);
		expect(notFound.text).not.toContain(sim.apiSecret);
	});

	test('writes answer with what changed, and send nothing when nothing would change', async () => {
		const alert = sim.state.alerts.find((a) => !a.resolved)!;
		const [resolved] = await items('Resolve_alert', { alertUid: alert.alertUid });
		const [again] = await items('Resolve_alert', { alertUid: alert.alertUid });
		expect(resolved).toEqual(expect.objectContaining({ alertUid: alert.alertUid, changed: true, after: { resolved: true } }));
		expect(again).toEqual(expect.objectContaining({ alertUid: alert.alertUid, changed: false, summary: expect.stringMatching(/already resolved.*nothing changed/) }));
		expect(sim.state.alertByUid.get(alert.alertUid)!.resolved).toBe(true);

		const device = live('DT')[1];
		const home = sim.state.site(device.siteUid)!;
		const other = sim.state.sites.find((s) => s.uid !== home.uid)!;
		const stay = await call('Move_device', { deviceUid: device.uid, siteUid: home.uid });
		expect(JSON.parse(stay.text)).toEqual([expect.objectContaining({ changed: false, summary: `${device.hostname} is already in site "${home.name}"; nothing changed.` })]);
		expect(stay.requests.filter((r) => r.method === 'PUT')).toEqual([]);
		const [moved] = await items('Move_device', { deviceUid: device.uid, siteUid: other.uid });
		expect(moved).toEqual(expect.objectContaining({ changed: true, before: { siteUid: home.uid, siteName: home.name }, after: { siteUid: other.uid, siteName: other.name } }));
		expect(sim.state.deviceByUid.get(device.uid)!.siteUid).toBe(other.uid);
		report(`e2e: MCP writes → ${String(resolved.summary)} / ${String(again.summary)} / ${String(moved.summary)}`);
	});
});
