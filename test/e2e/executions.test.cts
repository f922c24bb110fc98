/**
 * End to end with `n8n execute` (no server): the packed package installed as a community package
 * in real n8n 2.41, a credential pointing at the Datto simulator, and
 *   - the token: ten separate executions with one credential cause ONE token exchange, because
 *     n8n stores the token with the credential; after the simulator expires every token, the next
 *     execution succeeds with exactly one renewal;
 *   - every example workflow in examples/ runs successfully and produces what it should, with the
 *     simulator's unconfirmed dates in the form DATTO_SIM_UNCONFIRMED_DATES names (default iso);
 *     the "run a component" example (Run Quick Job and Wait) also runs in the other form.
 */
import * as fs from 'node:fs';

import { DATE_FORM_ENV, DattoSimulator, parseDateForm, type DateForm } from '../simulator/index.cjs';
import {
	EXAMPLE_IDS,
	EXAMPLE_UDF,
	loadExamples,
	prepareExample,
	prepareSimulatorWorld,
	runnableByCli,
	simulatorCredential,
	type SimulatorWorld,
} from '../../scripts/e2e-examples.cjs';
import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	binaryFilePath,
	executeWorkflow,
	exportCredential,
	importCredentials,
	importWorkflows,
	nodeBinary,
	nodeItems,
	type ExecuteOutcome,
	type WorkflowJson,
} from '../../scripts/n8n-env.cjs';
import { SETUP_TIMEOUT_MS, instanceWithPackage, report, simControl, simStats, type E2eInstance } from './helpers.cjs';

const EXAMPLES_CREDENTIAL = { id: 'e2eExamplesCred', name: 'Datto RMM' };
const TOKEN_CREDENTIAL = { id: 'e2eTokenCred', name: 'Datto RMM (token test)' };
const TOKEN_WORKFLOW_ID = 'e2eTokenProbe';
const RUNS = 10;
/** The form of the simulator's unconfirmed dates for this run, and the other one. */
const DATES: DateForm = parseDateForm(process.env[DATE_FORM_ENV], DATE_FORM_ENV) ?? 'iso';
const OTHER_DATES: DateForm = DATES === 'iso' ? 'epochMs' : 'iso';

/** Manual Trigger → Datto RMM Account: Get, with the token-test credential. */
const tokenWorkflow: WorkflowJson = {
	id: TOKEN_WORKFLOW_ID,
	name: 'e2e: token probe',
	active: false,
	nodes: [
		{ id: 'f0000001-0000-4000-8000-000000000001', name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'f0000001-0000-4000-8000-000000000002',
			name: 'Get account',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [220, 0],
			parameters: { resource: 'account', operation: 'get', options: {} },
			credentials: { [CREDENTIAL_TYPE]: TOKEN_CREDENTIAL },
		},
	],
	connections: { 'Run now': { main: [[{ node: 'Get account', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

function expectSuccess(outcome: ExecuteOutcome): void {
	if (!outcome.ok) throw new Error(`execution failed: ${outcome.error}`);
	expect(outcome.run?.status).toBe('success');
}

describe('real n8n, n8n execute', () => {
	let sim: DattoSimulator;
	let env: E2eInstance;
	let world: SimulatorWorld;
	const examples = loadExamples();

	beforeAll(async () => {
		env = await instanceWithPackage('execute');
		sim = await DattoSimulator.start({ jobRunMs: 800, unconfirmedDates: DATES });
		report(`e2e: simulator shapes: ${sim.describeShapes()}`);
		world = prepareSimulatorWorld(sim);
		await importCredentials(env.instance, [
			simulatorCredential(sim, EXAMPLES_CREDENTIAL.id, EXAMPLES_CREDENTIAL.name),
			simulatorCredential(sim, TOKEN_CREDENTIAL.id, TOKEN_CREDENTIAL.name),
		]);
		const prepared = examples.map((e) =>
			prepareExample(e.workflow, { credentialId: EXAMPLES_CREDENTIAL.id, credentialName: EXAMPLES_CREDENTIAL.name, world, pollSeconds: 1 }),
		);
		await importWorkflows(env.instance, [tokenWorkflow, ...prepared]);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await sim?.close();
		env?.cleanup();
	});

	describe('the token is exchanged once and stored with the credential by n8n', () => {
		test(`${RUNS} separate executions with one credential → exactly one token exchange`, async () => {
			await simControl(sim, 'reset-counters');
			for (let i = 0; i < RUNS; i++) {
				const outcome = await executeWorkflow(env.instance, TOKEN_WORKFLOW_ID);
				expectSuccess(outcome);
				expect(nodeItems(outcome.run, 'Get account')[0]).toEqual(expect.objectContaining({ name: sim.state.account.name }));
			}
			const stats = await simStats(sim);
			report(`e2e: ${RUNS} executions → ${stats.tokenExchanges} token exchange${stats.tokenExchanges === 1 ? '' : 's'} (${stats.requests} requests at the simulator)`);
			expect(stats.tokenExchanges).toBe(1);
			expect(stats.failedTokenExchanges).toBe(0);
			// n8n itself stored the token with the credential (its database), and sent it each time.
			const stored = await exportCredential(env.instance, TOKEN_CREDENTIAL.id);
			const token = String(stored.data.accessToken ?? '');
			expect(token).not.toBe('');
			const sent = sim.log.filter((r) => r.path === '/api/v2/account').slice(-RUNS);
			expect(sent).toHaveLength(RUNS);
			for (const r of sent) expect(r.headers.authorization).toBe(`Bearer ${token}`);
		});

		test('after the simulator expires every token, the next execution succeeds with exactly one renewal', async () => {
			await simControl(sim, 'reset-counters');
			await simControl(sim, 'expire-tokens');
			const logStart = sim.log.length;
			const outcome = await executeWorkflow(env.instance, TOKEN_WORKFLOW_ID);
			expectSuccess(outcome);
			const stats = await simStats(sim);
			const seen = sim.log.slice(logStart);
			const refused = seen.filter((r) => r.path.startsWith('/api/') && r.status === 401).length;
			report(`e2e: expired token → 1 execution, ${refused} request answered 401, ${stats.tokenExchanges} renewal`);
			expect(stats.tokenExchanges).toBe(1);
			expect(refused).toBe(1);
			// The renewed token is stored too: one more execution needs no exchange.
			await simControl(sim, 'reset-counters');
			expectSuccess(await executeWorkflow(env.instance, TOKEN_WORKFLOW_ID));
			expect((await simStats(sim)).tokenExchanges).toBe(0);
		});
	});

	describe('every example workflow runs', () => {
		test('examples/ holds the documented workflows, each with a sticky note and a node of this package', () => {
			const ids = examples.map((e) => e.workflow.id);
			for (const id of Object.values(EXAMPLE_IDS)) expect(ids).toContain(id);
			for (const { file, workflow } of examples) {
				const types = workflow.nodes.map((n) => n.type);
				expect({ file, sticky: types.includes('n8n-nodes-base.stickyNote') }).toEqual({ file, sticky: true });
				expect({ file, ours: types.some((t) => t.startsWith('n8n-nodes-datto-rmm.')) }).toEqual({ file, ours: true });
				for (const n of workflow.nodes.filter((x) => x.credentials?.[CREDENTIAL_TYPE])) {
					expect({ file, node: n.name, credential: n.credentials![CREDENTIAL_TYPE].name }).toEqual({ file, node: n.name, credential: 'Datto RMM' });
				}
			}
			for (const id of Object.values(EXAMPLE_IDS)) expect(runnableByCli(examples.find((e) => e.workflow.id === id)!.workflow)).toBe(true);
		});

		// Examples added later that start at a Manual Trigger: they must at least run successfully.
		for (const { file, workflow } of examples.filter((e) => runnableByCli(e.workflow) && !(Object.values(EXAMPLE_IDS) as string[]).includes(e.workflow.id))) {
			test(`${file} runs successfully`, async () => {
				expectSuccess(await executeWorkflow(env.instance, workflow.id));
			});
		}

		test('daily device inventory: every device, flattened, and a CSV file', async () => {
			const outcome = await executeWorkflow(env.instance, EXAMPLE_IDS.inventory);
			expectSuccess(outcome);
			const rows = nodeItems(outcome.run, 'Flatten for spreadsheet');
			expect(rows).toHaveLength(sim.state.devices.length);
			const device = sim.state.devices[0];
			const row = rows.find((r) => r.uid === device.uid)!;
			expect(row).toEqual(
				expect.objectContaining({
					hostname: device.hostname,
					site: sim.state.site(device.siteUid)!.name,
					deviceType: device.category,
					online: device.online,
					lastSeen: new Date(device.lastSeen).toISOString(),
				}),
			);
			expect(Object.values(row).every((v) => typeof v !== 'object')).toBe(true);
			const csv = nodeBinary(outcome.run, 'CSV file');
			expect(csv?.fileName).toBe('datto-device-inventory.csv');
			const file = binaryFilePath(env.instance, csv);
			expect(file).toBeDefined();
			const lines = fs.readFileSync(file!, 'utf8').trim().split('\n');
			expect(lines[0]).toContain('hostname');
			expect(lines).toHaveLength(sim.state.devices.length + 1);
		});

		test('open-alert digest: counts by site and priority add up to the open alerts', async () => {
			const outcome = await executeWorkflow(env.instance, EXAMPLE_IDS.alertDigest);
			expectSuccess(outcome);
			const open = sim.state.alerts.filter((a) => !a.resolved);
			const counts = nodeItems(outcome.run, 'Count by site and priority');
			expect(counts.reduce((sum, c) => sum + Number(c.count_alertUid), 0)).toBe(open.length);
			const critical = open.filter((a) => a.priority === 'Critical');
			const criticalCounted = counts.filter((c) => c.priority === 'Critical').reduce((sum, c) => sum + Number(c.count_alertUid), 0);
			expect(criticalCounted).toBe(critical.length);
			const digest = nodeItems(outcome.run, 'Build digest');
			expect(digest).toHaveLength(1);
			expect(digest[0].total).toBe(open.length);
			expect(String(digest[0].subject)).toContain(`${open.length} open alerts`);
			expect(String(digest[0].text).split('\n').length).toBe(new Set(counts.map((c) => c.site)).size);
		});

		test.each([DATES, OTHER_DATES])('run a component on every device in a filter: one finished job per device, with its output (unconfirmed dates as %s)', async (form) => {
			sim.state.unconfirmedDates = form;
			let outcome: ExecuteOutcome;
			try {
				outcome = await executeWorkflow(env.instance, EXAMPLE_IDS.runComponent);
			} finally {
				sim.state.unconfirmedDates = DATES;
			}
			expectSuccess(outcome);
			// The job's dates reached the node in this form.
			const jobs = nodeItems(outcome.run, 'Run component and wait');
			expect(typeof jobs[0].dateCreated).toBe(form === 'iso' ? 'string' : 'number');
			const results = nodeItems(outcome.run, 'Collect output');
			const hostnames = world.filter.deviceUids.map((uid) => sim.state.device(uid)!.hostname).sort();
			expect(results.map((r) => r.hostname).sort()).toEqual(hostnames);
			for (const r of results) {
				expect(r).toEqual(expect.objectContaining({ status: 'Success', timedOut: false, stderr: '' }));
				expect(String(r.stdout)).toContain(`on ${r.hostname}`);
			}
			const started = sim.state.jobs.filter((j) => j.componentUid === world.componentUid && j.name === 'n8n: Check Disk Health');
			expect(started.length).toBeGreaterThanOrEqual(world.filter.deviceUids.length);
		});

		test('copy a value from another system into a device UDF: the simulator holds the new values', async () => {
			const outcome = await executeWorkflow(env.instance, EXAMPLE_IDS.syncUdf);
			expectSuccess(outcome);
			const known = world.udfRecords.filter((r) => sim.state.devices.some((d) => d.hostname === r.hostname));
			expect(known.length).toBe(world.udfRecords.length - 1);
			expect(nodeItems(outcome.run, 'Write asset tag to UDF 5')).toHaveLength(known.length);
			for (const record of known) {
				const device = sim.state.devices.find((d) => d.hostname === record.hostname)!;
				expect(device.udf[EXAMPLE_UDF]).toBe(record.assetTag);
			}
		});

		test('reboot-required report: exactly the devices that need a reboot, sorted by site', async () => {
			const outcome = await executeWorkflow(env.instance, EXAMPLE_IDS.rebootReport);
			expectSuccess(outcome);
			const rows = nodeItems(outcome.run, 'Sort by site');
			const expected = sim.state.devices.filter((d) => d.rebootRequired).map((d) => d.uid).sort();
			expect(rows.map((r) => r.deviceUid).sort()).toEqual(expected);
			const sites = rows.map((r) => String(r.site));
			expect(sites).toEqual([...sites].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
			expect(rows[0]).toEqual(expect.objectContaining({ lastReboot: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) }));
		});
	});
});
