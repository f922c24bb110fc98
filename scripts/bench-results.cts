/**
 * bench/results.json: the figures the benchmark commands measured, which scripts/bench-docs.cts
 * renders into the docs. `npm run bench` (scripts/bench.cts) and `npm run simplify:size`
 * (scripts/simplify-size.cts) each write their own keys and keep the other's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const RESULTS = path.resolve(__dirname, '../bench/results.json');

export interface MultiProcess {
	processes: number;
	devices: number;
	roundsPerProcess: number;
	windowSeconds: number;
	requests: number;
	seconds: number;
	peakWindow: number;
	limit: number;
	slowDownLine: number;
	http429: number;
	ipBlocks: number;
	failedRuns: number;
	shareOfAllowance: number;
	requestsPerProcess: number[];
}

export interface Memory {
	items: number;
	peakRssMb: number;
	baselineRssMb: number;
	jsonMb: number;
	ratio: number;
	addedRatio: number;
}

/** What scripts/simplify-size.cts (`npm run simplify:size`) writes under `toolAnswers`. */
export interface ToolAnswers {
	/** The average JSON bytes of one item, full and simplified, over every item of a Get Many (Return All). */
	items: { seed: number; rows: Array<{ entity: string; items: number; fullBytes: number; simplifiedBytes: number }> };
	/** Tool calls in an account of `devices` devices: each answer's bytes, results, Datto's total (null: none given) and API requests. */
	calls: {
		seed: number;
		devices: number;
		sites: number;
		rows: Array<{
			call: string;
			tool: string;
			args: Record<string, unknown>;
			limit: number;
			bytes: number;
			results: number;
			total: number | null;
			requests: number;
			/** The answer's last item when it was cut: `{ moreResults: true, ... }`. */
			lastItem?: Record<string, unknown>;
		}>;
	};
}

/** What scripts/bench.cts and scripts/simplify-size.cts write to bench/results.json (the parts the docs show). */
export interface BenchResults {
	machine: string;
	/** When the run was made, if the bench recorded it. */
	date?: string;
	setup: { devices: number; latencyMs: number; windowSeconds: number; timeScale: number; pageSize: number; targetPerWindow: number; slowDownLine: number; limit: number };
	tokens: { executions: number; tokenExchanges: number };
	returnAll: { items: number; seconds: number; requests: number; sequentialSeconds: number; speedup: number; limitSeconds: number; ofLimit: number };
	fanOut: { items: number; seconds: number; boundSeconds: number; ratio: number; peakWindow: number; http429: number; ipBlocks: number };
	naive: { items: number; seconds: number; naiveSeconds: number; liveSeconds: number; naiveLiveSeconds: number; ratio: number };
	memory: Memory;
	memoryCompactDevices: Memory;
	shapes: { throughput: string; memory: string };
	multiProcess: MultiProcess[];
	returnAllCurve: Array<{ devices: number; seconds: number; requests: number; peakRssMb: number; jsonMb: number }>;
	triggerAtScale: {
		devices: number;
		openAlerts: number;
		perPoll: Array<{ event: string; requests: number; seconds: number }>;
		beside: { fanOutItems: number; fanOutAloneSeconds: number; fanOutWithPollSeconds: number; pollRequests: number };
		http429: number;
	};
	toolAnswers: ToolAnswers;
}

export function readResults(): BenchResults {
	return JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as BenchResults;
}

/** Writes `part` into bench/results.json, keeping the keys the other command wrote. */
export function writeResults(part: Partial<BenchResults>): void {
	const before = fs.existsSync(RESULTS) ? (JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Partial<BenchResults>) : {};
	fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
	fs.writeFileSync(RESULTS, `${JSON.stringify({ ...before, ...part }, null, 2)}\n`);
}
