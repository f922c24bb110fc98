/**
 * npm run bench: speed at Datto's rate limit, against the simulator in its own process with
 * Datto's rate model on a scaled window (60 s / TIME_SCALE = 5 s), so minutes of Datto time run in
 * seconds. Prints a table and writes bench/results.json. Every figure compares within one run.
 *
 * - returnAll: 50,000 devices, concurrent pages vs walking nextPageUrl one page at a time, and
 *   `limitSeconds`: the same pages fetched and parsed by a bare HTTP client at the same
 *   concurrency outside n8n (the physical limit on this machine).
 * - fanOut: 3,000 input items → Device Get with the automatic budget, against the least time the
 *   account allows (its target: Datto's slow-down line less the margin).
 * - naive: 1,000 items → Device Get, against a client that sends one request at a time, with the
 *   latency scaled like the window (110 ms / 12), so both run as they would live, 12× faster.
 * - multiProcess: 2 and 4 processes (each its own n8n engine and governor) sharing one account,
 *   all starting at the same moment: peak window, 429s, IP blocks, failed runs, share of the
 *   account's allowance used while all have work, and each process's part.
 * - tokens: token exchanges for 100 executions with one credential.
 * - memory: peak RSS of a fresh process doing the 50,000-device Return All, vs those devices as JSON.
 * - returnAllCurve: Return All at 1,000 / 10,000 / 50,000 / 200,000 live-shaped devices, each in a
 *   fresh process: seconds, requests, peak RSS.
 * - triggerAtScale: requests per poll of each trigger event on 50,000 devices and 5,000 open
 *   alerts, and a fan-out's time alone and beside a device poll (scripts/bench-trigger.cts).
 *
 * Throughput figures use the simulator's compact devices (--compact: absent values left out, only
 * set UDFs), as they always have, so they stay comparable across versions; memory and the curve
 * use the live shapes (nulls, udf1..udf300). Which shapes each used is printed and saved.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

import { N8nTestHarness, runDattoNode, simulatorCredentialData } from '../test/harness/index.cjs';
import { writeResults, type BenchResults } from './bench-results.cjs';
import { DEVICE_GET_EACH_UID, startSimulatorProcess, type SimProcess } from './bench-support.cjs';

const DEVICES = 50_000;
const FAN_OUT_ITEMS = 3_000;
const NAIVE_ITEMS = 1_000;
const EXECUTIONS = 100;
const LATENCY_MS = 100;
const TIME_SCALE = 12; // window 60 s / 12 = 5 s
const PAGE_SIZE = 250;
const CONCURRENCY = 24; // the transport's requests in flight per account
const LIMIT = 600;
const SLOW_LINE = LIMIT * 0.9;
/** The automatic budget's target: the slow-down line less a 5% margin for tools that start later. */
const TARGET = SLOW_LINE - LIMIT * 0.05;
const MULTI_DEVICES = 20_000;
const MULTI_ROUNDS = 3;
/**
 * Several processes on a 2-core machine: at 12× their own CPU time and round trips would eat a
 * large part of a 5 s window, which live they do not; 4× (a 15 s window) keeps them small.
 */
const MULTI_TIME_SCALE = 4;
const CURVE = [1_000, 10_000, 50_000, 200_000];

const seconds = (ms: number) => Math.round(ms / 10) / 100;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
	const started = Date.now();
	const value = await work();
	return { ms: Date.now() - started, value };
}

interface MemoryReading {
	items: number;
	ms: number;
	peakRssMb: number;
	baselineRssMb: number;
	jsonMb: number;
}

/** One Return All of every device in a fresh process (scripts/bench-memory.cts). */
function measureMemory(sim: SimProcess): MemoryReading {
	const script = path.resolve(__dirname, 'bench-memory.cts');
	const out = execFileSync(
		process.execPath,
		['--max-old-space-size=8192', '--require', 'tsx/cjs', script, sim.url, sim.apiKey, sim.apiSecret],
		{ encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
	);
	return JSON.parse(out) as MemoryReading;
}

function memoryFigures(m: MemoryReading) {
	return {
		items: m.items,
		peakRssMb: Math.round(m.peakRssMb),
		baselineRssMb: Math.round(m.baselineRssMb),
		jsonMb: Math.round(m.jsonMb * 10) / 10,
		ratio: ratio(m.peakRssMb, m.jsonMb),
		// What the Return All adds over a process with n8n's engine loaded.
		addedRatio: ratio(m.peakRssMb - m.baselineRssMb, m.jsonMb),
	};
}

async function token(sim: SimProcess): Promise<string> {
	const answer = await fetch(`${sim.url}/auth/oauth/token`, {
		method: 'POST',
		headers: {
			Authorization: `Basic ${Buffer.from('public-client:public').toString('base64')}`,
			'Content-Type': 'application/x-www-form-urlencoded',
		},
		body: `grant_type=password&username=${encodeURIComponent(sim.apiKey)}&password=${encodeURIComponent(sim.apiSecret)}`,
	});
	return ((await answer.json()) as { access_token: string }).access_token;
}

/** The physical limit: the same pages fetched and parsed by a bare client, CONCURRENCY at a time. */
async function bareReturnAll(sim: SimProcess, pages: number): Promise<{ ms: number; items: number }> {
	const bearer = `Bearer ${await token(sim)}`;
	const started = Date.now();
	let next = 0;
	let items = 0;
	const worker = async () => {
		while (next < pages) {
			const page = next++;
			const answer = await fetch(`${sim.url}/api/v2/account/devices?max=${PAGE_SIZE}&page=${page}`, {
				headers: { Authorization: bearer, Accept: 'application/json' },
			});
			const body = JSON.parse(await answer.text()) as { devices: unknown[] };
			items += body.devices.length;
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	return { ms: Date.now() - started, items };
}

/** A client that sends one request at a time, like the simplest Datto integrations. */
async function naiveFanOut(sim: SimProcess, uids: string[]): Promise<number> {
	const bearer = `Bearer ${await token(sim)}`;
	const started = Date.now();
	for (const uid of uids) {
		const answer = await fetch(`${sim.url}/api/v2/device/${uid}`, {
			headers: { Authorization: bearer, Accept: 'application/json' },
		});
		if (!answer.ok) throw new Error(`the naive client got HTTP ${answer.status}`);
		await answer.json();
	}
	return Date.now() - started;
}

interface ProcessReport {
	runs: number;
	failedRuns: number;
	errors: string[];
	requests: number;
	startedAt: number;
	finishedAt: number;
}

function runProcess(sim: SimProcess, startAt: number): Promise<ProcessReport> {
	const script = path.resolve(__dirname, 'bench-process.cts');
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			['--require', 'tsx/cjs', script, sim.url, sim.apiKey, sim.apiSecret, String(startAt), String(MULTI_ROUNDS)],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
		child.once('exit', (code) =>
			code === 0
				? resolve(JSON.parse(out.trim().split('\n').pop()!) as ProcessReport)
				: reject(new Error(`a bench process exited with ${code}`)),
		);
	});
}

/** `processes` engines on one account from the same moment; the account's window sampled meanwhile. */
export async function multiProcess(processes: number) {
	const sim = await startSimulatorProcess([
		'--devices',
		String(MULTI_DEVICES),
		'--time-scale',
		String(MULTI_TIME_SCALE),
		'--page-size',
		String(PAGE_SIZE),
		'--compact',
	]);
	try {
		await sim.control('faults', { latencyMs: LATENCY_MS });
		const startAt = Date.now() + 8000; // every process loaded and waiting
		const reports = Promise.all(Array.from({ length: processes }, () => runProcess(sim, startAt)));
		const samples: Array<{ at: number; count: number }> = [];
		let sampling = true;
		void reports.finally(() => (sampling = false));
		while (sampling) {
			const view = (await sim.control('rate')) as { accountCount: number };
			samples.push({ at: Date.now(), count: view.accountCount });
			await sleep(50);
		}
		const done = await reports;
		const stats = await sim.stats();
		// While every process had work: from the start (after the first window's ramp) until the first finished.
		const windowMs = 60_000 / MULTI_TIME_SCALE;
		const from = startAt + windowMs;
		const until = Math.min(...done.map((r) => r.finishedAt));
		const busy = samples.filter((s) => s.at >= from && s.at <= until);
		const mean = busy.reduce((a, s) => a + s.count, 0) / Math.max(1, busy.length);
		const shares = done.map((r) => r.requests);
		return {
			processes,
			devices: MULTI_DEVICES,
			roundsPerProcess: MULTI_ROUNDS,
			windowSeconds: windowMs / 1000,
			requests: Number(stats.requests),
			peakWindow: Number(stats.peakWindow),
			limit: LIMIT,
			slowDownLine: SLOW_LINE,
			http429: Number(stats.http429),
			ipBlocks: Number(stats.ipBlocks),
			failedRuns: done.reduce((a, r) => a + r.failedRuns, 0),
			tokenExchanges: Number(stats.tokenExchanges),
			// Mean window count while all had work, as a share of the slow-down line (the most a careful client may use).
			shareOfAllowance: ratio(mean, SLOW_LINE),
			requestsPerProcess: shares,
			fairness: ratio(Math.min(...shares), Math.max(...shares)),
			seconds: seconds(Math.max(...done.map((r) => r.finishedAt)) - startAt),
			errors: done.flatMap((r) => r.errors).slice(0, 3),
		};
	} finally {
		await sim.stop();
	}
}

async function returnAllCurve() {
	const curve = [];
	for (const devices of CURVE) {
		log(`Return All curve: ${devices} live-shaped devices in a fresh process...`);
		const sim = await startSimulatorProcess([
			'--devices',
			String(devices),
			'--time-scale',
			String(TIME_SCALE),
			'--page-size',
			String(PAGE_SIZE),
		]);
		try {
			await sim.control('faults', { latencyMs: LATENCY_MS });
			const before = Number((await sim.stats()).requests);
			const m = measureMemory(sim);
			curve.push({
				devices,
				seconds: seconds(m.ms),
				requests: Number((await sim.stats()).requests) - before,
				peakRssMb: Math.round(m.peakRssMb),
				jsonMb: Math.round(m.jsonMb),
				shapes: sim.shapes,
			});
		} finally {
			await sim.stop();
		}
	}
	return curve;
}

async function main(): Promise<void> {
	log(`starting the simulator with ${DEVICES} devices...`);
	const sim: SimProcess = await startSimulatorProcess([
		'--devices',
		String(DEVICES),
		'--time-scale',
		String(TIME_SCALE),
		'--page-size',
		String(PAGE_SIZE),
		'--compact',
	]);
	log(`simulator shapes: ${sim.shapes}`);
	const windowMs = 60_000 / TIME_SCALE;
	const results: Record<string, unknown> = {
		machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
		setup: {
			devices: DEVICES,
			latencyMs: LATENCY_MS,
			windowSeconds: windowMs / 1000,
			timeScale: TIME_SCALE,
			pageSize: PAGE_SIZE,
			budget: 'automatic',
			targetPerWindow: TARGET,
			slowDownLine: SLOW_LINE,
			limit: LIMIT,
		},
	};
	try {
		await sim.control('faults', { latencyMs: LATENCY_MS });
		const harness = new N8nTestHarness();
		const credential = harness.addCredential(simulatorCredentialData(sim));
		// First, while no token exists in this process: executions one after another with one credential.
		log(`${EXECUTIONS} executions with one new credential...`);
		const exchangesBefore = Number((await sim.stats()).tokenExchanges);
		for (let n = 0; n < EXECUTIONS; n++) {
			const run = await runDattoNode(
				{
					parameters: { resource: 'system', operation: 'getPagination' },
					credential,
				},
				harness,
			);
			if (run.error) throw run.error;
		}
		results.tokens = {
			executions: EXECUTIONS,
			tokenExchanges: Number((await sim.stats()).tokenExchanges) - exchangesBefore,
		};
		await sleep(windowMs);

		const requests = async () => Number((await sim.stats()).requests);
		const returnAll = (concurrentPages: boolean) =>
			runDattoNode(
				{
					parameters: {
						resource: 'device',
						operation: 'getMany',
						returnAll: true,
						options: { concurrentPages },
					},
					credential,
				},
				harness,
			);

		// Device Get over input items, each item's `uid` as the device UID.
		const deviceGet = (inputItems: Array<{ uid: string }>) =>
			runDattoNode(
				{
					parameters: DEVICE_GET_EACH_UID,
					credential,
					inputItems,
				},
				harness,
			);

		log('Return All, concurrent...');
		let before = await requests();
		const concurrent = await timed(() => returnAll(true));
		if (concurrent.value.error) throw concurrent.value.error;
		const concurrentRequests = (await requests()) - before;
		const uids = concurrent.value.items.map((i) => String(i.json.uid));
		await sleep(windowMs);
		log('Return All, sequential (walking nextPageUrl)...');
		const sequential = await timed(() => returnAll(false));
		if (sequential.value.error) throw sequential.value.error;
		if (sequential.value.items.length !== uids.length) throw new Error('sequential and concurrent Return All differ');
		await sleep(windowMs);
		log('the same pages with a bare HTTP client...');
		const bare = await bareReturnAll(sim, Math.ceil(DEVICES / PAGE_SIZE));
		if (bare.items !== uids.length) throw new Error('the bare client read a different number of devices');
		results.returnAll = {
			items: uids.length,
			seconds: seconds(concurrent.ms),
			requests: concurrentRequests,
			sequentialSeconds: seconds(sequential.ms),
			speedup: Math.round((sequential.ms / concurrent.ms) * 10) / 10,
			limitSeconds: seconds(bare.ms),
			ofLimit: ratio(concurrent.ms, bare.ms),
		};
		await sleep(windowMs);

		log(`fan-out over ${FAN_OUT_ITEMS} items...`);
		const statsBefore = await sim.stats();
		const fanOut = await timed(() => deviceGet(uids.slice(0, FAN_OUT_ITEMS).map((uid) => ({ uid }))));
		if (fanOut.value.error) throw fanOut.value.error;
		const statsAfter = await sim.stats();
		// The least time the account allows: TARGET requests per window, so the last batch starts
		// (ceil(N / TARGET) - 1) windows in, and its answers take one latency.
		const boundMs = (Math.ceil(FAN_OUT_ITEMS / TARGET) - 1) * windowMs + LATENCY_MS;
		results.fanOut = {
			items: FAN_OUT_ITEMS,
			seconds: seconds(fanOut.ms),
			boundSeconds: seconds(boundMs),
			ratio: ratio(fanOut.ms, boundMs),
			peakWindow: Number(statsAfter.peakWindow),
			http429: Number(statsAfter.http429) - Number(statsBefore.http429),
			ipBlocks: Number(statsAfter.ipBlocks) - Number(statsBefore.ipBlocks),
		};
		await sleep(windowMs);

		log(
			`${NAIVE_ITEMS} items: the node against a one-request-at-a-time client, latency ${Math.round(110 / TIME_SCALE)} ms...`,
		);
		await sim.control('faults', { latencyMs: 110 / TIME_SCALE });
		const naiveInput = Array.from({ length: NAIVE_ITEMS }, (_, n) => ({
			uid: uids[n],
		}));
		const node = await timed(() => deviceGet(naiveInput));
		if (node.value.error) throw node.value.error;
		await sleep(windowMs);
		const naiveMs = await naiveFanOut(
			sim,
			naiveInput.map((i) => i.uid),
		);
		results.naive = {
			items: NAIVE_ITEMS,
			seconds: seconds(node.ms),
			naiveSeconds: seconds(naiveMs),
			liveSeconds: seconds(node.ms * TIME_SCALE),
			naiveLiveSeconds: seconds(naiveMs * TIME_SCALE),
			ratio: ratio(node.ms, naiveMs),
		};
		await sim.control('faults', { latencyMs: LATENCY_MS });

		log('memory of a 50,000-device Return All in a fresh process (compact devices)...');
		results.memoryCompactDevices = memoryFigures(measureMemory(sim));
	} finally {
		await sim.stop();
	}
	log('the same with live-shaped devices (nulls kept, udf1..udf300)...');
	const liveSim = await startSimulatorProcess([
		'--devices',
		String(DEVICES),
		'--page-size',
		String(PAGE_SIZE),
		'--no-rate-limit',
	]);
	try {
		results.memory = memoryFigures(measureMemory(liveSim));
		results.shapes = { throughput: sim.shapes, memory: liveSim.shapes };
	} finally {
		await liveSim.stop();
	}

	const multi = [];
	for (const processes of [2, 4]) {
		log(
			`${processes} processes on one account, each ${MULTI_ROUNDS} × (Return All of ${MULTI_DEVICES} devices + a 400-item fan-out), all at once...`,
		);
		multi.push(await multiProcess(processes));
	}
	results.multiProcess = multi;
	results.returnAllCurve = await returnAllCurve();
	log('the trigger at MSP scale (50,000 devices, 5,000 open alerts)...');
	results.triggerAtScale = JSON.parse(
		execFileSync(process.execPath, ['--require', 'tsx/cjs', path.resolve(__dirname, 'bench-trigger.cts')], {
			encoding: 'utf8',
			maxBuffer: 16 * 1024 * 1024,
		}),
	);

	writeResults(results as Partial<BenchResults>);
	printTable(results);
}

function printTable(r: Record<string, any>): void {
	const rows: string[][] = [
		[
			'returnAll',
			`${r.returnAll.items} devices in ${r.returnAll.seconds} s, ${r.returnAll.requests} requests; sequential ${r.returnAll.sequentialSeconds} s; bare client ${r.returnAll.limitSeconds} s`,
			`speedup ${r.returnAll.speedup}× (target ≥ 5×); ${r.returnAll.ofLimit}× the bare client (aim ≤ 1.5×)`,
		],
		[
			'fanOut',
			`${r.fanOut.items} items in ${r.fanOut.seconds} s; the account's bound ${r.fanOut.boundSeconds} s`,
			`ratio ${r.fanOut.ratio} (target ≤ 1.2), peak window ${r.fanOut.peakWindow}, 429s ${r.fanOut.http429}, IP blocks ${r.fanOut.ipBlocks}`,
		],
		[
			'naive',
			`${r.naive.items} items in ${r.naive.seconds} s; one at a time ${r.naive.naiveSeconds} s (live: ${r.naive.liveSeconds} s vs ${r.naive.naiveLiveSeconds} s)`,
			`ratio ${r.naive.ratio} (target ≤ 1)`,
		],
		...r.multiProcess.map((m: any) => [
			'multi',
			`${m.processes} processes: ${m.requests} requests in ${m.seconds} s, peak window ${m.peakWindow}/${m.limit}, per process ${m.requestsPerProcess.join('/')}`,
			`429s ${m.http429}, IP blocks ${m.ipBlocks}, failed runs ${m.failedRuns}, ${Math.round(m.shareOfAllowance * 100)}% of the slow-down line used (target ≥ 85%), fairness ${m.fairness}`,
		]),
		[
			'tokens',
			`${r.tokens.executions} executions, one credential`,
			`${r.tokens.tokenExchanges} token exchange(s) (target 1)`,
		],
		[
			'memory',
			`live-shaped: peak RSS ${r.memory.peakRssMb} MB (n8n-core loaded: ${r.memory.baselineRssMb} MB); JSON ${r.memory.jsonMb} MB`,
			`ratio ${r.memory.ratio} (target ≤ 3); added ${r.memory.addedRatio}`,
		],
		[
			'',
			`compact: peak RSS ${r.memoryCompactDevices.peakRssMb} MB (n8n-core loaded: ${r.memoryCompactDevices.baselineRssMb} MB); JSON ${r.memoryCompactDevices.jsonMb} MB`,
			`ratio ${r.memoryCompactDevices.ratio}; added ${r.memoryCompactDevices.addedRatio}`,
		],
		...r.returnAllCurve.map((c: any) => [
			'curve',
			`Return All of ${c.devices} live-shaped devices: ${c.seconds} s, ${c.requests} requests`,
			`peak RSS ${c.peakRssMb} MB for ${c.jsonMb} MB of JSON`,
		]),
		...r.triggerAtScale.perPoll.map((p: any) => [
			'trigger',
			`${p.event} on ${r.triggerAtScale.devices} devices / ${r.triggerAtScale.openAlerts} open alerts`,
			`${p.requests} requests per poll, ${p.seconds} s`,
		]),
		[
			'',
			`a ${r.triggerAtScale.beside.fanOutItems}-item fan-out alone ${r.triggerAtScale.beside.fanOutAloneSeconds} s, beside a device poll ${r.triggerAtScale.beside.fanOutWithPollSeconds} s`,
			`the poll read ${r.triggerAtScale.beside.pollRequests} pages meanwhile`,
		],
	];
	process.stdout.write(`\nmachine: ${r.machine}\n`);
	process.stdout.write(
		`setup: ${LATENCY_MS} ms latency, window ${r.setup.windowSeconds} s (60 s / ${TIME_SCALE}), automatic budget (target ${TARGET} per window, slow-down at ${SLOW_LINE})\n`,
	);
	process.stdout.write(`shapes: throughput ${r.shapes.throughput}; memory and curve ${r.shapes.memory}\n\n`);
	for (const [name, what, result] of rows) process.stdout.write(`${name.padEnd(10)} ${what.padEnd(100)} ${result}\n`);
	process.stdout.write('\nwritten: bench/results.json\n');
}

if (require.main === module)
	main().then(
		() => process.exit(0),
		(error: unknown) => {
			process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
			process.exit(1);
		},
	);
