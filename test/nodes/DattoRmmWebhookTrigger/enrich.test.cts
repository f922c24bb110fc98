/**
 * Datto RMM Webhook Trigger with Enrich, against the simulator through n8n's engine: the item
 * equals what Alert > Get (and Device > Get) return, plus the event; the requests it costs; the
 * filters judged on the API's alert; failures (answered 500, the delivery released for a retry);
 * every ordering of copies and failures with a slow and failing simulator (no alert is lost,
 * none starts twice); no leaks.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { findSecrets, runDattoNode, startSimulatedAccount, type SimulatedAccount } from '../../harness/index.cjs';
import { serveWebhookTrigger, type ServedWebhookTrigger } from '../../harness/webhook.cjs';
import type { AlertRec } from '../../simulator/index.cjs';
import { governorFor } from '../../../nodes/shared/transport/governor/registry';

const SECRET = 'enrich-test-secret-7c1e90b24d6a';
const JSON_TYPE = 'application/json; charset=utf-8';
const rl = (value: string) => ({ __rl: true, mode: 'id', value });

let acc: SimulatedAccount;
beforeAll(async () => {
	acc = await startSimulatedAccount({ simulator: { seed: 21, rateLimit: { enabled: false } }, credential: { requestBudget: 600 } });
});
afterAll(async () => await acc.close());

async function serve(parameters: INodeParameters): Promise<ServedWebhookTrigger> {
	return await serveWebhookTrigger({ harness: acc.harness, credential: acc.credential, secret: SECRET, parameters });
}

function device(skip = 0) {
	return acc.sim.state.devices.filter((d) => d.deviceClass === 'device' && !d.deleted)[skip];
}

/** A new open alert, raised in the world without sending a webhook (the tests post the deliveries). */
function newAlert(fields: Partial<AlertRec> = {}, on = device()): AlertRec {
	return acc.sim.state.openAlert(on.uid, fields);
}

/** API requests the simulator saw while `work` ran (the governor's rate-view calls left out). */
async function apiCalls(work: () => Promise<unknown>): Promise<string[]> {
	const since = acc.sim.log.length;
	await work();
	return acc.sim.log
		.slice(since)
		.filter((r) => r.path.startsWith('/api/') && r.path !== '/api/v2/system/request_rate')
		.map((r) => `${r.method} ${r.path}`);
}

async function alertGet(alertUid: string, options: INodeParameters = {}): Promise<IDataObject> {
	const result = await runDattoNode({ parameters: { resource: 'alert', operation: 'get', alertUid, options }, credential: acc.credential }, acc.harness);
	if (result.error) throw result.error;
	return result.items[0].json;
}

async function deviceGet(uid: string, options: INodeParameters = {}): Promise<IDataObject> {
	const result = await runDattoNode({ parameters: { resource: 'device', operation: 'get', deviceUid: rl(uid), options }, credential: acc.credential }, acc.harness);
	if (result.error) throw result.error;
	return result.items[0].json;
}

describe('Fetch the Alert', () => {
	let served: ServedWebhookTrigger;
	beforeAll(async () => {
		served = await serve({ enrich: 'alert' });
	});
	afterAll(async () => await served.close());

	test('the item equals Alert > Get plus event, for one API request; a body with only event and alertUid is enough', async () => {
		const alert = newAlert({ priority: 'Critical' });
		let answer: Awaited<ReturnType<ServedWebhookTrigger['post']>> | undefined;
		const calls = await apiCalls(async () => {
			answer = await served.post({ event: 'opened', alertUid: alert.alertUid }, { secret: SECRET });
			await served.settled();
		});
		expect(answer!.json).toEqual({ started: true, event: 'opened', alertUid: alert.alertUid });
		expect(calls).toEqual([`GET /api/v2/alert/${alert.alertUid}`]);
		const item = served.executions.at(-1)!.items[0];
		expect(item).toEqual({ ...(await alertGet(alert.alertUid)), event: 'opened' });
		expect(item.alertSourceInfo).toEqual(expect.objectContaining({ deviceUid: alert.deviceUid }));
	});

	test('resolved: the alert as Datto has it once resolved', async () => {
		const alert = newAlert();
		acc.sim.state.resolveAlert(alert.alertUid);
		await served.post({ event: 'resolved', alertUid: alert.alertUid }, { secret: SECRET });
		await served.settled();
		const item = served.executions.at(-1)!.items[0];
		expect(item).toEqual({ ...(await alertGet(alert.alertUid)), event: 'resolved' });
		expect(item.resolved).toBe(true);
	});

	test('Add ISO Dates gives what Alert > Get gives with the same option', async () => {
		const isoServed = await serve({ enrich: 'alert', options: { isoDates: true } });
		try {
			const alert = newAlert();
			await isoServed.post({ event: 'opened', alertUid: alert.alertUid }, { secret: SECRET });
			await isoServed.settled();
			const item = isoServed.executions.at(-1)!.items[0];
			expect(item).toEqual({ ...(await alertGet(alert.alertUid, { isoDates: true })), event: 'opened' });
			expect(item.timestampIso).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/));
		} finally {
			await isoServed.close();
		}
	});
});

describe('Fetch the Alert and Its Device', () => {
	test('the device equals Device > Get, under "device", for two API requests', async () => {
		const served = await serve({ enrich: 'alertAndDevice' });
		try {
			const alert = newAlert();
			const calls = await apiCalls(async () => {
				await served.post({ event: 'opened', alertUid: alert.alertUid }, { secret: SECRET });
				await served.settled();
			});
			expect(calls).toEqual([`GET /api/v2/alert/${alert.alertUid}`, `GET /api/v2/device/${alert.deviceUid}`]);
			const item = served.executions.at(-1)!.items[0];
			expect(item).toEqual({ ...(await alertGet(alert.alertUid)), event: 'opened', device: await deviceGet(alert.deviceUid) });
		} finally {
			await served.close();
		}
	});

	test('a device Datto no longer has (404) gives device: null; the alert still starts the workflow', async () => {
		const served = await serve({ enrich: 'alertAndDevice' });
		const gone = device(5);
		try {
			const alert = newAlert({}, gone);
			gone.deleted = true;
			await served.post({ event: 'resolved', alertUid: alert.alertUid }, { secret: SECRET });
			await served.settled();
			expect(served.executions.at(-1)!.items[0]).toEqual(expect.objectContaining({ alertUid: alert.alertUid, event: 'resolved', device: null }));
		} finally {
			gone.deleted = false;
			await served.close();
		}
	});
});

test("enrichment requests go through the credential's request governor, shared with the Datto RMM nodes", async () => {
	// The governor of this account (the transport keys it by server and API key); the transport
	// sets its settings from the credential (automatic budget here) on each use.
	const governor = governorFor(`${acc.sim.url}|${acc.sim.apiKey}`, { maxConcurrency: 1 });
	const acquire = jest.spyOn(governor, 'acquire');
	const served = await serve({ enrich: 'alertAndDevice' });
	try {
		const alert = newAlert();
		await served.post({ event: 'opened', alertUid: alert.alertUid }, { secret: SECRET });
		await served.settled();
		expect(acquire.mock.calls.map((c) => c[0].kind)).toEqual(['read', 'read']);
		expect(governor.settings).toEqual({ fixedBudget: undefined, maxConcurrency: 24 });
	} finally {
		acquire.mockRestore();
		await served.close();
	}
});

describe('filters with Enrich', () => {
	test("judged on the API's alert when the body does not say: a filtered-out alert costs its one request and starts nothing", async () => {
		const served = await serve({ enrich: 'alert', priorities: ['Critical'], scope: 'site', siteUid: rl(device().siteUid) });
		try {
			const low = newAlert({ priority: 'Low' });
			const otherSite = acc.sim.state.devices.find((d) => d.deviceClass === 'device' && !d.deleted && d.siteUid !== device().siteUid)!;
			const elsewhere = newAlert({ priority: 'Critical' }, otherSite);
			const wanted = newAlert({ priority: 'Critical' });
			const answers: Array<IDataObject | undefined> = [];
			const calls = await apiCalls(async () => {
				for (const a of [low, elsewhere, wanted]) answers.push((await served.post({ event: 'opened', alertUid: a.alertUid }, { secret: SECRET })).json);
				await served.settled();
			});
			expect(answers).toEqual([
				{ started: false, reason: 'priority Low is not among the trigger\'s priorities' },
				{ started: false, reason: 'the alert\'s site is not the trigger\'s site' },
				{ started: true, event: 'opened', alertUid: wanted.alertUid },
			]);
			expect(calls).toHaveLength(3);
			expect(served.executions.map((e) => e.items[0].alertUid)).toEqual([wanted.alertUid]);
		} finally {
			await served.close();
		}
	});

	test('when the body says the priority, a filtered-out alert costs no request at all', async () => {
		const served = await serve({ enrich: 'alert', priorities: ['Critical'] });
		try {
			const low = newAlert({ priority: 'Low' });
			const calls = await apiCalls(async () => {
				const answer = await served.post({ event: 'opened', alertUid: low.alertUid, priority: 'Low' }, { secret: SECRET });
				expect(answer.json).toEqual({ started: false, reason: expect.stringMatching(/priority Low/) });
			});
			expect(calls).toEqual([]);
		} finally {
			await served.close();
		}
	});
});

describe('when the API fails', () => {
	test('an unknown alert UID: answered 500, a failed execution says which alert Datto did not find', async () => {
		const served = await serve({ enrich: 'alert' });
		try {
			const uid = 'f0f0f0f0-0000-4000-8000-00000000dead';
			const answer = await served.post({ event: 'opened', alertUid: uid }, { secret: SECRET });
			await served.settled();
			// n8n's own answer to a webhook node that throws (NODE_ENV=production: no stack trace).
			expect([answer.status, answer.contentType, answer.json]).toEqual([500, JSON_TYPE, { code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' }]);
			const failed = served.executions.at(-1)!;
			expect(failed.error?.message).toMatch(/404/);
			expect((failed.error as { description?: string }).description).toContain(`the alert "${uid}"`);
		} finally {
			await served.close();
		}
	});

	test('a delivery that failed starts nothing and is not remembered: a retried copy starts the workflow once', async () => {
		const served = await serve({ enrich: 'alert', options: { maxRetries: 0 } });
		try {
			const alert = newAlert();
			acc.sim.inject({ path: `/api/v2/alert/${alert.alertUid}`, status: 503, times: 1 });
			const first = await served.post({ event: 'opened', alertUid: alert.alertUid }, { secret: SECRET });
			await served.settled();
			expect(first.status).toBe(500);
			expect(served.executions.at(-1)!.error?.message).toMatch(/503/);
			const retried = await served.post({ event: 'opened', alertUid: alert.alertUid }, { secret: SECRET });
			const copy = await served.post({ event: 'opened', alertUid: alert.alertUid }, { secret: SECRET });
			await served.settled();
			expect(retried.json).toEqual({ started: true, event: 'opened', alertUid: alert.alertUid });
			expect(copy.json).toEqual({ started: false, reason: expect.stringMatching(/duplicate/) });
			expect(served.executions.filter((e) => !e.error)).toHaveLength(1);
		} finally {
			await served.close();
		}
	});
});

/**
 * Copies of one delivery against a slow and failing Datto (the simulator holds the alert request
 * `SLOW_MS`, then answers it or fails it): whatever the order, a copy that arrives while another
 * is in flight is told to retry (503, never 2xx), a failure is a 500 (the sender retries), and the
 * alert starts exactly one execution.
 */
describe('no ordering of copies and failures loses an alert or starts it twice', () => {
	const SLOW_MS = 1500;
	let served: ServedWebhookTrigger;
	beforeAll(async () => {
		served = await serve({ enrich: 'alert', options: { maxRetries: 0 } });
	});
	afterAll(async () => await served.close());

	const busy = { started: false, error: 'A copy of this delivery is being handled right now: retry later', retryAfterSeconds: 10 };
	const deliver = (alert: AlertRec) => served.post({ event: 'opened', alertUid: alert.alertUid }, { secret: SECRET });

	/** Resolves once the simulator has received `count` requests for the alert (the first copy is in flight). */
	async function arrived(alert: AlertRec, count = 1): Promise<void> {
		const path = `/api/v2/alert/${alert.alertUid}`;
		while (acc.sim.log.filter((r) => r.path === path).length < count) await new Promise((resolve) => setTimeout(resolve, 10));
	}

	/** Executions since `from` (each test's alert is the only one delivered meanwhile): started and failed. */
	function executionsSince(from: number): { started: number; failed: number } {
		const since = served.executions.slice(from);
		return { started: since.filter((e) => !e.error).length, failed: since.filter((e) => e.error).length };
	}

	test('a copy while Datto is slow, then Datto fails: the copy gets 503 Retry-After, the first 500; the retry starts it once', async () => {
		const alert = newAlert();
		const from = served.executions.length;
		acc.sim.inject({ path: `/api/v2/alert/${alert.alertUid}`, delayMs: SLOW_MS, status: 500, times: 1 });
		const first = deliver(alert);
		await arrived(alert);
		const copy = await deliver(alert);
		expect([copy.status, copy.contentType, copy.retryAfter, copy.json]).toEqual([503, JSON_TYPE, '10', busy]);
		expect((await first).status).toBe(500);
		const retry = await deliver(alert);
		expect([retry.status, retry.json]).toEqual([200, { started: true, event: 'opened', alertUid: alert.alertUid }]);
		const late = await deliver(alert);
		expect([late.status, late.json]).toEqual([200, { started: false, reason: 'duplicate: this delivery already started the workflow' }]);
		await served.settled();
		expect(executionsSince(from)).toEqual({ started: 1, failed: 1 });
	});

	test('a copy while Datto is slow, then Datto answers: the copy gets 503, the first starts; the copy\'s retry is a duplicate', async () => {
		const alert = newAlert();
		const from = served.executions.length;
		acc.sim.inject({ path: `/api/v2/alert/${alert.alertUid}`, delayMs: SLOW_MS, times: 1 });
		const first = deliver(alert);
		await arrived(alert);
		expect((await deliver(alert)).status).toBe(503);
		expect((await first).json).toEqual({ started: true, event: 'opened', alertUid: alert.alertUid });
		expect((await deliver(alert)).json).toEqual({ started: false, reason: 'duplicate: this delivery already started the workflow' });
		await served.settled();
		expect(executionsSince(from)).toEqual({ started: 1, failed: 0 });
	});

	test('five copies at once while Datto is slow: one in flight, four 503; after it fails, five retries at once start it once', async () => {
		const alert = newAlert();
		const from = served.executions.length;
		acc.sim.inject({ path: `/api/v2/alert/${alert.alertUid}`, delayMs: SLOW_MS, status: 502, times: 1 });
		const first = deliver(alert);
		await arrived(alert);
		const copies = await Promise.all(Array.from({ length: 4 }, () => deliver(alert)));
		expect(copies.map((c) => c.status)).toEqual([503, 503, 503, 503]);
		expect((await first).status).toBe(500);
		acc.sim.inject({ path: `/api/v2/alert/${alert.alertUid}`, delayMs: 300, times: 1 });
		const retries = await Promise.all(Array.from({ length: 5 }, () => deliver(alert)));
		expect(retries.map((r) => r.status).sort()).toEqual([200, 503, 503, 503, 503]);
		// The senders of the four 503s retry later: each is told it started already.
		const later = await Promise.all(Array.from({ length: 4 }, () => deliver(alert)));
		expect(later.map((r) => r.json?.reason)).toEqual(Array(4).fill('duplicate: this delivery already started the workflow'));
		await served.settled();
		expect(executionsSince(from)).toEqual({ started: 1, failed: 1 });
	});

	test('a copy while the first copy\'s alert turns out filtered: 503, then its retry is filtered too; nothing starts', async () => {
		const filtered = await serve({ enrich: 'alert', priorities: ['Critical'], options: { maxRetries: 0 } });
		try {
			const alert = newAlert({ priority: 'Low' });
			acc.sim.inject({ path: `/api/v2/alert/${alert.alertUid}`, delayMs: SLOW_MS, times: 1 });
			const first = filtered.post({ event: 'opened', alertUid: alert.alertUid }, { secret: SECRET });
			await arrived(alert);
			expect((await filtered.post({ event: 'opened', alertUid: alert.alertUid }, { secret: SECRET })).status).toBe(503);
			const reason = 'priority Low is not among the trigger\'s priorities';
			expect((await first).json).toEqual({ started: false, reason });
			expect((await filtered.post({ event: 'opened', alertUid: alert.alertUid }, { secret: SECRET })).json).toEqual({ started: false, reason });
			await filtered.settled();
			expect(filtered.executions).toEqual([]);
		} finally {
			await filtered.close();
		}
	});
});

test('the API secret, the token and the webhook secret appear nowhere: answers, items, failed executions with their errors, log lines', async () => {
	const served = await serve({ enrich: 'alertAndDevice' });
	try {
		const alert = newAlert();
		await served.post({ event: 'opened', alertUid: alert.alertUid }, { secret: SECRET });
		await served.post({ event: 'opened', alertUid: 'f0f0f0f0-0000-4000-8000-00000000beef' }, { secret: SECRET });
		await served.settled();
		const token = String(acc.harness.store.data(acc.credential.id).accessToken ?? '');
		expect(token).not.toBe('');
		expect(findSecrets([served.answers, served.executions], [acc.sim.apiSecret, token])).toEqual([]);
		// The webhook secret lives in a credential: the failed execution's whole error (which carries
		// the node, as n8n stores it and hands it to error workflows) holds none of it.
		expect(served.executions.some((e) => e.error)).toBe(true);
		expect(findSecrets([served.answers, served.executions, served.logLines], [SECRET])).toEqual([]);
	} finally {
		await served.close();
	}
});
