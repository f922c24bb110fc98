/**
 * End to end against a running `n8n start` (started once for this file), with the packed package
 * installed as a community package:
 *   - the node and credential are registered under the installed package's name, and their icons
 *     resolve (n8n serves them, and the files exist where the descriptions point);
 *   - the editor's credential test passes with good keys and fails clearly with bad keys;
 *   - a Schedule Trigger workflow, activated in the running n8n, fires and runs the Datto RMM node;
 *   - an activated Datto RMM Trigger polls (baseline first) and fires once for a new alert;
 *   - an activated workflow fanning out over a cold credential makes one token exchange, with
 *     n8n's own credential handling (its credentials helper and database) in the loop.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { CREDENTIAL_BLANKING_VALUE } from 'n8n-workflow';

import { DattoSimulator } from '../simulator/index.cjs';
import { loadExamples, simulatorCredential } from '../../scripts/e2e-examples.cjs';
import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	N8nRestClient,
	importCredentials,
	importWorkflows,
	startN8nServer,
	type N8nServer,
	type WorkflowJson,
} from '../../scripts/n8n-env.cjs';
import { SETUP_TIMEOUT_MS, finishedExecutions, instanceWithPackage, publishAndWait, report, runDataOf, sleep, type E2eInstance, type ExecutionSummary } from './helpers.cjs';

const CREDENTIAL = { id: 'e2eServerCred', name: 'Datto RMM' };
const SCHEDULE_WORKFLOW_ID = 'e2eScheduleProbe';

/** Every 2 seconds: Datto RMM Account: Get. */
const scheduleWorkflow: WorkflowJson = {
	id: SCHEDULE_WORKFLOW_ID,
	name: 'e2e: schedule probe',
	active: false,
	nodes: [
		{
			id: 'f0000002-0000-4000-8000-000000000001',
			name: 'Every 2 seconds',
			type: 'n8n-nodes-base.scheduleTrigger',
			typeVersion: 1.2,
			position: [0, 0],
			parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: 2 }] } },
		},
		{
			id: 'f0000002-0000-4000-8000-000000000002',
			name: 'Get account',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [220, 0],
			parameters: { resource: 'account', operation: 'get', options: {} },
			credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
		},
	],
	connections: { 'Every 2 seconds': { main: [[{ node: 'Get account', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

const COLD_CREDENTIAL = { id: 'e2eColdCred', name: 'Datto RMM (cold)' };
const FAN_OUT_WORKFLOW_ID = 'e2eColdFanOut';

/** Webhook (a list of device UIDs) → Split Out → Datto RMM Device: Get, on a credential with no token yet. */
const fanOutWorkflow: WorkflowJson = {
	id: FAN_OUT_WORKFLOW_ID,
	name: 'e2e: cold fan-out',
	active: false,
	nodes: [
		{
			id: 'f0000004-0000-4000-8000-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'f0000004-0000-4000-8000-0000000000aa',
			parameters: { httpMethod: 'POST', path: 'e2e-cold-fan-out', responseMode: 'onReceived' },
		},
		{
			id: 'f0000004-0000-4000-8000-000000000002',
			name: 'One item per device',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [220, 0],
			parameters: { fieldToSplitOut: 'body.devices', options: {} },
		},
		{
			id: 'f0000004-0000-4000-8000-000000000003',
			name: 'Get device',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [440, 0],
			parameters: { resource: 'device', operation: 'get', deviceUid: { __rl: true, mode: 'id', value: '={{ $json.uid }}' }, options: {} },
			credentials: { [CREDENTIAL_TYPE]: COLD_CREDENTIAL },
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'One item per device', type: 'main', index: 0 }]] },
		'One item per device': { main: [[{ node: 'Get device', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
};

const TRIGGER_WORKFLOW_ID = 'e2eTriggerProbe';
const TRIGGER_TYPE = 'n8n-nodes-datto-rmm.dattoRmmTrigger';

/** Datto RMM Trigger (Alert Opened, Critical) every minute, n8n's shortest poll → No Operation. */
const triggerWorkflow: WorkflowJson = {
	id: TRIGGER_WORKFLOW_ID,
	name: 'e2e: trigger probe',
	active: false,
	nodes: [
		{
			id: 'f0000003-0000-4000-8000-000000000001',
			name: 'Datto RMM Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				event: 'alertOpened',
				scope: 'account',
				priorities: ['Critical'],
				alertMessage: true,
				options: {},
			},
			credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
		},
		{
			id: 'f0000003-0000-4000-8000-000000000002',
			name: 'Open a ticket',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [220, 0],
			parameters: {},
		},
	],
	connections: { 'Datto RMM Trigger': { main: [[{ node: 'Open a ticket', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

interface TypeDescription {
	name: string;
	version?: number | number[];
	displayName?: string;
	iconUrl?: { light: string; dark: string } | string;
	icon?: unknown;
	credentials?: Array<{ name: string }>;
}

describe('real n8n, n8n start', () => {
	let sim: DattoSimulator;
	let env: E2eInstance;
	let server: N8nServer;
	let rest: N8nRestClient;

	beforeAll(async () => {
		env = await instanceWithPackage('server');
		sim = await DattoSimulator.start({});
		// The cold credential is another API user, so no token this n8n holds can serve it.
		sim.addCredentials('e2e-cold-key', 'e2e-cold-secret', 'cold.api');
		const cold = { ...simulatorCredential(sim, COLD_CREDENTIAL.id, COLD_CREDENTIAL.name) };
		cold.data = { ...cold.data, apiKey: 'e2e-cold-key', apiSecret: 'e2e-cold-secret' };
		await importCredentials(env.instance, [simulatorCredential(sim, CREDENTIAL.id, CREDENTIAL.name), cold]);
		await importWorkflows(env.instance, [scheduleWorkflow, triggerWorkflow, fanOutWorkflow]);
		const started = Date.now();
		server = await startN8nServer(env.instance);
		report(`e2e: n8n start ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${server.url}`);
		rest = new N8nRestClient(server.url);
		await rest.signIn();
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await server?.stop();
		await sim?.close();
		env?.cleanup();
	});

	describe('the package is registered as an installed community package', () => {
		function iconPaths(type: TypeDescription): string[] {
			const url = type.iconUrl;
			expect(url).toBeDefined();
			return typeof url === 'string' ? [url] : [url!.light, url!.dark];
		}

		async function expectIconsResolve(type: TypeDescription): Promise<void> {
			const paths = iconPaths(type);
			expect(new Set(paths).size).toBe(paths.length);
			for (const iconPath of paths) {
				// iconUrl is icons/<package>/<path inside the package>
				const prefix = 'icons/n8n-nodes-datto-rmm/';
				expect(iconPath.startsWith(prefix)).toBe(true);
				const file = path.join(env.packageDir, iconPath.slice(prefix.length));
				expect(fs.existsSync(file)).toBe(true);
				const response = await fetch(`${server.url}/${iconPath}`);
				expect(response.status).toBe(200);
				const body = await response.text();
				expect(body).toContain('<svg');
				expect(body).toBe(fs.readFileSync(file, 'utf8'));
			}
		}

		test(`node type ${NODE_TYPE} is listed, with its icons served`, async () => {
			const types = await rest.expectOk<TypeDescription[]>('GET', '/types/nodes.json');
			const node = types.find((t) => t.name === NODE_TYPE);
			expect(node).toBeDefined();
			expect(node!.displayName).toBe('Datto RMM');
			expect(node!.credentials?.map((c) => c.name)).toContain(CREDENTIAL_TYPE);
			// usableAsTool: n8n adds the AI-agent tool variant of the node.
			expect(types.some((t) => t.name === `${NODE_TYPE}Tool`)).toBe(true);
			// Not loaded a second time as a custom extension.
			expect(types.some((t) => t.name === 'CUSTOM.dattoRmm')).toBe(false);
			await expectIconsResolve(node!);
		});

		test(`credential type ${CREDENTIAL_TYPE} is listed, with its icons served`, async () => {
			const types = await rest.expectOk<TypeDescription[]>('GET', '/types/credentials.json');
			const credential = types.find((t) => t.name === CREDENTIAL_TYPE);
			expect(credential).toBeDefined();
			expect(credential!.displayName).toBe('Datto RMM API');
			await expectIconsResolve(credential!);
		});
	});

	test('every node type and version the example workflows use exists in this n8n', async () => {
		const types = await rest.expectOk<TypeDescription[]>('GET', '/types/nodes.json');
		const known = new Map<string, Set<number>>();
		for (const t of types) {
			const versions = known.get(t.name) ?? new Set<number>();
			for (const v of Array.isArray(t.version) ? t.version : [t.version ?? 1]) versions.add(v);
			known.set(t.name, versions);
		}
		const missing: string[] = [];
		for (const { file, workflow } of loadExamples()) {
			for (const n of workflow.nodes) {
				if (!known.get(n.type)?.has(n.typeVersion)) missing.push(`${file}: "${n.name}" is ${n.type} v${n.typeVersion}, which this n8n does not have`);
			}
		}
		expect(missing).toEqual([]);
	});

	describe("the editor's credential test", () => {
		/** As the editor does: save the credential, then test it by id (secrets blanked). */
		async function saveAndTest(apiSecret: string): Promise<{ status: string; message: string }> {
			const saved = await rest.expectOk<{ id: string }>('POST', '/rest/credentials', {
				name: `Datto RMM test ${Date.now()}`,
				type: CREDENTIAL_TYPE,
				data: { platform: 'custom', baseUrl: sim.url, apiKey: sim.apiKey, apiSecret },
			});
			return rest.expectOk('POST', '/rest/credentials/test', {
				credentials: {
					id: saved.id,
					name: 'Datto RMM test',
					type: CREDENTIAL_TYPE,
					data: { platform: 'custom', baseUrl: sim.url, apiKey: CREDENTIAL_BLANKING_VALUE, apiSecret: CREDENTIAL_BLANKING_VALUE },
				},
			});
		}

		test('passes with good keys', async () => {
			const result = await saveAndTest(sim.apiSecret);
			expect(result).toEqual(expect.objectContaining({ status: 'OK' }));
		});

		test('fails with bad keys, saying what to check and without the secret', async () => {
			const badSecret = 'not-the-secret-Q7w9';
			const result = await saveAndTest(badSecret);
			report(`e2e: credential test with a bad secret → ${result.status}: ${result.message}`);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/API Key/);
			expect(result.message).toMatch(/API Secret/);
			expect(result.message).toMatch(/Platform/);
			expect(result.message).not.toContain(badSecret);
			expect(result.message).not.toContain(encodeURIComponent(badSecret));
		});

		test('the stored, imported credential passes too', async () => {
			const result = await rest.expectOk<{ status: string }>('POST', '/rest/credentials/test', {
				credentials: {
					id: CREDENTIAL.id,
					name: CREDENTIAL.name,
					type: CREDENTIAL_TYPE,
					data: { platform: 'custom', baseUrl: sim.url, apiKey: CREDENTIAL_BLANKING_VALUE, apiSecret: CREDENTIAL_BLANKING_VALUE },
				},
			});
			expect(result.status).toBe('OK');
		});
	});

	test('a Schedule Trigger workflow, activated in the running n8n, fires and runs the node', async () => {
		const logStart = sim.log.length;
		const workflow = await rest.expectOk<{ versionId: string; active: boolean }>('GET', `/rest/workflows/${SCHEDULE_WORKFLOW_ID}`);
		expect(workflow.active).toBe(false);
		const activated = await rest.expectOk<{ active: boolean }>('POST', `/rest/workflows/${SCHEDULE_WORKFLOW_ID}/activate`, { versionId: workflow.versionId });
		expect(activated.active).toBe(true);

		const filter = encodeURIComponent(JSON.stringify({ workflowId: SCHEDULE_WORKFLOW_ID }));
		let executions: ExecutionSummary[] = [];
		const deadline = Date.now() + 60_000;
		while (Date.now() < deadline) {
			const page = await rest.expectOk<{ results: ExecutionSummary[] }>('GET', `/rest/executions?filter=${filter}`);
			executions = page.results.filter((e) => e.status !== 'running' && e.status !== 'new');
			if (executions.length >= 2) break;
			await sleep(1000);
		}
		await rest.expectOk('POST', `/rest/workflows/${SCHEDULE_WORKFLOW_ID}/deactivate`, {});

		const calls = sim.log.slice(logStart).filter((r) => r.method === 'GET' && r.path === '/api/v2/account');
		report(`e2e: schedule trigger → ${executions.length} executions (${executions.map((e) => `${e.mode}:${e.status}`).join(', ')}), ${calls.length} GET /api/v2/account at the simulator`);
		expect(executions.length).toBeGreaterThanOrEqual(2);
		for (const execution of executions) expect(execution).toEqual(expect.objectContaining({ mode: 'trigger', status: 'success' }));
		expect(calls.length).toBeGreaterThanOrEqual(executions.length);
		expect(calls.every((r) => /^Bearer \S+/.test(r.headers.authorization ?? ''))).toBe(true);

		const detail = await rest.expectOk<{ data: string | Record<string, unknown> }>('GET', `/rest/executions/${executions[0].id}`);
		expect(JSON.stringify(detail.data)).toContain(sim.state.account.name);
	});

	test('an activated Datto RMM Trigger fires once for a new alert in real n8n', async () => {
		const openAlerts = () => sim.log.filter((r) => r.path === '/api/v2/account/alerts/open').length;
		const before = openAlerts();
		const workflow = await rest.expectOk<{ versionId: string }>('GET', `/rest/workflows/${TRIGGER_WORKFLOW_ID}`);
		await rest.expectOk('POST', `/rest/workflows/${TRIGGER_WORKFLOW_ID}/activate`, { versionId: workflow.versionId });
		try {
			// Activation polls once: the baseline, which fires nothing.
			const baselineBy = Date.now() + 30_000;
			while (openAlerts() === before && Date.now() < baselineBy) await sleep(250);
			expect(openAlerts()).toBeGreaterThan(before);
			const afterBaseline = openAlerts();

			const device = sim.state.devices.find((d) => !d.deleted && d.deviceClass === 'device')!;
			const critical = sim.state.openAlert(device.uid, { priority: 'Critical' });
			sim.state.openAlert(device.uid, { priority: 'Low' });

			// n8n polls at most once a minute: wait for the next scheduled poll's execution.
			const filter = encodeURIComponent(JSON.stringify({ workflowId: TRIGGER_WORKFLOW_ID }));
			let executions: ExecutionSummary[] = [];
			const deadline = Date.now() + 100_000;
			while (Date.now() < deadline && executions.length === 0) {
				await sleep(1000);
				const page = await rest.expectOk<{ results: ExecutionSummary[] }>('GET', `/rest/executions?filter=${filter}`);
				executions = page.results.filter((e) => e.status !== 'running' && e.status !== 'new');
			}
			report(`e2e: trigger → ${executions.length} execution(s) (${executions.map((e) => `${e.mode}:${e.status}`).join(', ')}) after ${openAlerts() - afterBaseline} scheduled poll(s)`);
			expect(executions).toHaveLength(1);
			expect(executions[0]).toEqual(expect.objectContaining({ mode: 'trigger', status: 'success' }));
			const detail = JSON.stringify((await rest.expectOk<{ data: unknown }>('GET', `/rest/executions/${executions[0].id}`)).data);
			expect(detail).toContain(critical.alertUid);
			expect(detail).toContain('alertMessage');
		} finally {
			await rest.expectOk('POST', `/rest/workflows/${TRIGGER_WORKFLOW_ID}/deactivate`, {});
		}
	}, 180_000);

	test('an activated workflow fanning out over a cold credential makes exactly one token exchange', async () => {
		await publishAndWait(rest, FAN_OUT_WORKFLOW_ID);
		try {
			const devices = sim.state.devices.filter((d) => !d.deleted).slice(0, 30).map((d) => ({ uid: d.uid }));
			const before = sim.counters.tokenExchanges;
			const answer = await fetch(`${server.url}/webhook/e2e-cold-fan-out`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ devices }) });
			expect(answer.status).toBe(200);
			const [execution] = await finishedExecutions(rest, 1, { workflowId: FAN_OUT_WORKFLOW_ID });
			const items = (await runDataOf(rest, execution.id)).resultData.runData['Get device']?.[0]?.data?.main?.[0] ?? [];
			const exchanges = sim.counters.tokenExchanges - before;
			report(`e2e: cold credential, ${devices.length} items fanned out at once → ${exchanges} token exchange(s), ${items.length} devices, ${execution.status}`);
			expect(execution.status).toBe('success');
			expect(items.map((i) => i.json.uid)).toEqual(devices.map((d) => d.uid));
			expect(exchanges).toBe(1);
		} finally {
			await rest.expectOk('POST', `/rest/workflows/${FAN_OUT_WORKFLOW_ID}/deactivate`, {});
		}
	}, 180_000);
});
