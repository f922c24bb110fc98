/**
 * One "n8n process" of the multi-process benchmark: its own n8n-core engine and so its own
 * request governor, running workflows against the shared simulator from a common start time.
 * Run by scripts/bench.cts, several at once:
 *
 *   node --require tsx/cjs scripts/bench-process.cts <simulator url> <api key> <api secret> <start at (epoch ms)> <rounds>
 *
 * Each round is a Return All of every device (80 pages at 20,000 devices) and a 400-item Device
 * Get fan-out. Prints one JSON line: runs, failed runs, requests this process sent, when it
 * started and finished.
 */
import { governorFor } from '../nodes/shared/transport/governor/registry';
import { N8nTestHarness, runDattoNode, simulatorCredentialData } from '../test/harness/index.cjs';
import { DEVICE_GET_EACH_UID } from './bench-support.cjs';

const FAN_OUT = 400;

async function main(): Promise<void> {
	const [url, apiKey, apiSecret, startAt, rounds] = process.argv.slice(2);
	const harness = new N8nTestHarness();
	const credential = harness.addCredential(simulatorCredentialData({ url, apiKey, apiSecret }));
	// Everyone starts at the same moment (the token exchange is part of the burst).
	await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
	const started = Date.now();
	let runs = 0;
	let failedRuns = 0;
	const errors: string[] = [];
	const record = (run: Awaited<ReturnType<typeof runDattoNode>>) => {
		runs++;
		if (run.error) {
			failedRuns++;
			errors.push(run.error.message);
		}
		return run;
	};
	for (let round = 0; round < Number(rounds); round++) {
		const all = record(
			await runDattoNode(
				{ parameters: { resource: 'device', operation: 'getMany', returnAll: true }, credential },
				harness,
			),
		);
		const uids = all.items.slice(0, FAN_OUT).map((i) => ({ uid: i.json.uid }));
		record(
			await runDattoNode(
				{
					parameters: DEVICE_GET_EACH_UID,
					credential,
					inputItems: uids.length ? uids : [{ uid: 'none' }],
				},
				harness,
			),
		);
	}
	const governor = governorFor(`${url}|${apiKey}`, { maxConcurrency: 24 });
	process.stdout.write(
		`${JSON.stringify({ runs, failedRuns, errors: errors.slice(0, 3), requests: governor.stats.acquired, startedAt: started, finishedAt: Date.now() })}\n`,
	);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);
