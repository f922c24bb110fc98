/**
 * Real n8n 2.41 in queue mode, as MSPs scale it out: `n8n start` plus two `n8n worker` processes,
 * Redis and PostgreSQL started by scripts/queue-env.cts, the packed package installed once in the
 * user folder they share. Several activated workflows (Return All, an item fan-out, a mixed one)
 * are started together through their webhooks and run on the workers against one simulated Datto
 * account with Datto's live rate model on a 5-second window (60 s / 12). Each worker has its own
 * request governor; they only see each other through Datto's request_rate.
 *
 * It asserts: every execution ran on a worker and succeeded; the account saw no IP block and no
 * 429 and stayed under Datto's slow-down line; token exchanges ≤ the number of processes.
 */
import { randomUUID } from 'node:crypto';

import { DattoSimulator } from '../simulator/index.cjs';
import { CREDENTIAL_TYPE, NODE_TYPE, N8nRestClient, importCredentials, importWorkflows, startN8nServer, type N8nServer, type WorkflowJson, type WorkflowNode } from '../../scripts/n8n-env.cjs';
import { startN8nWorker, startQueueServices, type QueueServices } from '../../scripts/queue-env.cjs';
import { SETUP_TIMEOUT_MS, finishedExecutions, instanceWithPackage, publishAndWait, report, simStats, type E2eInstance } from './helpers.cjs';

const CREDENTIAL = { id: 'queueDattoCred', name: 'Datto RMM (queue)' };
const TIME_SCALE = 12;
const LIMIT = 600;
const SLOW_LINE = LIMIT * 0.9;

function webhook(path: string): WorkflowNode {
	return {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived' },
	};
}

function datto(name: string, x: number, parameters: Record<string, unknown>): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
	};
}

/** Webhook → the given Datto RMM nodes, one after another. */
function chain(id: string, path: string, steps: WorkflowNode[]): WorkflowJson {
	const nodes = [webhook(path), ...steps];
	const connections: Record<string, unknown> = {};
	for (let i = 0; i + 1 < nodes.length; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name: `queue: ${path}`, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

const WORKFLOWS = [
	chain('QueueReturnAll', 'queue-return-all', [datto('All devices', 200, { resource: 'device', operation: 'getMany', returnAll: true })]),
	chain('QueueFanOut', 'queue-fan-out', [
		datto('Some devices', 200, { resource: 'device', operation: 'getMany', returnAll: false, limit: 400 }),
		datto('Each device', 400, { resource: 'device', operation: 'get', deviceUid: { __rl: true, mode: 'id', value: '={{ $json.uid }}' } }),
	]),
	chain('QueueMixed', 'queue-mixed', [
		datto('Open alerts', 200, { resource: 'alert', operation: 'getMany', returnAll: true }),
		// Once, not once per alert: then the devices of each site.
		{ ...datto('Sites', 400, { resource: 'site', operation: 'getMany', returnAll: true, options: {} }), executeOnce: true },
		datto('Devices of each site', 600, { resource: 'device', operation: 'getMany', scope: 'site', siteUid: { __rl: true, mode: 'id', value: '={{ $json.uid }}' }, returnAll: true }),
	]),
];

describe('real n8n in queue mode: main + two workers, Redis, PostgreSQL, one Datto account', () => {
	let services: QueueServices;
	let sim: DattoSimulator;
	let env: E2eInstance;
	let main: N8nServer;
	const workers: N8nServer[] = [];
	let rest: N8nRestClient;
	const log = (line: string) => process.stderr.write(`${line}\n`);

	beforeAll(async () => {
		services = await startQueueServices(log);
		report(`e2e: queue mode on ${services.database.kind === 'postgresdb' ? 'PostgreSQL' : 'SQLite (PostgreSQL could not start here)'} and Redis`);
		env = await instanceWithPackage('queue', services.env);
		// Compact devices keep what n8n saves of each execution small; the rate model is Datto's.
		sim = await DattoSimulator.start({ timeScale: TIME_SCALE, compact: true, size: { sites: 20, devices: 5000, openAlerts: 300 } });
		sim.setFaults({ latencyMs: 50 });
		await importCredentials(env.instance, [
			{ id: CREDENTIAL.id, name: CREDENTIAL.name, type: CREDENTIAL_TYPE, data: { platform: 'custom', baseUrl: sim.url, apiKey: sim.apiKey, apiSecret: sim.apiSecret, accessToken: '' } },
		]);
		await importWorkflows(env.instance, WORKFLOWS);
		const started = Date.now();
		main = await startN8nServer(env.instance);
		workers.push(...(await Promise.all([startN8nWorker(env.instance), startN8nWorker(env.instance)])));
		report(`e2e: queue mode ready in ${((Date.now() - started) / 1000).toFixed(1)} s (main ${main.url}, ${workers.length} workers)`);
		rest = new N8nRestClient(main.url);
		await rest.signIn();
		for (const workflow of WORKFLOWS) await publishAndWait(rest, workflow.id);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await Promise.all(workers.map((w) => w.stop()));
		await main?.stop();
		await sim?.close();
		await services?.stop();
		env?.cleanup();
	});

	test('workflows started together run on the workers, succeed, and keep the account safe', async () => {
		await fetch(`${sim.url}/__sim/reset-counters`, { method: 'POST' });
		const calls = WORKFLOWS.flatMap((w) => [w, w]).map((w) => fetch(`${main.url}/webhook/${String(w.nodes[0].parameters.path)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
		const answers = await Promise.all(calls);
		expect(answers.map((a) => a.status)).toEqual(calls.map(() => 200));

		const runs = await finishedExecutions(rest, calls.length, { timeoutMs: 300_000, settleMs: 3000 });
		const stats = await simStats(sim);
		const onWorker = (id: string) => workers.findIndex((w) => w.output().includes(`Worker started execution ${id} `));
		report(
			`e2e: queue mode → ${runs.length} executions (${runs.map((r) => `${r.status}@worker${onWorker(r.id) + 1}`).join(', ')}); ` +
				`${stats.requests} requests, peak window ${stats.peakWindow} of ${LIMIT} (slow-down at ${SLOW_LINE}), ${stats.http429} × 429, ${stats.ipBlocks} IP blocks, ${stats.tokenExchanges} token exchanges`,
		);
		expect(runs).toHaveLength(calls.length);
		for (const run of runs) expect(run.status).toBe('success');
		// Each ran on a worker (the main process only enqueued it).
		for (const run of runs) expect(onWorker(run.id)).toBeGreaterThanOrEqual(0);
		for (const run of runs) expect(main.output()).toContain(`Enqueued execution ${run.id} `);
		expect(new Set(runs.map((r) => onWorker(r.id))).size).toBe(2);

		expect(stats.ipBlocks).toBe(0);
		expect(stats.blockedRequests).toBe(0);
		expect(stats.http429).toBe(0);
		expect(stats.peakWindow).toBeLessThan(SLOW_LINE);
		expect(stats.tokenExchanges).toBeLessThanOrEqual(1 + workers.length);
		// Enough work to need more than one window of the account's allowance.
		expect(stats.requests).toBeGreaterThan(SLOW_LINE);
	}, 600_000);
});
