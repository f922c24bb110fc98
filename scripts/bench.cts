/**
 * npm run bench: throughput at Datto's rate limit, against the simulator in its own process with
 * 100 ms latency per request and Datto's rate model on a scaled window (60 s / TIME_SCALE), so
 * the whole run takes under two minutes. Prints a table and writes bench/results.json.
 *
 * - returnAll: 50,000 devices, concurrent pages vs walking nextPageUrl one page at a time.
 * - fanOut: 3,000 input items → Device Get, against the least time the credential's budget allows.
 * - tokens: token exchanges for 100 executions with one credential.
 * - memory: peak RSS of a fresh process doing the 50,000-device Return All, vs those devices as JSON.
 *
 * The throughput figures use the simulator's compact devices (--compact: absent values left out,
 * only set UDFs), as they always have, so they stay comparable across versions; the memory target
 * is checked on the live shapes (the simulator's default: nulls, udf1..udf300). Both are printed.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { N8nTestHarness, runDattoNode } from '../test/harness/index.cjs';
import { startSimulatorProcess, type SimProcess } from './bench-support.cjs';

const DEVICES = 50_000;
const FAN_OUT_ITEMS = 3_000;
const EXECUTIONS = 100;
const LATENCY_MS = 100;
const TIME_SCALE = 12; // window 60 s / 12 = 5 s
const BUDGET = 400;
const PAGE_SIZE = 250;

const seconds = (ms: number) => Math.round(ms / 10) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
	const started = Date.now();
	const value = await work();
	return { ms: Date.now() - started, value };
}

interface MemoryReading {
	items: number;
	peakRssMb: number;
	baselineRssMb: number;
	jsonMb: number;
}

/** One Return All of every device in a fresh process (scripts/bench-memory.cts). */
function measureMemory(sim: SimProcess): MemoryReading {
	const script = path.resolve(__dirname, 'bench-memory.cts');
	const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', script, sim.url, sim.apiKey, sim.apiSecret], { encoding: 'utf8' });
	return JSON.parse(out) as MemoryReading;
}

function memoryFigures(m: MemoryReading) {
	return {
		items: m.items,
		peakRssMb: Math.round(m.peakRssMb),
		baselineRssMb: Math.round(m.baselineRssMb),
		jsonMb: Math.round(m.jsonMb * 10) / 10,
		ratio: Math.round((m.peakRssMb / m.jsonMb) * 100) / 100,
		// What the Return All adds over a process with n8n's engine loaded.
		addedRatio: Math.round(((m.peakRssMb - m.baselineRssMb) / m.jsonMb) * 100) / 100,
	};
}

async function main(): Promise<void> {
	process.stderr.write(`bench: starting the simulator with ${DEVICES} devices...\n`);
	const sim: SimProcess = await startSimulatorProcess([
		'--devices', String(DEVICES), '--time-scale', String(TIME_SCALE), '--page-size', String(PAGE_SIZE), '--compact',
	]);
	process.stderr.write(`bench: simulator shapes: ${sim.shapes}\n`);
	try {
		await sim.control('faults', { latencyMs: LATENCY_MS });
		const windowSeconds = 60 / TIME_SCALE;
		const harness = new N8nTestHarness();
		const credential = harness.addCredential({
			platform: 'custom', baseUrl: sim.url, apiKey: sim.apiKey, apiSecret: sim.apiSecret, accessToken: '', requestBudget: BUDGET,
		});
		const requests = async () => Number((await sim.stats()).requests);
		const returnAll = (concurrentPages: boolean) =>
			runDattoNode({ parameters: { resource: 'device', operation: 'getMany', returnAll: true, options: { concurrentPages } }, credential }, harness);

		process.stderr.write('bench: Return All, concurrent...\n');
		let before = await requests();
		const concurrent = await timed(() => returnAll(true));
		if (concurrent.value.error) throw concurrent.value.error;
		const concurrentRequests = (await requests()) - before;
		const uids = concurrent.value.items.map((i) => String(i.json.uid));

		process.stderr.write('bench: Return All, sequential (walking nextPageUrl)...\n');
		const sequential = await timed(() => returnAll(false));
		if (sequential.value.error) throw sequential.value.error;
		if (sequential.value.items.length !== uids.length) throw new Error('sequential and concurrent Return All differ');
		await sleep(windowSeconds * 1000);

		process.stderr.write(`bench: fan-out over ${FAN_OUT_ITEMS} items...\n`);
		const statsBefore = await sim.stats();
		const fanOut = await timed(() =>
			runDattoNode(
				{
					parameters: { resource: 'device', operation: 'get', deviceUid: { __rl: true, mode: 'id', value: '={{ $json.uid }}' } },
					credential,
					inputItems: Array.from({ length: FAN_OUT_ITEMS }, (_, n) => ({ uid: uids[n] })),
				},
				harness,
			),
		);
		if (fanOut.value.error) throw fanOut.value.error;
		const statsAfter = await sim.stats();
		// The least time the budget allows: BUDGET requests per window, so the last batch starts
		// (ceil(N / BUDGET) - 1) windows in, and its answers take one latency.
		const boundMs = (Math.ceil(FAN_OUT_ITEMS / BUDGET) - 1) * windowSeconds * 1000 + LATENCY_MS;

		process.stderr.write(`bench: ${EXECUTIONS} executions with one new credential...\n`);
		const exchangesBefore = Number((await sim.stats()).tokenExchanges);
		const fresh = harness.addCredential({ platform: 'custom', baseUrl: sim.url, apiKey: sim.apiKey, apiSecret: sim.apiSecret, accessToken: '' });
		for (let n = 0; n < EXECUTIONS; n++) {
			const run = await runDattoNode({ parameters: { resource: 'system', operation: 'getPagination' }, credential: fresh }, harness);
			if (run.error) throw run.error;
		}
		const tokenExchanges = Number((await sim.stats()).tokenExchanges) - exchangesBefore;

		process.stderr.write('bench: memory of a 50,000-device Return All in a fresh process (compact devices)...\n');
		const compactMemory = measureMemory(sim);
		process.stderr.write('bench: the same with live-shaped devices (nulls kept, udf1..udf300)...\n');
		const liveSim = await startSimulatorProcess(['--devices', String(DEVICES), '--page-size', String(PAGE_SIZE), '--no-rate-limit']);
		const liveShapes = liveSim.shapes;
		let liveMemory: ReturnType<typeof measureMemory>;
		try {
			liveMemory = measureMemory(liveSim);
		} finally {
			await liveSim.stop();
		}
		const results = {
			machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
			setup: { devices: DEVICES, latencyMs: LATENCY_MS, windowSeconds, budgetPerWindow: BUDGET, pageSize: PAGE_SIZE },
			// Which shapes the simulator served: throughput and compact memory, then live memory.
			shapes: { throughput: sim.shapes, memory: liveShapes },
			returnAll: {
				items: concurrent.value.items.length,
				seconds: seconds(concurrent.ms),
				requests: concurrentRequests,
				sequentialSeconds: seconds(sequential.ms),
				speedup: Math.round((sequential.ms / concurrent.ms) * 10) / 10,
			},
			fanOut: {
				items: FAN_OUT_ITEMS,
				seconds: seconds(fanOut.ms),
				boundSeconds: seconds(boundMs),
				ratio: Math.round((fanOut.ms / boundMs) * 100) / 100,
				http429: Number(statsAfter.http429) - Number(statsBefore.http429),
				ipBlocks: Number(statsAfter.ipBlocks) - Number(statsBefore.ipBlocks),
			},
			tokens: { executions: EXECUTIONS, tokenExchanges },
			// Live-shaped devices (Datto sends nulls and all 300 UDFs): what the target is checked on.
			memory: memoryFigures(liveMemory),
			// The simulator's compact devices (missing values left out): 1.2 KB each instead of ~5.
			memoryCompactDevices: memoryFigures(compactMemory),
		};
		fs.mkdirSync(path.resolve(__dirname, '../bench'), { recursive: true });
		fs.writeFileSync(path.resolve(__dirname, '../bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

		const rows = [
			['returnAll', `${results.returnAll.items} devices in ${results.returnAll.seconds} s, ${results.returnAll.requests} requests; sequential ${results.returnAll.sequentialSeconds} s`, `speedup ${results.returnAll.speedup}× (target ≥ 5×)`],
			['fanOut', `${FAN_OUT_ITEMS} items in ${results.fanOut.seconds} s; budget's bound ${results.fanOut.boundSeconds} s`, `ratio ${results.fanOut.ratio} (target ≤ 1.15), 429s ${results.fanOut.http429}, IP blocks ${results.fanOut.ipBlocks}`],
			['tokens', `${EXECUTIONS} executions, one credential`, `${tokenExchanges} token exchange(s) (target 1)`],
			['memory', `live-shaped: peak RSS ${results.memory.peakRssMb} MB (n8n-core loaded: ${results.memory.baselineRssMb} MB); JSON ${results.memory.jsonMb} MB`, `ratio ${results.memory.ratio} (target ≤ 3); added ${results.memory.addedRatio}`],
			['', `compact: peak RSS ${results.memoryCompactDevices.peakRssMb} MB (n8n-core loaded: ${results.memoryCompactDevices.baselineRssMb} MB); JSON ${results.memoryCompactDevices.jsonMb} MB`, `ratio ${results.memoryCompactDevices.ratio}; added ${results.memoryCompactDevices.addedRatio}`],
		];
		process.stdout.write(`\nmachine: ${results.machine}\n`);
		process.stdout.write(`setup: ${DEVICES} devices, ${LATENCY_MS} ms latency, window ${windowSeconds} s (60 s / ${TIME_SCALE}), budget ${BUDGET} per window\n`);
		process.stdout.write(`shapes: returnAll, fanOut, tokens and compact memory: ${sim.shapes}\n`);
		process.stdout.write(`        live memory: ${liveShapes}\n\n`);
		for (const [name, what, result] of rows) process.stdout.write(`${name.padEnd(10)} ${what.padEnd(78)} ${result}\n`);
		process.stdout.write('\nwritten: bench/results.json\n');
	} finally {
		await sim.stop();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);
