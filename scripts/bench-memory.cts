/**
 * One Return All of every device, in a fresh process, through n8n's engine: prints how long it
 * took, the peak RSS of this process and the size of the devices as JSON. Run by scripts/bench.cts.
 *
 *   node --require tsx/cjs scripts/bench-memory.cts <simulator url> <api key> <api secret>
 */
import { N8nTestHarness, runDattoNode, simulatorCredentialData } from '../test/harness/index.cjs';

const MB = 1024 * 1024;

async function main(): Promise<void> {
	const [url, apiKey, apiSecret] = process.argv.slice(2);
	const harness = new N8nTestHarness();
	const credential = harness.addCredential(simulatorCredentialData({ url, apiKey, apiSecret }));
	const baselineRssMb = process.memoryUsage().rss / MB;
	const started = Date.now();
	const run = await runDattoNode(
		{ parameters: { resource: 'device', operation: 'getMany', returnAll: true }, credential },
		harness,
	);
	if (run.error) throw run.error;
	const ms = Date.now() - started;
	// Peak before anything else allocates: the JSON size below builds one large string.
	const peakRssMb = process.resourceUsage().maxRSS / 1024;
	let jsonBytes = 0;
	for (const item of run.items) jsonBytes += Buffer.byteLength(JSON.stringify(item.json));
	jsonBytes += run.items.length + 1; // the commas and brackets of one JSON array
	process.stdout.write(
		`${JSON.stringify({ items: run.items.length, ms, peakRssMb, baselineRssMb, jsonMb: jsonBytes / MB })}\n`,
	);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	},
);
