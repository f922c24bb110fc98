/**
 * The Datto RMM Trigger at MSP scale: what each event costs per poll on an account of 50,000
 * devices and 5,000 open alerts, and whether a poll crowds out a workflow running at the same
 * time. Polls run through n8n-core's PollContext (test/harness/poll.cts) against the simulator
 * (compact objects, Datto's rate model on a 5-second window). Run by scripts/bench.cts; prints
 * one JSON line.
 *
 *   node --require tsx/cjs scripts/bench-trigger.cts
 */
import type { INodeParameters } from 'n8n-workflow';

import { N8nTestHarness, runDattoNode, simulatorCredentialData } from '../test/harness/index.cjs';
import { TriggerPoller } from '../test/harness/poll.cjs';
import { DattoSimulator } from '../test/simulator/index.cjs';
import { DEVICE_GET_EACH_UID } from './bench-support.cjs';

const TIME_SCALE = 12;
const DEVICES = 50_000;
const OPEN_ALERTS = 5_000;
const FAN_OUT = 2_000;

const EVENTS: Array<[string, INodeParameters]> = [
	['Alert Opened', { event: 'alertOpened' }],
	['Alert Resolved', { event: 'alertResolved' }],
	['Device Added', { event: 'deviceAdded' }],
	['Device Went Offline / Came Online', { event: 'deviceOffline' }],
	['Activity Log Entry', { event: 'activity' }],
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
	const sim = await DattoSimulator.start({
		timeScale: TIME_SCALE,
		compact: true,
		seed: 5,
		size: { sites: 200, devices: DEVICES, openAlerts: OPEN_ALERTS, resolvedAlerts: OPEN_ALERTS },
	});
	const windowMs = 60_000 / TIME_SCALE;
	try {
		sim.setFaults({ latencyMs: 100 });
		const harness = new N8nTestHarness();
		const credential = harness.addCredential(simulatorCredentialData(sim));
		const perPoll = [];
		for (const [event, parameters] of EVENTS) {
			const poller = new TriggerPoller({ harness, credential, sim }, parameters);
			await poller.poll(); // activation: the baseline
			const started = Date.now();
			const second = await poller.poll();
			if (second.error) throw second.error;
			perPoll.push({
				event,
				requests: second.calls.filter((c) => c.path !== '/api/v2/system/request_rate').length,
				seconds: Math.round((Date.now() - started) / 10) / 100,
			});
			await sleep(windowMs);
		}

		// A workflow fanning out at the account's pace, alone and with a device poll beside it.
		const uids = sim.state.devices.slice(0, FAN_OUT).map((d) => ({ uid: d.uid }));
		const fanOut = async () => {
			const started = Date.now();
			const run = await runDattoNode(
				{
					parameters: DEVICE_GET_EACH_UID,
					credential,
					inputItems: uids,
				},
				harness,
			);
			if (run.error) throw run.error;
			return Date.now() - started;
		};
		const alone = await fanOut();
		await sleep(windowMs);
		const poller = new TriggerPoller({ harness, credential, sim }, { event: 'deviceOffline' });
		await poller.poll();
		await sleep(windowMs);
		const requestsBefore = sim.counters.requests;
		const [withPoll, poll] = await Promise.all([fanOut(), poller.poll()]);
		if (poll.error) throw poll.error;
		process.stdout.write(
			`${JSON.stringify({
				devices: DEVICES,
				openAlerts: OPEN_ALERTS,
				windowSeconds: windowMs / 1000,
				perPoll,
				beside: {
					fanOutItems: FAN_OUT,
					fanOutAloneSeconds: Math.round(alone / 10) / 100,
					fanOutWithPollSeconds: Math.round(withPoll / 10) / 100,
					// The poll's own pages (the fan-out's requests arrive meanwhile too).
					pollRequests: poll.calls.filter((c) => c.path === '/api/v2/account/devices').length,
					requestsMeanwhile: sim.counters.requests - requestsBefore,
				},
				http429: sim.counters.http429,
				ipBlocks: sim.counters.ipBlocks,
			})}\n`,
		);
	} finally {
		await sim.close();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);
