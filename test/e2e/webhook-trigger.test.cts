/**
 * End to end in real n8n (`n8n start` with NODE_ENV=production and N8N_PAYLOAD_SIZE_MAX=1, the
 * packed package installed as a community package), two workflows published through n8n's REST
 * API and fed by the simulator's alert webhooks (as Datto sends them, the secret in the URL) and
 * by direct deliveries (the secret in the x-webhook-secret header, as a proxy sends it):
 *   - examples/alert-webhook-to-ticket.json (Critical and High, Fetch the Alert): an alert opened
 *     and resolved starts one execution each; a copy, a Low alert, a copy while Datto is slow, a
 *     failed enrichment (Datto answering 500) and its retry each get the documented answer;
 *   - a trigger of "Alert Resolved" only, without Enrich: every other documented answer (not an
 *     event of the trigger, 401, 400, 413, n8n's own 422 and its 500 for a body over its limit);
 *   - every answer checked by status, content-type and body (docs/webhook-trigger.md, "Answers");
 *   - the secret (a Datto RMM Webhook Secret API credential) appears nowhere n8n keeps or shows
 *     anything: the saved workflows, every execution (good and failed, with its error), the
 *     credential as the REST API shows it, a workflow export, the database file, n8n's log at
 *     debug level; refusals wrote one log line, not one per refusal;
 *   - the example as shipped (no secret credential) cannot be published, nor with a short secret;
 *   - restarted without NODE_ENV=production, n8n's own 500 carries a stack trace (why the docs
 *     ask for production).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

import { CREDENTIAL_BLANKING_VALUE } from 'n8n-workflow';

import { DattoSimulator } from '../simulator/index.cjs';
import type { WebhookDelivery } from '../simulator/webhooks.cjs';
import {
	WEBHOOK_EXAMPLE,
	WEBHOOK_SECRET_CREDENTIAL_TYPE,
	loadExamples,
	prepareExample,
	simulatorCredential,
	webhookExampleUrl,
	webhookSecretCredential,
} from '../../scripts/e2e-examples.cjs';
import { N8nRestClient, importCredentials, importWorkflows, n8nCli, startN8nServer, type N8nServer, type WorkflowJson } from '../../scripts/n8n-env.cjs';
import {
	SETUP_TIMEOUT_MS,
	executions,
	finishedExecutions,
	instanceWithPackage,
	publication,
	publish,
	publishAndWait,
	report,
	runDataOf,
	simControl,
	type E2eInstance,
	type RunData,
} from './helpers.cjs';

const CREDENTIAL = { id: 'e2eWebhookCred', name: 'Datto RMM' };
const SECRET = 'e2e-webhook-secret-9b3f6a1d2c8e4705';
const SECRET_CREDENTIAL = { id: 'e2eWebhookSecret', name: 'Datto RMM webhook secret' };
const SHORT_CREDENTIAL = { id: 'e2eWebhookShortSecret', name: 'Datto RMM webhook secret (short)' };
/** Copies of the example that must not go live: as shipped (no secret credential), and with a short secret. */
const NO_SECRET = { id: 'DattoExWebhookNoSecret', webhookId: '7e6d5c4b-3a29-4180-8f7e-6d5c4b3a2918' };
const SHORT_SECRET = { id: 'DattoExWebhookShortSecret', webhookId: '8f7e6d5c-4b3a-4291-8f7e-6d5c4b3a2919' };
/** A trigger of resolved alerts only, without Enrich. */
const PLAIN = { id: 'DattoE2eWebhookPlain', webhookId: '9a8f7e6d-5c4b-4a39-8f7e-6d5c4b3a2920' };

const JSON_TYPE = 'application/json; charset=utf-8';
const N8N_ENV = { NODE_ENV: 'production', N8N_PAYLOAD_SIZE_MAX: '1', N8N_LOG_LEVEL: 'debug' };

interface Answer {
	status: number;
	contentType: string;
	retryAfter?: string;
	body: unknown;
}

/** An answer as the e2e compares it: status, content-type, retry-after when present, parsed body. */
function answerOf(status: number | undefined, contentType: string | null | undefined, text: string | undefined, retryAfter?: string | null): Answer {
	let body: unknown = text;
	try {
		body = JSON.parse(text ?? '');
	} catch {
		// not JSON: kept as text
	}
	return { status: status ?? 0, contentType: contentType ?? '', ...(retryAfter ? { retryAfter } : {}), body };
}

const started = (alertUid: string, event = 'opened'): Answer => ({ status: 200, contentType: JSON_TYPE, body: { started: true, event, alertUid } });
const notStarted = (reason: string): Answer => ({ status: 200, contentType: JSON_TYPE, body: { started: false, reason } });
const DUPLICATE = notStarted('duplicate: this delivery already started the workflow');
const IN_FLIGHT: Answer = {
	status: 503,
	contentType: JSON_TYPE,
	retryAfter: '10',
	body: { started: false, error: 'A copy of this delivery is being handled right now: retry later', retryAfterSeconds: 10 },
};
const ENRICH_FAILED: Answer = { status: 500, contentType: JSON_TYPE, body: { code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' } };
const refused = (status: number, error: string): Answer => ({ status, contentType: JSON_TYPE, body: { error } });
const UNAUTHORIZED = refused(401, "Unauthorized: send the trigger's secret in an x-webhook-secret header, or at the end of the URL as ?secret=");

function plainWorkflow(): WorkflowJson {
	return {
		id: PLAIN.id,
		name: 'e2e: Datto RMM Webhook Trigger, resolved alerts only',
		active: false,
		nodes: [
			{
				id: randomUUID(),
				name: WEBHOOK_EXAMPLE.triggerName,
				type: 'n8n-nodes-datto-rmm.dattoRmmWebhookTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: PLAIN.webhookId,
				parameters: { events: ['resolved'], enrich: 'none' },
				credentials: { [WEBHOOK_SECRET_CREDENTIAL_TYPE]: SECRET_CREDENTIAL },
			},
			{ id: randomUUID(), name: 'Next', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { [WEBHOOK_EXAMPLE.triggerName]: { main: [[{ node: 'Next', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

describe("real n8n: the Datto RMM Webhook Trigger receives the simulator's alert webhooks", () => {
	let sim: DattoSimulator;
	let env: E2eInstance;
	let server: N8nServer;
	let rest: N8nRestClient;
	let workflow: WorkflowJson;
	/** Every line n8n printed (its log at debug level), across restarts. */
	const logLines: string[] = [];

	const finished = (count: number) => finishedExecutions(rest, count, { workflowId: WEBHOOK_EXAMPLE.id });

	async function start(extraEnv: Record<string, string>): Promise<void> {
		const began = Date.now();
		server = await startN8nServer(env.instance, { env: extraEnv, onLine: (line) => logLines.push(line) });
		report(`e2e: n8n start (${JSON.stringify(extraEnv)}) ready in ${((Date.now() - began) / 1000).toFixed(1)} s at ${server.url}`);
		rest = new N8nRestClient(server.url);
		await rest.signIn();
	}

	/** The simulator's deliveries once every one has its answer. */
	async function deliveries(): Promise<WebhookDelivery[]> {
		await sim.webhooks.settled();
		const answer = await fetch(`${sim.url}/__sim/webhooks`).then((r) => r.json() as Promise<{ deliveries: WebhookDelivery[] }>);
		return answer.deliveries;
	}

	const answered = (d: WebhookDelivery): Answer => answerOf(d.status, d.contentType, d.answer, d.retryAfter);

	async function world(body: Record<string, unknown>): Promise<Record<string, unknown>> {
		const response = await fetch(`${sim.url}/__sim/world`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		if (!response.ok) throw new Error(`/__sim/world answered ${response.status}`);
		return (await response.json()) as Record<string, unknown>;
	}

	/** Posts to the resolved-only trigger; `secret` goes in the x-webhook-secret header. */
	async function postPlain(body: string | Buffer, options: { secret?: string; query?: string; contentType?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
		const target = new URL(`${server.url}/webhook/${PLAIN.webhookId}/${WEBHOOK_EXAMPLE.path}`);
		if (options.query !== undefined) target.search = options.query;
		const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json', ...options.headers };
		if (options.secret !== undefined) headers['x-webhook-secret'] = options.secret;
		const response = await fetch(target, { method: 'POST', headers, body });
		return answerOf(response.status, response.headers.get('content-type'), await response.text(), response.headers.get('retry-after'));
	}

	beforeAll(async () => {
		env = await instanceWithPackage('webhook');
		sim = await DattoSimulator.start({});
		const example = loadExamples().find((e) => e.workflow.id === WEBHOOK_EXAMPLE.id)!.workflow;
		const common = { credentialId: CREDENTIAL.id, credentialName: CREDENTIAL.name };
		workflow = prepareExample(example, { ...common, webhookSecretCredential: SECRET_CREDENTIAL });
		const copies = [
			{ ...NO_SECRET, workflow: prepareExample(example, { ...common, id: NO_SECRET.id }) },
			{ ...SHORT_SECRET, workflow: prepareExample(example, { ...common, id: SHORT_SECRET.id, webhookSecretCredential: SHORT_CREDENTIAL }) },
		].map((c) => {
			c.workflow.name = `e2e: ${c.id}`;
			for (const n of c.workflow.nodes) if (n.webhookId) n.webhookId = c.webhookId;
			return c.workflow;
		});
		await importCredentials(env.instance, [
			simulatorCredential(sim, CREDENTIAL.id, CREDENTIAL.name),
			webhookSecretCredential(SECRET_CREDENTIAL.id, SECRET_CREDENTIAL.name, SECRET),
			webhookSecretCredential(SHORT_CREDENTIAL.id, SHORT_CREDENTIAL.name, 'too-short'),
		]);
		await importWorkflows(env.instance, [workflow, plainWorkflow(), ...copies]);
		await start(N8N_ENV);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await server?.stop();
		await sim?.close();
		env?.cleanup();
	});

	test('the example as shipped (no secret credential) cannot be published: n8n names the missing credential', async () => {
		const answer = await publish(rest, NO_SECRET.id);
		report(`e2e: publishing the example without a secret credential → ${answer.status}: ${answer.message.replace(/\s+/g, ' ')}`);
		expect(answer.status).toBe(400);
		expect(answer.message).toContain('Missing required credential: dattoRmmWebhookSecretApi');
	});

	test("with a short secret, publishing fails with the trigger's message and its URL stays unregistered", async () => {
		expect((await publish(rest, SHORT_SECRET.id)).status).toBe(200);
		const status = await publication(rest, SHORT_SECRET.id);
		report(`e2e: publishing with a short secret → ${JSON.stringify(status)}`);
		expect(status.status).toBe('failed');
		expect(status.triggers.map((t) => t.errorMessage)).toEqual(['The Datto RMM Webhook Secret must have at least 16 characters']);
		const answer = await fetch(`${server.url}/webhook/${SHORT_SECRET.webhookId}/${WEBHOOK_EXAMPLE.path}?secret=too-short`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(answer.status).toBe(404);
	}, 180_000);

	test("the editor's credential test checks the secret's length; the REST API never shows the stored secret", async () => {
		const test = (secret: string) =>
			rest.expectOk<{ status: string; message: string }>('POST', '/rest/credentials/test', {
				credentials: { id: SECRET_CREDENTIAL.id, name: SECRET_CREDENTIAL.name, type: WEBHOOK_SECRET_CREDENTIAL_TYPE, data: { secret } },
			});
		expect(await test('short')).toEqual({ status: 'Error', message: 'The Datto RMM Webhook Secret must have at least 16 characters' });
		expect(await test(CREDENTIAL_BLANKING_VALUE)).toEqual({ status: 'OK', message: 'The secret is long enough' });
		const shown = await rest.request('GET', `/rest/credentials/${SECRET_CREDENTIAL.id}?includeData=true`);
		expect(shown.status).toBe(200);
		expect(JSON.stringify(shown.body)).not.toContain(SECRET);
	});

	test('published, the example answers every delivery as documented and starts each alert exactly once', async () => {
		await publishAndWait(rest, WEBHOOK_EXAMPLE.id);
		// As Datto sends it: the secret at the end of the URL.
		await simControl(sim, 'webhooks', { url: webhookExampleUrl(workflow, server.url, SECRET) });
		try {
			const device = sim.state.devices.find((d) => d.deviceClass === 'device' && !d.deleted)!;
			// Started, then a copy of it: a duplicate.
			const opened = String((await world({ action: 'openAlert', deviceUid: device.uid, priority: 'Critical', diagnostics: 'Disk C: is 97% full' })).alertUid);
			await finished(1);
			await simControl(sim, 'webhooks/redeliver', {});
			// Filtered on the body's priority (no API request).
			const low = String((await world({ action: 'openAlert', deviceUid: device.uid, priority: 'Low' })).alertUid);
			await sim.webhooks.settled();

			// A copy while Datto is slow (in flight: 503), then Datto fails: 500 and a failed
			// execution; Datto's retry starts it; one more copy is a duplicate. The transport
			// retries a 500 twice (Max Retries 2), so Datto fails three times.
			const alertPath = /^\/api\/v2\/alert\//;
			sim.inject({ path: alertPath, delayMs: 4000, status: 500, times: 1 });
			sim.inject({ path: alertPath, status: 500, times: 2 });
			const slow = String((await world({ action: 'openAlert', deviceUid: device.uid, priority: 'High' })).alertUid);
			while (!sim.log.some((r) => r.path === `/api/v2/alert/${slow}`)) await new Promise((resolve) => setTimeout(resolve, 20));
			const firstOfSlow = sim.webhooks.deliveries.length - 1;
			await simControl(sim, 'webhooks/redeliver', { index: firstOfSlow });
			await sim.webhooks.settled();
			await simControl(sim, 'webhooks/redeliver', { index: firstOfSlow });
			await sim.webhooks.settled();
			await simControl(sim, 'webhooks/redeliver', { index: firstOfSlow });

			const all = await deliveries();
			const answers = all.map((d) => [d.event, d.alertUid, answered(d)]);
			report(`e2e: example's answers → ${all.map((d) => `${d.event} ${d.alertUid.slice(0, 8)} ${d.status}`).join(', ')}`);
			expect(answers).toEqual([
				['raised', opened, started(opened)],
				['raised', opened, DUPLICATE],
				['raised', low, notStarted("priority Low is not among the trigger's priorities")],
				['raised', slow, ENRICH_FAILED],
				['raised', slow, IN_FLIGHT],
				['raised', slow, started(slow)],
				['raised', slow, DUPLICATE],
			]);
			expect(sim.log.some((r) => r.path === `/api/v2/alert/${low}`)).toBe(false);

			// Resolved, in the world: one more execution, down the other branch.
			await world({ action: 'resolveAlert', alertUid: opened });
			const runs = await finished(4);
			report(`e2e: example → ${runs.length} executions (${runs.map((e) => `${e.mode}:${e.status}`).join(', ')}) for ${(await deliveries()).length} deliveries`);
			expect(runs.map((e) => e.status)).toEqual(['success', 'error', 'success', 'success']);
			for (const e of runs) expect(e.mode).toBe('webhook');

			const [openedRun, failedRun, slowRun, resolvedRun] = await Promise.all(runs.map((e) => runDataOf(rest, e.id)));
			const itemOf = (run: RunData, node: string) => run.resultData.runData[node]?.[0]?.data?.main?.[0]?.[0]?.json;
			expect(itemOf(openedRun, WEBHOOK_EXAMPLE.triggerName)).toEqual(expect.objectContaining({ event: 'opened', alertUid: opened, priority: 'Critical', diagnostics: 'Disk C: is 97% full', timestampIso: expect.any(String) }));
			expect(Object.keys(openedRun.resultData.runData)).toEqual(expect.arrayContaining(['Create ticket']));
			expect(failedRun.resultData.error?.message).toMatch(/500/);
			expect(itemOf(slowRun, WEBHOOK_EXAMPLE.triggerName)).toEqual(expect.objectContaining({ event: 'opened', alertUid: slow, priority: 'High' }));
			expect(itemOf(resolvedRun, WEBHOOK_EXAMPLE.triggerName)).toEqual(expect.objectContaining({ event: 'resolved', alertUid: opened, resolved: true }));
			expect(Object.keys(resolvedRun.resultData.runData)).toContain('Close ticket');
			expect(Object.keys(resolvedRun.resultData.runData)).not.toContain('Create ticket');
		} finally {
			await simControl(sim, 'webhooks', { url: '' });
		}
	}, 300_000);

	test('a trigger of resolved alerts only: not an event of it, refusals, and n8n\'s own answers, as documented', async () => {
		await publishAndWait(rest, PLAIN.id);
		const uid = '5d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a';
		const delivery = (event: string) => JSON.stringify({ event, alertUid: uid, priority: 'High' });
		const answers = {
			notAnEvent: await postPlain(delivery('opened'), { secret: SECRET }),
			started: await postPlain(delivery('resolved'), { secret: SECRET }),
			startedInUpperCase: await postPlain(delivery('resolved').replace(uid, uid.toUpperCase()), { query: `?secret=${SECRET}` }),
			noSecret: await postPlain(delivery('resolved')),
			wrongSecret: await postPlain(delivery('resolved'), { query: '?secret=e2e-webhook-secret-9b3f6a1d2c8e4700' }),
			notJson: await postPlain('Alert on PC-0042', { secret: SECRET, contentType: 'text/plain' }),
			noUid: await postPlain(JSON.stringify({ event: 'resolved' }), { secret: SECRET }),
			overMaxBodySize: await postPlain(JSON.stringify({ event: 'resolved', alertUid: uid, padding: 'x'.repeat(70 * 1024) }), { secret: SECRET }),
			malformed: await postPlain('{"event": "resolved",', { secret: SECRET }),
			overN8nLimit: await postPlain(Buffer.alloc(2 * 1024 * 1024, 0x20), { secret: SECRET }),
			gzipBomb: await postPlain(gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20)), { secret: SECRET, headers: { 'content-encoding': 'gzip' } }),
		};
		report(`e2e: resolved-only trigger's answers → ${Object.entries(answers).map(([k, v]) => `${k} ${v.status}`).join(', ')}`);
		const tooLarge = Buffer.byteLength(JSON.stringify({ event: 'resolved', alertUid: uid, padding: 'x'.repeat(70 * 1024) }));
		// n8n reads the body (gunzipped) before the trigger runs; past N8N_PAYLOAD_SIZE_MAX it fails the request.
		const n8nTooLarge = { status: 500, contentType: JSON_TYPE, body: { code: 0, message: 'There was a problem executing the workflow' } };
		expect(answers).toEqual({
			notAnEvent: notStarted('"opened" is not among the trigger\'s events'),
			started: started(uid, 'resolved'),
			startedInUpperCase: DUPLICATE,
			noSecret: UNAUTHORIZED,
			wrongSecret: UNAUTHORIZED,
			notJson: refused(400, 'The body is not JSON: paste the body shown in the trigger into the Datto RMM webhook'),
			noUid: refused(400, 'The body has no "alertUid": add "alertUid": "[alert_uid]" to the Datto RMM webhook body'),
			overMaxBodySize: refused(413, `The body has ${tooLarge} bytes, more than the 65536 this trigger accepts (Options > Max Body Size)`),
			malformed: { status: 422, contentType: JSON_TYPE, body: { code: 422, message: 'Failed to parse request body', hint: expect.any(String) } },
			overN8nLimit: n8nTooLarge,
			gzipBomb: n8nTooLarge,
		});
		const runs = await finishedExecutions(rest, 1, { workflowId: PLAIN.id });
		expect(runs.map((e) => e.status)).toEqual(['success']);
		await rest.expectOk('POST', `/rest/workflows/${PLAIN.id}/deactivate`, {});
	}, 180_000);

	test('the secret appears nowhere n8n keeps or shows anything; refusals wrote one log line', async () => {
		const found: string[] = [];
		const look = (where: string, text: string) => {
			if (text.includes(SECRET)) found.push(where);
		};
		// The saved workflows, as the editor reads them.
		for (const id of [WEBHOOK_EXAMPLE.id, PLAIN.id, NO_SECRET.id, SHORT_SECRET.id]) look(`workflow ${id}`, JSON.stringify((await rest.request('GET', `/rest/workflows/${id}`)).body));
		// Every execution, whole: its workflow, run data and error.
		const all = await executions(rest);
		expect(all.map((e) => e.status).sort()).toEqual(['error', 'success', 'success', 'success', 'success']);
		for (const e of all) {
			const detail = await rest.expectOk<{ data: string; workflowData: unknown }>('GET', `/rest/executions/${e.id}`);
			look(`execution ${e.id}`, JSON.stringify(detail));
		}
		const failed = all.find((e) => e.status === 'error')!;
		// The failed execution holds the error and the node with its credentials (by id and name).
		const failedRun = await runDataOf(rest, failed.id);
		expect(failedRun.resultData.error?.message).toMatch(/500/);
		expect(JSON.stringify(await rest.expectOk('GET', `/rest/executions/${failed.id}`))).toContain(SECRET_CREDENTIAL.id);
		// An export of every workflow, and n8n's database file itself (the credential is encrypted).
		const exportFile = path.join(env.scratch, 'export-workflows.json');
		const exported = await n8nCli(env.instance, ['export:workflow', '--all', `--output=${exportFile}`]);
		expect(exported.code).toBe(0);
		look('workflow export', fs.readFileSync(exportFile, 'utf8'));
		const databaseDir = path.join(env.instance.userFolder, '.n8n');
		const databaseFiles = fs.readdirSync(databaseDir).filter((f) => f.startsWith('database.sqlite'));
		expect(databaseFiles).toContain('database.sqlite');
		const database = databaseFiles.map((f) => fs.readFileSync(path.join(databaseDir, f)).toString('latin1'));
		databaseFiles.forEach((f, i) => look(`database file ${f}`, database[i]));
		// The search does find what n8n stores in plain text: the trigger's webhook id and credential's name.
		expect(database.join('')).toContain(PLAIN.webhookId);
		expect(database.join('')).toContain(SECRET_CREDENTIAL.name);
		// n8n's log, at debug level: it did log the webhook requests and the failed execution.
		const log = logLines.join('\n');
		expect(log).toMatch(/Received webhook "POST" for path/);
		look('n8n log', log);
		report(`e2e: searched 4 workflows, ${all.length} executions, an export, ${databaseFiles.length} database files and ${logLines.length} log lines for the secret`);
		expect(found).toEqual([]);
		// Two 401s, two 400s and a 413 to one trigger within a minute: one line.
		expect(logLines.filter((l) => l.includes('Datto RMM Webhook Trigger refused a delivery'))).toHaveLength(1);
	}, 180_000);

	test('without NODE_ENV=production, n8n adds a stack trace to its own 500 answers', async () => {
		await server.stop();
		await start({ N8N_PAYLOAD_SIZE_MAX: '1' });
		await publishAndWait(rest, PLAIN.id);
		const answer = await postPlain(Buffer.alloc(2 * 1024 * 1024, 0x20), { secret: SECRET });
		report(`e2e: n8n in development mode → ${answer.status} ${JSON.stringify(answer.body).slice(0, 160)}…`);
		expect(answer).toEqual({
			status: 500,
			contentType: JSON_TYPE,
			body: { code: 0, message: 'There was a problem executing the workflow', stacktrace: expect.stringMatching(/^Error: There was a problem executing the workflow\n\s+at .*webhook-helpers/) },
		});
	}, 180_000);
});
