/**
 * The benchmark figures of the docs, rendered from bench/results.json (written by `npm run bench`
 * and `npm run simplify:size`, see bench-results.cts), so no figure is typed by hand. Each table
 * sits between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` in README.md,
 * CONTRIBUTING.md or a page of docs/; `npm run bench:docs` rewrites them (both commands run it
 * after writing their results), and test/scripts/bench-docs.test.cts fails when a page differs
 * from what this renders.
 *
 *   npm run bench:docs
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { readResults, type BenchResults, type ToolAnswers } from './bench-results.cjs';
import { readSection, sectionNames, writeSection } from './generated-section.cjs';

// The test reads the results through this module, as the docs render them.
export { readResults };

const ROOT = path.resolve(__dirname, '..');
const PREFIX = 'bench:';

/** A rendered table, and the measured figures in it with their units, to find copies typed by hand. */
export interface Rendered {
	markdown: string;
	figures: string[];
}

/** Formats numbers the same way everywhere and notes every measured figure it formats. */
class Figures {
	readonly list: string[] = [];
	private note(text: string): string {
		this.list.push(text);
		return text;
	}
	count = (n: number) => n.toLocaleString('en-US');
	/** One decimal, halves rounded up as the bench rounds them (10.45 → 10.5, where toFixed gives 10.4). */
	seconds = (s: number) => this.note(`${(Math.round(s * 10) / 10).toFixed(1)} s`);
	times = (x: number, digits = 2) => this.note(`${x.toFixed(digits)}×`);
	mb = (x: number) => this.note(`${this.count(Math.round(x))} MB`);
	percent = (x: number) => `${Math.round(x * 100)}%`;
	bytes = (b: number) => this.note(`${this.count(Math.round(b))} B`);
	kb = (b: number) => this.note(`${(b / 1024).toFixed(1)} KB`);
	/** `10 of 20,137`: the results an answer holds of those Datto counted. */
	of = (n: number, total: number | null) => (total === null ? `${this.count(n)}, more exist` : this.note(`${this.count(n)} of ${this.count(total)}`));
}

const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
const source = (parts: string[], command = '`npm run bench`') =>
	`From \`bench/results.json\` (${parts.map((p) => `\`${p}\``).join(', ')}), written by ${command}.`;

const SECTIONS: Record<string, (r: BenchResults, f: Figures) => string[]> = {
	setup: (r) => [
		`Run on ${r.machine}${r.date ? `, ${r.date}` : ''}.`,
		`The simulator runs in its own process with ${r.setup.latencyMs} ms latency per request and Datto's rate model on a ${r.setup.windowSeconds}-second window (60 s / ${r.setup.timeScale}), so minutes of Datto time run in seconds.`,
		`Page size ${r.setup.pageSize}; the credential's automatic budget, whose target is ${r.setup.targetPerWindow} requests per window (Datto's slow-down line, ${r.setup.slowDownLine} of ${r.setup.limit}, less 5% kept for tools that start later).`,
		'Simulator shapes:',
		'',
		`- throughput rows: ${r.shapes.throughput}`,
		`- memory and the growth curve: ${r.shapes.memory}`,
	],
	speed: (r, f) => [
		row(['benchmark', 'result', 'target']),
		'|---|---|---|',
		row([
			`Return All of ${f.count(r.returnAll.items)} devices`,
			`${f.seconds(r.returnAll.seconds)} and ${f.count(r.returnAll.requests)} requests; walking \`nextPageUrl\` page by page in the same run: ${f.seconds(r.returnAll.sequentialSeconds)} → **${f.times(r.returnAll.speedup, 1)} faster** (this varies from run to run: the concurrent run lasts only seconds)`,
			'≥ 5×',
		]),
		row([
			`the same pages fetched and parsed by a bare HTTP client, 24 at a time, outside n8n (the physical limit on this machine)`,
			`${f.seconds(r.returnAll.limitSeconds)} → the node takes **${f.times(r.returnAll.ofLimit)}** the bare client`,
			'≤ 1.5×',
		]),
		row([
			`${f.count(r.fanOut.items)} items → Device Get, automatic budget`,
			`${f.seconds(r.fanOut.seconds)}; the least time the account's target (${r.setup.targetPerWindow} per window) allows: ${f.seconds(r.fanOut.boundSeconds)} → **${f.times(r.fanOut.ratio)}**, peak window ${r.fanOut.peakWindow}, ${r.fanOut.http429} × 429, ${r.fanOut.ipBlocks} IP blocks`,
			'≤ 1.2×, no 429',
		]),
		row([
			`${f.count(r.naive.items)} items → Device Get against a client that sends one request at a time (latency 110 ms, scaled like the window)`,
			`${f.seconds(r.naive.seconds)} against ${f.seconds(r.naive.naiveSeconds)} (live: about ${Math.round(r.naive.liveSeconds)} s against ${Math.round(r.naive.naiveLiveSeconds)} s) → **${f.times(r.naive.ratio)}**`,
			'≤ 1×',
		]),
		row([`${r.tokens.executions} executions with one credential`, `**${r.tokens.tokenExchanges}** token exchange${r.tokens.tokenExchanges === 1 ? '' : 's'}`, '1']),
		row([
			`peak RSS of a fresh process doing the ${f.count(r.memory.items)}-device Return All, live-shaped devices (nulls and udf1..udf300, as Datto sends them)`,
			`${f.mb(r.memory.peakRssMb)} for ${f.mb(r.memory.jsonMb)} of JSON → **${f.times(r.memory.ratio, 1)}** (n8n-core alone: ${f.mb(r.memory.baselineRssMb)})`,
			'≤ 3×',
		]),
		row([
			`the same with the simulator's compact devices (missing values left out)`,
			`${f.mb(r.memoryCompactDevices.peakRssMb)} for ${f.mb(r.memoryCompactDevices.jsonMb)} of JSON → ${f.times(r.memoryCompactDevices.ratio, 1)}; what the Return All adds over n8n-core: ${f.times(r.memoryCompactDevices.addedRatio, 1)}`,
			'',
		]),
		'',
		source(['returnAll', 'fanOut', 'naive', 'tokens', 'memory', 'memoryCompactDevices']),
	],
	curve: (r, f) => [
		row(['devices', 'seconds', 'requests', 'peak RSS', 'JSON']),
		'|---|---|---|---|---|',
		...r.returnAllCurve.map((c) => row([f.count(c.devices), f.seconds(c.seconds), f.count(c.requests), f.mb(c.peakRssMb), f.mb(c.jsonMb)])),
		'',
		source(['returnAllCurve']),
	],
	processes: (r, f) => {
		const first = r.multiProcess[0];
		return [
			`Each process is its own n8n engine with its own governor, running ${first.roundsPerProcess} rounds of a Return All of`,
			`${f.count(first.devices)} devices and a 400-item Device Get fan-out, against one simulated account with Datto's rate`,
			`model on a ${first.windowSeconds}-second window (60 s / ${60 / first.windowSeconds}: several processes on a two-core machine need the`,
			'longer window so that their own CPU time stays as small against it as it is live).',
			'',
			row(['processes', 'requests', `peak window (limit ${first.limit}, slow-down ${first.slowDownLine})`, '429s', 'IP blocks', 'failed runs', 'slow-down line used while all had work', 'requests per process']),
			'|---|---|---|---|---|---|---|---|',
			...r.multiProcess.map((m) =>
				row([m.processes, `${f.count(m.requests)} in ${f.seconds(m.seconds)}`, m.peakWindow, m.http429, m.ipBlocks, m.failedRuns, `**${f.percent(m.shareOfAllowance)}**`, m.requestsPerProcess.map(f.count).join(' / ')]),
			),
			'',
			source(['multiProcess'], '`npm run bench` (each process: `scripts/bench-process.cts`)'),
		];
	},
	trigger: (r, f) => {
		const t = r.triggerAtScale;
		return [
			`An account of ${f.count(t.devices)} devices and ${f.count(t.openAlerts)} open alerts, ${r.setup.latencyMs} ms per request:`,
			'',
			row(['event', 'requests per poll', 'seconds per poll']),
			'|---|---|---|',
			...t.perPoll.map((p) => row([p.event, f.count(p.requests), f.seconds(p.seconds)])),
			'',
			`Beside a workflow: a ${f.count(t.beside.fanOutItems)}-item Device Get fan-out took ${f.seconds(t.beside.fanOutAloneSeconds)} alone and`,
			`${f.seconds(t.beside.fanOutWithPollSeconds)} beside a device poll that read ${f.count(t.beside.pollRequests)} pages meanwhile, with ${t.http429} × 429.`,
			'',
			source(['triggerAtScale'], '`npm run bench` (`scripts/bench-trigger.cts`)'),
		];
	},
	'simplify-sizes': (r, f) => {
		const t = r.toolAnswers.items;
		return [
			`Every item of Device, Alert and Site > Get Many (Return All) in the simulator (seed ${t.seed}), full and simplified:`,
			'',
			row(['entity', 'items measured', 'full', 'simplified', 'ten as a tool answer']),
			'|---|---|---|---|---|',
			...t.rows.map((x) =>
				row([x.entity, f.count(x.items), f.bytes(x.fullBytes), `${f.bytes(x.simplifiedBytes)} (${f.times(x.fullBytes / x.simplifiedBytes, 1)} smaller)`, `${f.kb(10 * x.fullBytes)} → ${f.kb(10 * x.simplifiedBytes)}`]),
			),
			'',
			source(['toolAnswers.items'], '`npm run simplify:size`'),
		];
	},
	'tool-answers': (r, f) => {
		const c = r.toolAnswers.calls;
		// Fewer results than the limit while more exist: the answer's character bound cut it.
		const cut = (x: ToolAnswers['calls']['rows'][number]) => (x.results < x.limit && x.total !== null && x.total > x.results ? ' (the character bound)' : '');
		return [
			`An account of ${f.count(c.devices)} devices and ${f.count(c.sites)} sites (simulator seed ${c.seed}):`,
			'',
			row(['call', 'as the agent sends it', 'answer', 'results', 'API requests']),
			'|---|---|---|---|---|',
			...c.rows.map((x) => row([x.call, `\`${x.tool} ${JSON.stringify(x.args)}\``, f.kb(x.bytes), `${f.of(x.results, x.total)}${cut(x)}`, x.requests])),
			'',
			source(['toolAnswers.calls'], '`npm run simplify:size`'),
		];
	},
	'tool-cut-answer': (r) => {
		const first = r.toolAnswers.calls.rows.find((x) => x.lastItem);
		if (!first) throw new Error('no tool answer in bench/results.json (toolAnswers.calls) was cut: run `npm run simplify:size`');
		return [
			`The last item of the answer to *${first.call}* (\`${first.tool} ${JSON.stringify(first.args)}\`, see *Measured answer sizes*):`,
			'',
			'```json',
			JSON.stringify(first.lastItem, null, 2),
			'```',
			'',
			source(['toolAnswers.calls'], '`npm run simplify:size`'),
		];
	},
};

/** Every generated table's name, as it appears in the markers (`bench:speed`). */
export const SECTION_NAMES = Object.keys(SECTIONS).map((name) => `${PREFIX}${name}`);

export function renderSection(name: string, results: BenchResults): Rendered {
	const section = SECTIONS[name.slice(PREFIX.length)];
	if (!name.startsWith(PREFIX) || !section) throw new Error(`no benchmark table is called ${name}: ${SECTION_NAMES.join(', ')}`);
	const figures = new Figures();
	return { markdown: section(results, figures).join('\n'), figures: figures.list };
}

/** The Markdown files that may hold generated figures, relative to the repository. */
export function docFiles(): string[] {
	const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
	return ['README.md', 'CONTRIBUTING.md', ...docs.map((f) => `docs/${f}`)];
}

/** The names of the benchmark tables a file holds. */
export function benchSections(text: string): string[] {
	return sectionNames(text, PREFIX);
}

/** Each table of a file as it is now and as the results render it. */
export function compareFile(text: string, results: BenchResults): Array<{ name: string; now?: string; rendered: string }> {
	return benchSections(text).map((name) => ({ name, now: readSection(text, name), rendered: renderSection(name, results).markdown }));
}

if (require.main === module) {
	const results = readResults();
	for (const file of docFiles()) {
		const full = path.join(ROOT, file);
		const before = fs.readFileSync(full, 'utf8');
		const names = benchSections(before);
		const after = names.reduce((text, name) => writeSection(text, name, renderSection(name, results).markdown, file), before);
		if (after !== before) fs.writeFileSync(full, after);
		if (names.length) process.stdout.write(`${file}: ${names.join(', ')} ${after === before ? 'up to date' : 'rewritten'} from bench/results.json\n`);
	}
}
