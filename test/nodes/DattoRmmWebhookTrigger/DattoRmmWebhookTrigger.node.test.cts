/**
 * Datto RMM Webhook Trigger, served the way n8n serves an active workflow's webhook (n8n-core's
 * WebhookContext and WorkflowExecute, real HTTP on loopback: harness/webhook.cts), without
 * enrichment: who gets in (the secret, from its credential), which bodies are refused (400, 413),
 * every answer exactly, duplicates, filters, the refusal log's rate, activation, and the
 * simulator's own alert webhooks raising and resolving alerts end to end.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { findSecrets, N8nTestHarness, runDattoNode, startSimulatedAccount, type SimulatedAccount } from '../../harness/index.cjs';
import { serveWebhookTrigger, ServedWebhookTrigger } from '../../harness/webhook.cjs';
import { simControl } from '../../e2e/helpers.cjs';

const SECRET = 'n8n-test-secret-4f9d2c71a8e3b605';
const UID = '3c7e1a52-9a8b-4f1d-8e2c-0b6a9d4f5e21';
const rl = (value: string) => ({ __rl: true, mode: 'id', value });

function delivery(fields: IDataObject = {}): IDataObject {
	return { event: 'opened', alertUid: UID, priority: 'Critical', message: 'Disk C: is 97% full', siteUid: 'site-1', deviceUid: 'device-1', ...fields };
}

let uidCounter = 0;
/** A fresh alert UID per test, so the process-wide duplicate memory never links two tests. */
function freshUid(): string {
	uidCounter++;
	return `0000${uidCounter.toString(16)}-aaaa-4bbb-8ccc-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
}

/** Serves a trigger with the Datto RMM Webhook Secret API credential `secret` (null: none). */
async function serve(parameters: INodeParameters = {}, harness = new N8nTestHarness(), secret: string | null = SECRET): Promise<ServedWebhookTrigger> {
	return await serveWebhookTrigger({ harness, secret: secret ?? undefined, parameters: { enrich: 'none', ...parameters } });
}

const JSON_TYPE = 'application/json; charset=utf-8';

describe('a delivery with the secret starts the workflow once, with one item', () => {
	let served: ServedWebhookTrigger;
	beforeAll(async () => {
		served = await serve();
	});
	afterAll(async () => await served.close());

	test('the item is what the body carried, plus event and alertUid, and the next node gets it', async () => {
		const uid = freshUid();
		const answer = await served.post(delivery({ alertUid: uid, docUrl: 'https://kb.example.com/disk' }), { secret: SECRET });
		await served.settled();
		expect([answer.status, answer.contentType, answer.text]).toEqual([200, JSON_TYPE, JSON.stringify({ started: true, event: 'opened', alertUid: uid })]);
		const execution = served.executions.at(-1)!;
		expect(execution.items).toEqual([
			{ event: 'opened', alertUid: uid, priority: 'Critical', message: 'Disk C: is 97% full', siteUid: 'site-1', deviceUid: 'device-1', docUrl: 'https://kb.example.com/disk' },
		]);
		expect(execution.run?.status).toBe('success');
		const next = execution.run!.data.resultData.runData.Next[0].data!.main[0]!;
		expect(next.map((i) => i.json)).toEqual(execution.items);
	});

	test('names as other integrations write them (alert_uid, alertUID, alertId, resolvedAlert) are understood', async () => {
		const before = served.executions.length;
		const a = freshUid();
		const b = freshUid();
		const c = freshUid();
		expect((await served.post({ event: 'Raised', alert_uid: a }, { secret: SECRET })).json).toEqual({ started: true, event: 'opened', alertUid: a });
		expect((await served.post({ resolvedAlert: 'true', alertUID: b }, { secret: SECRET })).json).toEqual({ started: true, event: 'resolved', alertUid: b });
		expect((await served.post({ event: 'alert.resolved', alertId: c }, { secret: SECRET })).json).toEqual({ started: true, event: 'resolved', alertUid: c });
		await served.settled();
		expect(served.executions.length - before).toBe(3);
	});

	test('a variable Datto left unfilled is left out of the item and reported', async () => {
		const uid = freshUid();
		await served.post(delivery({ alertUid: uid, siteName: '[site_name]', deviceHostname: ' [device_hostname] ' }), { secret: SECRET });
		await served.settled();
		const item = served.executions.at(-1)!.items[0];
		expect(item).not.toHaveProperty('siteName');
		expect(item).not.toHaveProperty('deviceHostname');
		expect(item.unfilledVariables).toEqual({ siteName: '[site_name]', deviceHostname: '[device_hostname]' });
	});

	test('a JSON body sent as text/plain is read the same way', async () => {
		const uid = freshUid();
		const answer = await served.post(JSON.stringify(delivery({ alertUid: uid })), { secret: SECRET, contentType: 'text/plain', raw: true });
		expect(answer.json).toEqual({ started: true, event: 'opened', alertUid: uid });
	});
});

describe('the secret', () => {
	let served: ServedWebhookTrigger;
	beforeAll(async () => {
		served = await serve();
	});
	afterAll(async () => await served.close());

	const forged: Array<[string, { secret?: string; headers?: Record<string, string>; query?: string }]> = [
		['no secret at all', {}],
		['a wrong secret of the same length', { secret: SECRET.replace(/.$/, 'x') }],
		['the secret with a character missing', { secret: SECRET.slice(0, -1) }],
		['the secret with a character more', { secret: `${SECRET}0` }],
		['the secret in another case', { secret: SECRET.toUpperCase() }],
		['an empty secret', { secret: '' }],
		['a wrong secret in the header', { headers: { 'x-webhook-secret': 'not-the-secret-at-all-1234' } }],
		['a wrong secret in the header, the right one in the URL (the header counts)', { secret: SECRET, headers: { 'x-webhook-secret': 'not-the-secret-at-all-1234' } }],
		['the secret under another query name', { query: `?token=${SECRET}` }],
		['the secret under another header name', { headers: { 'x-secret': SECRET } }],
	];
	test.each(forged)('%s: 401, nothing starts, the answer does not echo the secret', async (_label, options) => {
		const before = served.executions.length;
		const answer = await served.post(delivery({ alertUid: freshUid() }), options);
		await served.settled();
		expect([answer.status, answer.contentType]).toEqual([401, JSON_TYPE]);
		expect(answer.json).toEqual({ error: "Unauthorized: send the trigger's secret in an x-webhook-secret header, or at the end of the URL as ?secret=" });
		expect(answer.text).not.toContain(SECRET);
		expect(served.executions.length).toBe(before);
	});

	test('the x-webhook-secret header works as well as the URL', async () => {
		const answer = await served.post(delivery({ alertUid: freshUid() }), { headers: { 'x-webhook-secret': SECRET } });
		expect(answer.status).toBe(200);
	});

	test('a changed credential takes effect at the next delivery: the old secret is refused', async () => {
		const harness = new N8nTestHarness();
		const credential = harness.addCredential({ secret: SECRET }, { type: 'dattoRmmWebhookSecretApi', name: 'Webhook secret' });
		const rotated = await serveWebhookTrigger({ harness, secretCredential: credential, parameters: { enrich: 'none' } });
		try {
			expect((await rotated.post(delivery({ alertUid: freshUid() }), { secret: SECRET })).status).toBe(200);
			const next = `${SECRET}-rotated`;
			harness.store.patch(credential.id, { secret: next });
			expect((await rotated.post(delivery({ alertUid: freshUid() }), { secret: SECRET })).status).toBe(401);
			expect((await rotated.post(delivery({ alertUid: freshUid() }), { headers: { 'x-webhook-secret': next } })).status).toBe(200);
		} finally {
			await rotated.close();
		}
	});

	test('refusals are logged once a minute per trigger at most, so strangers cannot flood the log', async () => {
		const flooded = await serve();
		const other = await serve();
		try {
			for (let i = 0; i < 40; i++) expect((await flooded.post(delivery({ alertUid: freshUid() }), { secret: `wrong-secret-number-${i}` })).status).toBe(401);
			expect((await flooded.post({ event: 'opened' }, { secret: SECRET })).status).toBe(400);
			expect((await other.post(delivery({ alertUid: freshUid() }), { secret: 'wrong-secret-for-the-other' })).status).toBe(401);
			const warnings = (served: ServedWebhookTrigger) => served.logLines.filter((l) => l.level === 'warn').map((l) => l.message);
			expect(warnings(flooded)).toEqual(['Datto RMM Webhook Trigger refused a delivery (401): without the right secret']);
			expect(warnings(other)).toEqual(['Datto RMM Webhook Trigger refused a delivery (401): without the right secret']);
		} finally {
			await flooded.close();
			await other.close();
		}
	});

	test('a forged delivery is refused before its body is read: a broken body from a stranger is 401, not 400', async () => {
		const answer = await served.post('not json', { contentType: 'text/plain', raw: true, secret: 'wrong-secret-wrong-secret' });
		expect(answer.status).toBe(401);
	});
});

describe('bodies that cannot be a Datto alert webhook: 400 naming the problem, nothing starts', () => {
	let served: ServedWebhookTrigger;
	beforeAll(async () => {
		served = await serve({ options: { maxBodyKb: 1 } });
	});
	afterAll(async () => await served.close());

	const cases: Array<[string, unknown, { contentType?: string; raw?: boolean }, RegExp]> = [
		['not JSON (text/plain)', 'Alert on PC-0042: disk full', { contentType: 'text/plain', raw: true }, /not JSON/],
		['empty', '', { contentType: 'text/plain', raw: true }, /empty/],
		['a JSON array', [delivery()], {}, /not a JSON object/],
		['a JSON string', 'hello', {}, /not a JSON object/],
		['without alertUid', { event: 'opened', priority: 'High' }, {}, /no "alertUid"/],
		['with alertUid left as Datto\'s variable', delivery({ alertUid: '[alert_uid]' }), {}, /did not fill in that variable/],
		['with an alertUid that is no UID', delivery({ alertUid: '../../v2/account' }), {}, /not an alert UID/],
		['without event', { alertUid: UID }, {}, /no "event"/],
		['with an unknown event', delivery({ event: 'acknowledged' }), {}, /"event" is "acknowledged"/],
	];
	test.each(cases)('%s', async (_label, body, options, message) => {
		const before = served.executions.length;
		const answer = await served.post(body, { secret: SECRET, ...options });
		await served.settled();
		expect([answer.status, answer.contentType]).toEqual([400, JSON_TYPE]);
		expect(Object.keys(answer.json!)).toEqual(['error']);
		expect(answer.json?.error).toMatch(message);
		expect(served.executions.length).toBe(before);
	});

	test('larger than Max Body Size: 413 with the sizes, nothing starts', async () => {
		const before = served.executions.length;
		const body = JSON.stringify(delivery({ padding: 'x'.repeat(2000) }));
		const answer = await served.post(body, { secret: SECRET, raw: true });
		await served.settled();
		expect([answer.status, answer.contentType]).toEqual([413, JSON_TYPE]);
		expect(answer.json).toEqual({ error: `The body has ${Buffer.byteLength(body)} bytes, more than the 1024 this trigger accepts (Options > Max Body Size)` });
		expect(served.executions.length).toBe(before);
	});

	test("malformed JSON declared as application/json is refused by n8n's body parser (422) before the node", async () => {
		const before = served.executions.length;
		const answer = await served.post('{"event": "opened", "alertUid": ', { secret: SECRET, raw: true });
		expect(answer.status).toBe(422);
		expect(served.executions.length).toBe(before);
	});
});

describe('duplicates start one execution', () => {
	test('the same (event, alertUid) twice in a row, and five copies at once: one execution each; opened and resolved are two', async () => {
		const served = await serve();
		try {
			const uid = freshUid();
			const first = await served.post(delivery({ alertUid: uid }), { secret: SECRET });
			const again = await served.post(delivery({ alertUid: uid }), { secret: SECRET });
			expect(first.json?.started).toBe(true);
			expect([again.status, again.contentType, again.text]).toEqual([200, JSON_TYPE, JSON.stringify({ started: false, reason: 'duplicate: this delivery already started the workflow' })]);

			const burst = freshUid();
			const answers = await Promise.all(Array.from({ length: 5 }, () => served.post(delivery({ alertUid: burst }), { secret: SECRET })));
			expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
			expect(answers.filter((a) => a.json?.started === true)).toHaveLength(1);

			const resolved = await served.post(delivery({ alertUid: uid, event: 'resolved' }), { secret: SECRET });
			expect(resolved.json?.started).toBe(true);
			await served.settled();
			expect(served.executions.map((e) => `${e.items[0].event} ${e.items[0].alertUid}`)).toEqual([`opened ${uid}`, `opened ${burst}`, `resolved ${uid}`]);
		} finally {
			await served.close();
		}
	});

	test('alert UIDs are compared as UUIDs: the same UID in upper case is the same delivery', async () => {
		const served = await serve();
		try {
			const uid = freshUid();
			expect((await served.post(delivery({ alertUid: uid }), { secret: SECRET })).json?.started).toBe(true);
			expect((await served.post(delivery({ alertUid: uid.toUpperCase() }), { secret: SECRET })).json).toEqual({ started: false, reason: expect.stringMatching(/duplicate/) });
			await served.settled();
			expect(served.executions).toHaveLength(1);
		} finally {
			await served.close();
		}
	});

	test('another workflow with the same delivery starts its own execution', async () => {
		const one = await serve();
		const two = await serve();
		try {
			const uid = freshUid();
			expect((await one.post(delivery({ alertUid: uid }), { secret: SECRET })).json?.started).toBe(true);
			expect((await two.post(delivery({ alertUid: uid }), { secret: SECRET })).json?.started).toBe(true);
		} finally {
			await one.close();
			await two.close();
		}
	});
});

describe('filters: filtered-out deliveries are answered 200 and start nothing', () => {
	async function outcome(parameters: INodeParameters, body: IDataObject) {
		const served = await serve(parameters);
		try {
			const answer = await served.post({ ...body, alertUid: freshUid() }, { secret: SECRET });
			await served.settled();
			return { status: answer.status, json: answer.json, executions: served.executions.length };
		} finally {
			await served.close();
		}
	}

	test('events', async () => {
		expect(await outcome({ events: ['resolved'] }, delivery())).toEqual({ status: 200, json: { started: false, reason: '"opened" is not among the trigger\'s events' }, executions: 0 });
		expect(await outcome({ events: ['resolved'] }, delivery({ event: 'resolved' }))).toEqual(expect.objectContaining({ status: 200, executions: 1 }));
	});

	test('priorities (case-insensitive, as the body carries them)', async () => {
		expect(await outcome({ priorities: ['Critical', 'High'] }, delivery({ priority: 'Low' }))).toEqual({ status: 200, json: { started: false, reason: 'priority Low is not among the trigger\'s priorities' }, executions: 0 });
		expect(await outcome({ priorities: ['Critical', 'High'] }, delivery({ priority: 'high' }))).toEqual(expect.objectContaining({ executions: 1 }));
	});

	test('site and device', async () => {
		expect(await outcome({ scope: 'site', siteUid: rl('site-1') }, delivery())).toEqual(expect.objectContaining({ executions: 1 }));
		expect(await outcome({ scope: 'site', siteUid: rl('site-2') }, delivery())).toEqual(expect.objectContaining({ status: 200, executions: 0 }));
		expect(await outcome({ scope: 'device', deviceUid: rl('device-1') }, delivery())).toEqual(expect.objectContaining({ executions: 1 }));
		expect(await outcome({ scope: 'device', deviceUid: rl('device-9') }, delivery())).toEqual(expect.objectContaining({ status: 200, executions: 0 }));
	});

	test('a filter whose field the body lacks (and no enrichment) is a 400 saying what to add', async () => {
		const noPriority = await outcome({ priorities: ['Critical'] }, delivery({ priority: '[alert_priority]' }));
		expect(noPriority).toEqual({ status: 400, json: { error: expect.stringMatching(/no "priority".*Enrich/) }, executions: 0 });
		const noSite = await outcome({ scope: 'site', siteUid: rl('site-1') }, { event: 'opened' });
		expect(noSite).toEqual({ status: 400, json: { error: expect.stringMatching(/no "siteUid"/) }, executions: 0 });
	});
});

describe('activation checks the settings (webhookMethods), as n8n publishes the workflow', () => {
	const harness = new N8nTestHarness();
	test.each([
		['a short secret', {}, 'short', /^The Datto RMM Webhook Secret must have at least 16 characters$/],
		['no secret credential', {}, null, /^The trigger has no usable Datto RMM Webhook Secret API credential$/],
		['a site scope without a site', { scope: 'site', siteUid: rl('') }, SECRET, /No site chosen in "Site"/],
		['no event', { events: [] }, SECRET, /No event chosen/],
	])('%s is refused with a message naming what to fix', async (_label, parameters, secret, message) => {
		await expect(serve(parameters as INodeParameters, harness, secret)).rejects.toThrow(message);
	});

	test('a workflow saved with the old Secret parameter and no credential is refused; n8n drops the unknown parameter when it loads the workflow', async () => {
		const old = 'the-old-parameter-secret-0123456789';
		const failure = await serve({ secret: old }, harness, null).then(
			() => undefined,
			(error: { message: string; description?: string }) => error,
		);
		expect(failure?.message).toBe('The trigger has no usable Datto RMM Webhook Secret API credential');
		expect(failure?.description).toMatch(/^Create a Datto RMM Webhook Secret API credential/);
		expect(`${failure?.message} ${failure?.description}`).not.toContain(old);
	});

	test('good settings activate; deactivation has nothing to unregister at Datto', async () => {
		const served = await serve({}, harness);
		await expect(served.deactivate()).resolves.toBe(true);
		await served.close();
	});
});

describe("the simulator's alert webhooks, through the trigger, in n8n's engine", () => {
	let acc: SimulatedAccount;
	let served: ServedWebhookTrigger;
	beforeAll(async () => {
		acc = await startSimulatedAccount({ simulator: { seed: 7 } });
		served = await serve({}, acc.harness);
		await simControl(acc.sim, 'webhooks', { url: `${served.url}?secret=${SECRET}` });
	});
	afterAll(async () => {
		await served.close();
		await acc.close();
	});

	async function settle(): Promise<void> {
		await acc.sim.webhooks.settled();
		await served.settled();
	}

	test('opening and resolving an alert in /__sim/world starts one execution each, with no API request', async () => {
		const apiBefore = acc.sim.log.filter((r) => r.path.startsWith('/api/')).length;
		const before = served.executions.length;
		const device = acc.sim.state.devices.find((d) => d.deviceClass === 'device' && !d.deleted)!;
		const opened = await fetch(`${acc.sim.url}/__sim/world`, {
			method: 'POST',
			body: JSON.stringify({ action: 'openAlert', deviceUid: device.uid, priority: 'Critical', diagnostics: 'Disk "C:" is 97% full' }),
		}).then((r) => r.json() as Promise<IDataObject>);
		await settle();
		await simControl(acc.sim, 'world', { action: 'resolveAlert', alertUid: opened.alertUid });
		await settle();

		const site = acc.sim.state.site(device.siteUid)!;
		const items = served.executions.slice(before).map((e) => e.items);
		expect(items).toEqual([
			[
				{
					event: 'opened',
					alertUid: opened.alertUid,
					priority: 'Critical',
					message: 'Disk "C:" is 97% full',
					deviceUid: device.uid,
					deviceHostname: device.hostname,
					siteUid: site.uid,
					siteName: site.name,
					platform: 'Simulator',
				},
			],
			[expect.objectContaining({ event: 'resolved', alertUid: opened.alertUid })],
		]);
		const deliveries = acc.sim.webhooks.deliveries.filter((d) => d.alertUid === opened.alertUid);
		expect(deliveries.map((d) => [d.event, d.status])).toEqual([
			['raised', 200],
			['resolved', 200],
		]);
		// Datto notes each delivery on the alert (the spec's WEBHOOK_EXECUTED action type).
		const alert = acc.sim.state.alerts.find((a) => a.alertUid === opened.alertUid)!;
		expect(alert.responseActions.map((a) => a.actionType)).toEqual(['WEBHOOK_EXECUTED', 'WEBHOOK_EXECUTED']);
		expect(acc.sim.log.filter((r) => r.path.startsWith('/api/')).length).toBe(apiBefore);
	});

	test('an alert resolved through the API (Alert > Resolve) sends the resolved webhook too', async () => {
		const alert = acc.sim.state.alerts.find((a) => !a.resolved)!;
		const result = await runDattoNode({ parameters: { resource: 'alert', operation: 'resolve', alertUid: alert.alertUid }, credential: acc.credential }, acc.harness);
		expect(result.error).toBeUndefined();
		await settle();
		expect(served.executions.at(-1)!.items[0]).toEqual(expect.objectContaining({ event: 'resolved', alertUid: alert.alertUid }));
	});

	test('a copy of a delivery (a retrying sender) starts nothing more; a forged one gets 401', async () => {
		const before = served.executions.length;
		await simControl(acc.sim, 'webhooks/redeliver', {});
		await settle();
		const copy = acc.sim.webhooks.deliveries.at(-1)!;
		expect(copy.copyOf).toBeDefined();
		expect(copy.status).toBe(200);
		expect(JSON.parse(copy.answer!)).toEqual({ started: false, reason: expect.stringMatching(/duplicate/) });

		await simControl(acc.sim, 'webhooks', { url: `${served.url}?secret=not-the-secret-0000` });
		acc.sim.state.openAlert(acc.sim.state.devices[0].uid);
		await settle();
		const forged = acc.sim.webhooks.deliveries.at(-1)!;
		expect(forged.status).toBe(401);
		expect(acc.sim.state.alerts.at(-1)!.responseActions.at(-1)!.actionType).toBe('WEBHOOK_EXECUTION_ERROR');
		expect(served.executions.length).toBe(before);
		await simControl(acc.sim, 'webhooks', { url: `${served.url}?secret=${SECRET}` });
	});

	test('behind a proxy that adds the x-webhook-secret header, the URL carries no secret; the simulator lists header names only', async () => {
		const before = served.executions.length;
		await simControl(acc.sim, 'webhooks', { url: served.url, headers: { 'x-webhook-secret': SECRET } });
		try {
			const alert = acc.sim.state.openAlert(acc.sim.state.devices[1].uid);
			await settle();
			const delivery = acc.sim.webhooks.deliveries.at(-1)!;
			expect([delivery.alertUid, delivery.status, delivery.contentType]).toEqual([alert.alertUid, 200, JSON_TYPE]);
			expect(served.executions.length).toBe(before + 1);
			const settings = (await fetch(`${acc.sim.url}/__sim/webhooks`).then((r) => r.json())) as { settings: IDataObject };
			expect(settings.settings.headers).toEqual(['x-webhook-secret']);
			expect(JSON.stringify(settings)).not.toContain(SECRET);
		} finally {
			await simControl(acc.sim, 'webhooks', { url: `${served.url}?secret=${SECRET}`, headers: {} });
		}
	});

	test('nothing the trigger answered or output contains the secret', () => {
		expect(findSecrets([served.answers, served.executions.map((e) => e.items)], [SECRET])).toEqual([]);
	});
});
