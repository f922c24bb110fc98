/**
 * End to end in real n8n 2.41 (`n8n start`, the packed package installed as a community package):
 * the example examples/mcp-datto-tools.json (n8n's MCP Server Trigger with Bearer Auth, and three
 * Datto RMM tool nodes: Find devices with $fromAI hostname, site name and limit, Open alerts, List
 * sites) is published through n8n's REST API. A client of the MCP TypeScript SDK plays the AI
 * assistant (no language model): it connects over Streamable HTTP, lists the tools (names,
 * descriptions, input schemas), calls them with arguments, and the answers are checked against
 * the simulator's own records. n8n is started without N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE:
 * 2.41 offers community nodes as tools without it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { OPERATIONS } from '../../nodes/DattoRmm/operations';
import { TOOL_LIST_LIMIT } from '../../nodes/DattoRmm/operations/fields';
import { toolDescriptionText } from '../../nodes/DattoRmm/tool';
import { loadExamples, prepareExample, simulatorCredential } from '../../scripts/e2e-examples.cjs';
import { N8nRestClient, importCredentials, importWorkflows, startN8nServer, type N8nServer, type WorkflowJson } from '../../scripts/n8n-env.cjs';
import { DattoSimulator, type DeviceRec } from '../simulator/index.cjs';
import { SETUP_TIMEOUT_MS, finishedExecutions, instanceWithPackage, publishAndWait, report, type E2eInstance } from './helpers.cjs';

const EXAMPLE_ID = 'DattoExMcpTools';
const TRIGGER = 'MCP Server Trigger';
const DATTO_CREDENTIAL = { id: 'e2eMcpDatto', name: 'Datto RMM' };
const BEARER_CREDENTIAL = { id: 'e2eMcpBearer', name: 'MCP bearer token' };
const TOKEN = 'e2e-mcp-token-4f9a2c7e1b8d6035a9c4e7f2';

interface ToolResult {
	isError?: boolean;
	content: Array<{ type: string; text?: string }>;
}

/** The items a tool answered: its text content, which n8n fills with the node's output items as JSON. */
function itemsOf(result: unknown): Array<Record<string, unknown>> {
	const { isError, content } = result as ToolResult;
	const text = content.map((c) => c.text ?? '').join('');
	if (isError) throw new Error(`the tool answered an error: ${text}`);
	return JSON.parse(text) as Array<Record<string, unknown>>;
}

describe('real n8n: an MCP client lists and calls the Datto RMM tools of the MCP example', () => {
	let sim: DattoSimulator;
	let env: E2eInstance;
	let server: N8nServer;
	let rest: N8nRestClient;
	let workflow: WorkflowJson;
	let mcpUrl: URL;

	async function connect(token?: string): Promise<Client> {
		const client = new Client({ name: 'datto-rmm-e2e', version: '1.0.0' });
		const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
		await client.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers } }));
		return client;
	}

	beforeAll(async () => {
		env = await instanceWithPackage('mcp');
		sim = await DattoSimulator.start({ seed: 14, size: { sites: 14, devices: 80 } });
		const example = loadExamples().find((e) => e.workflow.id === EXAMPLE_ID)!.workflow;
		workflow = prepareExample(example, { credentialId: DATTO_CREDENTIAL.id, credentialName: DATTO_CREDENTIAL.name });
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
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
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

	test('the tools: names, descriptions from the operation table, and $fromAI input schemas', async () => {
		const client = await connect(TOKEN);
		try {
			// The trigger's Instructions reach the client, which adds them to its model's prompt.
			expect(client.getInstructions()).toContain('UIDs (36-character texts)');
			const { tools } = await client.listTools();
			report(`e2e: MCP tools → ${tools.map((t) => `${t.name}(${Object.keys(t.inputSchema.properties ?? {}).join(', ')})`).join(', ')}`);
			const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
			expect(Object.keys(byName).sort()).toEqual(['Find_devices', 'List_sites', 'Open_alerts']);
			const text = (resource: string, value: string) => toolDescriptionText(OPERATIONS.find((o) => o.resource === resource && o.value === value)!);
			expect(byName.Find_devices.description).toBe(text('device', 'getMany'));
			expect(byName.Open_alerts.description).toBe(text('alert', 'getMany'));
			expect(byName.List_sites.description).toBe(text('site', 'getMany'));
			const find = byName.Find_devices.inputSchema as { properties: Record<string, { type: string; description?: string; default?: unknown }>; required?: string[] };
			expect(Object.keys(find.properties).sort()).toEqual(['hostname', 'limit', 'siteName']);
			expect(find.properties.hostname).toEqual(expect.objectContaining({ type: 'string', default: '', description: expect.stringContaining('hostname contains') }));
			expect(find.properties.limit).toEqual(expect.objectContaining({ type: 'number', default: TOOL_LIST_LIMIT }));
			expect(find.required ?? []).toEqual([]);
			expect(Object.keys((byName.Open_alerts.inputSchema.properties ?? {}) as object)).toEqual([]);
			expect(Object.keys((byName.List_sites.inputSchema.properties ?? {}) as object)).toEqual(['siteName']);
		} finally {
			await client.close();
		}
	});

	test('calls answer with what the simulator holds: filtered, limited to 10 unless asked, simplified', async () => {
		const live = (part: string): DeviceRec[] => sim.state.devices.filter((d) => !d.deleted && d.hostname.toLowerCase().includes(part));
		const part = 'dt';
		expect(live(part).length).toBeGreaterThan(25);
		const open = sim.state.alerts.filter((a) => !a.resolved);
		expect(open.length).toBeGreaterThan(TOOL_LIST_LIMIT);
		const site = sim.state.sites[2];
		const client = await connect(TOKEN);
		try {
			const found = itemsOf(await client.callTool({ name: 'Find_devices', arguments: { hostname: part } }));
			const more = itemsOf(await client.callTool({ name: 'Find_devices', arguments: { hostname: part, limit: 25 } }));
			const inSite = itemsOf(await client.callTool({ name: 'Find_devices', arguments: { siteName: site.name, limit: 100 } }));
			const alerts = itemsOf(await client.callTool({ name: 'Open_alerts', arguments: {} }));
			const sites = itemsOf(await client.callTool({ name: 'List_sites', arguments: { siteName: site.name.slice(0, 6) } }));
			report(`e2e: MCP calls → Find_devices ${found.length} and ${more.length} (limit 25), ${inSite.length} in "${site.name}", Open_alerts ${alerts.length}, List_sites ${sites.length}; a device answer is ${JSON.stringify(found[0]).length} characters`);

			expect(found.map((d) => d.uid)).toEqual(live(part).slice(0, TOOL_LIST_LIMIT).map((d) => d.uid));
			expect(more.map((d) => d.uid)).toEqual(live(part).slice(0, 25).map((d) => d.uid));
			expect(inSite.map((d) => d.uid).sort()).toEqual(sim.state.devices.filter((d) => !d.deleted && d.siteUid === site.uid).map((d) => d.uid).sort());
			expect(alerts.map((a) => a.alertUid)).toEqual(open.slice(0, TOOL_LIST_LIMIT).map((a) => a.alertUid));
			expect(sites.map((s) => s.uid)).toEqual(sim.state.sites.filter((s) => s.name.toLowerCase().includes(site.name.slice(0, 6).toLowerCase())).map((s) => s.uid));

			const device = live(part)[0];
			expect(found[0]).toEqual(
				expect.objectContaining({
					uid: device.uid,
					hostname: device.hostname,
					siteName: sim.state.site(device.siteUid)!.name,
					online: device.online,
					lastSeen: new Date(device.lastSeen).toISOString(),
				}),
			);
			expect(found[0]).not.toHaveProperty('udf');
			const alertDevice = sim.state.deviceByUid.get(open[0].deviceUid)!;
			expect(alerts[0]).toEqual(expect.objectContaining({ alertUid: open[0].alertUid, priority: open[0].priority, deviceName: alertDevice.hostname, message: expect.stringMatching(new RegExp(`^${alertDevice.hostname}: `)) }));
		} finally {
			await client.close();
		}
		// Each tool call ran as an execution of the workflow, and each succeeded.
		const runs = await finishedExecutions(rest, 5, { workflowId: EXAMPLE_ID });
		report(`e2e: MCP tool calls → ${runs.length} executions (${runs.map((e) => `${e.mode}:${e.status}`).join(', ')})`);
		expect(runs.filter((e) => e.status === 'success')).toHaveLength(5);
		expect(runs.filter((e) => e.status !== 'success')).toEqual([]);
	}, 180_000);
});
