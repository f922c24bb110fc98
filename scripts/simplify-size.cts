/**
 * npm run simplify:size: how much an AI agent reads. Two parts, both in n8n's engine against the
 * simulator in Datto's live shapes (nulls, udf1..udf300):
 * 1. Simplify: Device, Alert and Site > Get Many (Return All), once with the full object and once
 *    simplified; the average JSON size of one item of each.
 * 2. Tool answers at 50,000 devices: the Datto RMM node as AI tools (harness/ai-tool.cts), called
 *    as an agent calls them; the bytes of each answer (the text the agent reads, as n8n's MCP
 *    Server Trigger sends it), its results, the total Datto counted, and the API requests it took.
 * Prints both, writes them to bench/results.json under `toolAnswers` (the other keys stay), and
 * `npm run simplify:size` then renders the docs' tables from it (npm run bench:docs).
 */
import type { INodeParameters } from 'n8n-workflow';

import { addToolTypes, apiRequests, fromAi, runTools, splitAnswer, type ToolCall } from '../test/harness/ai-tool.cjs';
import { startSimulatedAccount } from '../test/harness/index.cjs';
import { writeResults, type ToolAnswers } from './bench-results.cjs';

const SEED = 1;

const LISTS: Array<[string, INodeParameters]> = [
	['device', { resource: 'device', operation: 'getMany', returnAll: true }],
	['alert', { resource: 'alert', operation: 'getMany', returnAll: true }],
	['site', { resource: 'site', operation: 'getMany', returnAll: true }],
];

const LARGE_ACCOUNT = { devices: 50_000, sites: 500 };

const DEFAULT_LIMIT = 10;
const hostname = fromAi('hostname', 'Text the hostname contains', 'string', '');
const limit = fromAi('limit', 'How many devices at most', 'number', DEFAULT_LIMIT);
const TOOLS: Record<string, INodeParameters> = {
	'Find devices': { resource: 'device', operation: 'getMany', filters: { hostname }, maxResults: limit },
	'Find devices full': { resource: 'device', operation: 'getMany', filters: { hostname }, maxResults: limit, simple: false },
	'Find by hostname': { resource: 'device', operation: 'findByHostname', hostname, match: 'partial', maxResults: limit },
	'Open alerts': { resource: 'alert', operation: 'getMany', maxResults: limit },
};
const CALLS: Array<[string, ToolCall]> = [
	['Find devices, hostname "DT", limit left out', { tool: 'Find_devices', args: { hostname: 'DT' } }],
	['Find devices, hostname "DT", limit 100 (the most)', { tool: 'Find_devices', args: { hostname: 'DT', limit: 100 } }],
	['Find devices, every device, limit 100', { tool: 'Find_devices', args: { limit: 100 } }],
	['Find devices, Simplify off, limit 100', { tool: 'Find_devices_full', args: { hostname: 'DT', limit: 100 } }],
	['Find by Hostname, Partial "DT", limit left out', { tool: 'Find_by_hostname', args: { hostname: 'DT' } }],
	['Open alerts, limit left out', { tool: 'Open_alerts', args: {} }],
];

const oneDecimal = (x: number) => Math.round(x * 10) / 10;

async function simplifySizes(): Promise<ToolAnswers['items']> {
	const account = await startSimulatedAccount({ simulator: { seed: SEED, rateLimit: { enabled: false } } });
	try {
		const rows: ToolAnswers['items']['rows'] = [];
		for (const [entity, parameters] of LISTS) {
			const sizes: number[] = [];
			let count = 0;
			for (const simple of [false, true]) {
				// Version 2 of the node, where Simplify exists.
				const { items, error } = await account.harness.runDattoNode({ parameters: { ...parameters, simple }, credential: account.credential, nodeOptions: { typeVersion: 2 } });
				if (error) throw error;
				count = items.length;
				sizes.push(items.reduce((n, i) => n + Buffer.byteLength(JSON.stringify(i.json)), 0) / items.length);
			}
			rows.push({ entity, items: count, fullBytes: oneDecimal(sizes[0]), simplifiedBytes: oneDecimal(sizes[1]) });
		}
		return { seed: SEED, rows };
	} finally {
		await account.close();
	}
}

async function toolAnswerSizes(): Promise<ToolAnswers['calls']> {
	const account = await startSimulatedAccount({ simulator: { seed: SEED, size: LARGE_ACCOUNT, rateLimit: { enabled: false } } });
	addToolTypes(account.harness);
	try {
		const rows: ToolAnswers['calls']['rows'] = [];
		for (const [label, call] of CALLS) {
			const from = account.sim.log.length;
			const run = await runTools(account.harness, account.credential, TOOLS, [call]);
			const [answer] = run.answers;
			if (answer.error !== undefined) throw new Error(`${label}: ${answer.error}`);
			const { results, more } = splitAnswer(answer.result as Array<Record<string, unknown>>);
			rows.push({
				call: label,
				tool: call.tool,
				args: call.args,
				limit: Number(call.args.limit ?? DEFAULT_LIMIT),
				bytes: Buffer.byteLength(answer.text ?? ''),
				results: results.length,
				// Datto's count when the answer was cut (null: Datto gave none), else the results themselves.
				total: more ? ((more.total as number | null) ?? null) : results.length,
				requests: apiRequests(account.sim, from).length,
				...(more ? { lastItem: more } : {}),
			});
		}
		return { seed: SEED, ...LARGE_ACCOUNT, rows };
	} finally {
		await account.close();
	}
}

function print(t: ToolAnswers): string {
	const kb = (bytes: number) => `${(bytes / 1024).toFixed(1).padStart(6)} KB`;
	return [
		'Average JSON size of one item (simulator, live shapes):',
		...t.items.rows.map(
			(r) =>
				`${r.entity.padEnd(7)} ${String(r.items).padStart(5)} items   full ${Math.round(r.fullBytes).toString().padStart(6)} B   simplified ${Math.round(r.simplifiedBytes).toString().padStart(4)} B   ${(r.fullBytes / r.simplifiedBytes).toFixed(1)}x smaller`,
		),
		'',
		`Tool answers at ${t.calls.devices.toLocaleString('en-US')} devices (bytes the agent reads, results, API requests):`,
		...t.calls.rows.map((r) => `${r.call.padEnd(50)} ${kb(r.bytes)}   ${String(r.results).padStart(3)} results of ${String(r.total ?? 'more').padStart(6)}   ${r.requests} API requests`),
		'',
	].join('\n');
}

async function main(): Promise<void> {
	const toolAnswers: ToolAnswers = { items: await simplifySizes(), calls: await toolAnswerSizes() };
	process.stdout.write(print(toolAnswers));
	writeResults({ toolAnswers });
	process.stdout.write('\nwritten: bench/results.json (toolAnswers)\n');
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exitCode = 1;
});
