/**
 * End to end in real n8n (`n8n start`, the packed package installed as a community package): the
 * example workflow examples/alert-webhook-to-ticket.json (Datto RMM Webhook Trigger, Critical and
 * High, Fetch the Alert → Raised or resolved? → Create ticket / Close ticket), published through
 * n8n's REST API, receives the simulator's alert webhooks:
 *   - an alert opened, then resolved, in the simulator's world (/__sim/world) starts exactly one
 *     execution each, down the right branch, with the alert as Alert > Get returns it;
 *   - a forged delivery (wrong or missing secret) is answered 401 and starts none; broken bodies
 *     are answered 400 (422 from n8n's own parser for malformed JSON); a Low alert and a repeated
 *     delivery are answered 200 and start none;
 *   - the example as shipped (no secret) cannot be published: n8n reports the trigger's message.
 */
import { DattoSimulator } from '../simulator/index.cjs';
import type { WebhookDelivery } from '../simulator/webhooks.cjs';
import { WEBHOOK_EXAMPLE, loadExamples, prepareExample, simulatorCredential, webhookExampleUrl } from '../../scripts/e2e-examples.cjs';
import { N8nRestClient, importCredentials, importWorkflows, startN8nServer, type N8nServer, type WorkflowJson } from '../../scripts/n8n-env.cjs';
import { SETUP_TIMEOUT_MS, finishedExecutions, instanceWithPackage, publication, publish, report, runDataOf, simControl, type E2eInstance, type RunData } from './helpers.cjs';

const CREDENTIAL = { id: 'e2eWebhookCred', name: 'Datto RMM' };
const SECRET = 'e2e-webhook-secret-9b3f6a1d2c8e4705';
/** Copies of the example that must not go live: as shipped (no Secret), and with a short one. */
const NO_SECRET = { id: 'DattoExWebhookNoSecret', secret: '', webhookId: '7e6d5c4b-3a29-4180-8f7e-6d5c4b3a2918' };
const SHORT_SECRET = { id: 'DattoExWebhookShortSecret', secret: 'too-short', webhookId: '8f7e6d5c-4b3a-4291-8f7e-6d5c4b3a2919' };

describe('real n8n: the Datto RMM Webhook Trigger receives the simulator\'s alert webhooks', () => {
	let sim: DattoSimulator;
	let env: E2eInstance;
	let server: N8nServer;
	let rest: N8nRestClient;
	let workflow: WorkflowJson;
	let url: string;

	const finished = (count: number) => finishedExecutions(rest, count, { workflowId: WEBHOOK_EXAMPLE.id });

	/** The simulator's deliveries once every one has its answer. */
	async function deliveries(): Promise<WebhookDelivery[]> {
		await sim.webhooks.settled();
		const answer = await fetch(`${sim.url}/__sim/webhooks`).then((r) => r.json() as Promise<{ deliveries: WebhookDelivery[] }>);
		return answer.deliveries;
	}

	async function world(body: Record<string, unknown>): Promise<Record<string, unknown>> {
		const response = await fetch(`${sim.url}/__sim/world`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		if (!response.ok) throw new Error(`/__sim/world answered ${response.status}`);
		return (await response.json()) as Record<string, unknown>;
	}

	async function post(body: string, options: { query?: string; contentType?: string } = {}): Promise<{ status: number; text: string }> {
		const target = new URL(url);
		if (options.query !== undefined) target.search = options.query;
		const response = await fetch(target, { method: 'POST', headers: { 'content-type': options.contentType ?? 'application/json' }, body });
		return { status: response.status, text: await response.text() };
	}

	beforeAll(async () => {
		env = await instanceWithPackage('webhook');
		sim = await DattoSimulator.start({});
		const example = loadExamples().find((e) => e.workflow.id === WEBHOOK_EXAMPLE.id)!.workflow;
		workflow = prepareExample(example, { credentialId: CREDENTIAL.id, credentialName: CREDENTIAL.name, webhookSecret: SECRET });
		const copies = [NO_SECRET, SHORT_SECRET].map((c) => {
			const copy = prepareExample(example, { credentialId: CREDENTIAL.id, credentialName: CREDENTIAL.name, id: c.id, webhookSecret: c.secret });
			copy.name = `e2e: ${c.id}`;
			for (const n of copy.nodes) if (n.webhookId) n.webhookId = c.webhookId;
			return copy;
		});
		await importCredentials(env.instance, [simulatorCredential(sim, CREDENTIAL.id, CREDENTIAL.name)]);
		await importWorkflows(env.instance, [workflow, ...copies]);
		const started = Date.now();
		server = await startN8nServer(env.instance);
		report(`e2e: n8n start ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${server.url}`);
		rest = new N8nRestClient(server.url);
		await rest.signIn();
		url = webhookExampleUrl(workflow, server.url, SECRET).split('?')[0];
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await server?.stop();
		await sim?.close();
		env?.cleanup();
	});

	test('the example as shipped (no Secret) cannot be published: n8n names the required parameter', async () => {
		const answer = await publish(rest, NO_SECRET.id);
		report(`e2e: publishing the example without a secret → ${answer.status}: ${answer.message.replace(/\s+/g, ' ')}`);
		expect(answer.status).toBe(400);
		expect(answer.message).toMatch(/required parameters: secret/);
	});

	test("with a short Secret, publishing fails with the trigger's message and its URL stays unregistered", async () => {
		expect((await publish(rest, SHORT_SECRET.id)).status).toBe(200);
		const status = await publication(rest, SHORT_SECRET.id);
		report(`e2e: publishing with a short secret → ${JSON.stringify(status)}`);
		expect(status.status).toBe('failed');
		expect(status.triggers.map((t) => t.errorMessage)).toEqual(['The "Secret" must have at least 16 characters']);
		const short = prepareExample(loadExamples().find((e) => e.workflow.id === WEBHOOK_EXAMPLE.id)!.workflow, { credentialId: CREDENTIAL.id, credentialName: CREDENTIAL.name });
		for (const n of short.nodes) if (n.webhookId) n.webhookId = SHORT_SECRET.webhookId;
		const answer = await fetch(webhookExampleUrl(short, server.url, SHORT_SECRET.secret), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(answer.status).toBe(404);
	}, 180_000);

	test('published, it starts exactly one execution for an alert opened and one for it resolved; nothing else starts one', async () => {
		expect((await publish(rest, WEBHOOK_EXAMPLE.id)).status).toBe(200);
		expect((await publication(rest, WEBHOOK_EXAMPLE.id)).status).toBe('published');
		await simControl(sim, 'webhooks', { url: webhookExampleUrl(workflow, server.url, SECRET) });
		try {
			// Opened, in the world: one execution.
			const device = sim.state.devices.find((d) => d.deviceClass === 'device' && !d.deleted)!;
			const opened = await world({ action: 'openAlert', deviceUid: device.uid, priority: 'Critical', diagnostics: 'Disk C: is 97% full' });
			const alertUid = String(opened.alertUid);
			const first = await finished(1);
			expect((await deliveries()).map((d) => [d.event, d.alertUid, d.status])).toEqual([['raised', alertUid, 200]]);

			// Not started: a repeated delivery, a Low alert (filtered before any API request), forged and broken deliveries.
			await simControl(sim, 'webhooks/redeliver', {});
			const low = await world({ action: 'openAlert', deviceUid: device.uid, priority: 'Low' });
			const body = JSON.stringify({ event: 'opened', alertUid });
			const refused = {
				noSecret: await post(body),
				wrongSecret: await post(body, { query: '?secret=e2e-webhook-secret-9b3f6a1d2c8e4700' }),
				notJson: await post('Alert on PC-0042', { query: `?secret=${SECRET}`, contentType: 'text/plain' }),
				malformed: await post('{"event": "opened",', { query: `?secret=${SECRET}` }),
				noUid: await post(JSON.stringify({ event: 'opened' }), { query: `?secret=${SECRET}` }),
				tooLarge: await post(JSON.stringify({ event: 'opened', alertUid, padding: 'x'.repeat(70 * 1024) }), { query: `?secret=${SECRET}` }),
			};
			report(`e2e: refused deliveries → ${Object.entries(refused).map(([k, v]) => `${k} ${v.status}`).join(', ')}`);
			expect(Object.fromEntries(Object.entries(refused).map(([k, v]) => [k, v.status]))).toEqual({
				noSecret: 401,
				wrongSecret: 401,
				notJson: 400,
				malformed: 422,
				noUid: 400,
				tooLarge: 400,
			});
			expect(refused.noUid.text).toContain('alertUid');
			for (const answer of Object.values(refused)) expect(answer.text).not.toContain(SECRET);
			const afterRefusals = await deliveries();
			const copy = afterRefusals.find((d) => d.copyOf !== undefined)!;
			expect([copy.status, JSON.parse(copy.answer!).started]).toEqual([200, false]);
			const lowDelivery = afterRefusals.find((d) => d.alertUid === low.alertUid)!;
			expect([lowDelivery.status, JSON.parse(lowDelivery.answer!).started]).toEqual([200, false]);
			expect(sim.log.some((r) => r.path === `/api/v2/alert/${String(low.alertUid)}`)).toBe(false);
			expect(await finished(1)).toHaveLength(1);

			// Resolved, in the world: one more.
			await world({ action: 'resolveAlert', alertUid });
			const all = await finished(2);
			report(`e2e: webhook trigger → ${all.length} executions (${all.map((e) => `${e.mode}:${e.status}`).join(', ')}) for ${(await deliveries()).length} deliveries`);
			expect(all).toHaveLength(2);
			expect(all[0].id).toBe(first[0].id);
			for (const e of all) expect(e).toEqual(expect.objectContaining({ mode: 'webhook', status: 'success' }));

			const [openedRun, resolvedRun] = await Promise.all(all.map((e) => runDataOf(rest, e.id)));
			const itemOf = (run: RunData, node: string) => run.resultData.runData[node]?.[0]?.data?.main?.[0]?.[0]?.json;
			expect(itemOf(openedRun, WEBHOOK_EXAMPLE.triggerName)).toEqual(expect.objectContaining({ event: 'opened', alertUid, priority: 'Critical', diagnostics: 'Disk C: is 97% full', timestampIso: expect.any(String) }));
			expect(Object.keys(openedRun.resultData.runData)).toContain('Create ticket');
			expect(Object.keys(openedRun.resultData.runData)).not.toContain('Close ticket');
			expect(itemOf(resolvedRun, WEBHOOK_EXAMPLE.triggerName)).toEqual(expect.objectContaining({ event: 'resolved', alertUid, resolved: true }));
			expect(Object.keys(resolvedRun.resultData.runData)).toContain('Close ticket');
			expect(Object.keys(resolvedRun.resultData.runData)).not.toContain('Create ticket');
		} finally {
			await rest.expectOk('POST', `/rest/workflows/${WEBHOOK_EXAMPLE.id}/deactivate`, {});
		}
	}, 300_000);
});
