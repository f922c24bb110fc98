/**
 * Datto RMM Webhook Trigger with Enrich, against the simulator through n8n's engine: the item
 * equals what Alert > Get (and Device > Get) return, plus the event; the requests it costs; the
 * filters judged on the API's alert; failures (which release the delivery for a retry); no leaks.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { findSecrets, runDattoNode, startSimulatedAccount, type SimulatedAccount } from './harness/index.cjs';
import { serveWebhookTrigger, type ServedWebhookTrigger } from './harness/webhook.cjs';
import type { AlertRec } from './simulator/index.cjs';
import { governorFor } from '../nodes/shared/transport/governor/registry';

const SECRET = 'enrich-test-secret-7c1e90b24d6a';
const rl = (value: string) => ({ __rl: true, mode: 'id', value });

let acc: SimulatedAccount;
beforeAll(async () => {
	acc = await startSimulatedAccount({ simulator: { seed: 21, rateLimit: { enabled: false } }, credential: { requestBudget: 600 } });
});
afterAll(async () => await acc.close());

async function serve(parameters: INodeParameters): Promise<ServedWebhookTrigger> {
	return await serveWebhookTrigger({ harness: acc.harness, credential: acc.credential, parameters: { secret: SECRET, ...parameters } });
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
				{ started: false, reason: expect.stringMatching(/priority Low/) },
				{ started: false, reason: expect.stringMatching(/site/) },
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
			expect(answer.status).toBe(500);
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

test('the API secret and the token appear nowhere; the webhook secret in no answer, item or error message', async () => {
	const served = await serve({ enrich: 'alertAndDevice' });
	try {
		const alert = newAlert();
		await served.post({ event: 'opened', alertUid: alert.alertUid }, { secret: SECRET });
		await served.post({ event: 'opened', alertUid: 'f0f0f0f0-0000-4000-8000-00000000beef' }, { secret: SECRET });
		await served.settled();
		const token = String(acc.harness.store.data(acc.credential.id).accessToken ?? '');
		expect(token).not.toBe('');
		expect(findSecrets([served.answers, served.executions], [acc.sim.apiSecret, token])).toEqual([]);
		// The webhook secret is a node parameter, so n8n's error object carries it in error.node like
		// the workflow itself; what the trigger says and outputs never does.
		const said = served.executions.map((e) => ({ items: e.items, message: e.error?.message, description: (e.error as { description?: string })?.description }));
		expect(served.executions.some((e) => e.error)).toBe(true);
		expect(findSecrets([served.answers, said], [SECRET])).toEqual([]);
	} finally {
		await served.close();
	}
});
