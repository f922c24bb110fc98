/**
 * npm run simplify:size: how much an AI agent reads. Two parts, both in n8n's engine against the
 * simulator in Datto's live shapes (nulls, udf1..udf300):
 * 1. Simplify: Device, Alert and Site > Get Many (Return All), once with the full object and once
 *    simplified; the average JSON size of one item of each.
 * 2. Tool answers at 50,000 devices: the Datto RMM node as AI tools (harness/ai-tool.cts), called
 *    as an agent calls them; the bytes of each answer (the text the agent reads, as n8n's MCP
 *    Server Trigger sends it), its results, the total Datto counted, and the API requests it took.
 */
import type { INodeParameters } from 'n8n-workflow';

import { addToolTypes, fromAi, runTools, splitAnswer, type ToolCall } from '../test/harness/ai-tool.cjs';
import { startSimulatedAccount } from '../test/harness/index.cjs';

const LISTS: Array<[string, INodeParameters]> = [
	['device', { resource: 'device', operation: 'getMany', returnAll: true }],
	['alert', { resource: 'alert', operation: 'getMany', returnAll: true }],
	['site', { resource: 'site', operation: 'getMany', returnAll: true }],
];

const LARGE_ACCOUNT = { devices: 50_000, sites: 500 };

const hostname = fromAi('hostname', 'Text the hostname contains', 'string', '');
const limit = fromAi('limit', 'How many devices at most', 'number', 10);
const TOOLS: Record<string, INodeParameters> = {
	'Find devices': { resource: 'device', operation: 'getMany', filters: { hostname }, maxResults: limit },
	'Find devices full': { resource: 'device', operation: 'getMany', filters: { hostname }, maxResults: limit, simple: false },
	'Find by hostname': { resource: 'device', operation: 'findByHostname', hostname, match: 'partial', maxResults: limit },
	'Open alerts': { resource: 'alert', operation: 'getMany', maxResults: limit },
};
const CALLS: Array<[string, ToolCall]> = [
	['Find devices, hostname "DT", default limit', { tool: 'Find_devices', args: { hostname: 'DT' } }],
	['Find devices, hostname "DT", limit 100 (the most)', { tool: 'Find_devices', args: { hostname: 'DT', limit: 100 } }],
	['Find devices, every device, limit 100', { tool: 'Find_devices', args: { limit: 100 } }],
	['Find devices, Simplify off, limit 100', { tool: 'Find_devices_full', args: { hostname: 'DT', limit: 100 } }],
	['Find by Hostname, Partial "DT", default limit', { tool: 'Find_by_hostname', args: { hostname: 'DT' } }],
	['Open alerts, default limit', { tool: 'Open_alerts', args: {} }],
];

async function simplifySizes(): Promise<string> {
	const account = await startSimulatedAccount({ simulator: { seed: 1, rateLimit: { enabled: false } } });
	try {
		const rows: string[] = [];
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
			const [full, simplified] = sizes;
			rows.push(
				`${entity.padEnd(7)} ${String(count).padStart(5)} items   full ${Math.round(full).toString().padStart(6)} B   simplified ${Math.round(simplified).toString().padStart(4)} B   ${(full / simplified).toFixed(1)}x smaller   10 as a tool answer: ${(full * 10 / 1024).toFixed(1)} KB → ${(simplified * 10 / 1024).toFixed(1)} KB`,
			);
		}
		return `Average JSON size of one item (simulator, live shapes):\n${rows.join('\n')}\n`;
	} finally {
		await account.close();
	}
}

async function toolAnswerSizes(): Promise<string> {
	const account = await startSimulatedAccount({ simulator: { seed: 1, size: LARGE_ACCOUNT, rateLimit: { enabled: false } } });
	addToolTypes(account.harness);
	try {
		const rows: string[] = [];
		for (const [label, call] of CALLS) {
			const from = account.sim.log.length;
			const run = await runTools(account.harness, account.credential, TOOLS, [call]);
			const [answer] = run.answers;
			if (answer.error !== undefined) throw new Error(`${label}: ${answer.error}`);
			const { results, more } = splitAnswer(answer.result as Array<Record<string, unknown>>);
			const requests = account.sim.log.slice(from).filter((r) => r.path.startsWith('/api/'));
			const total = more?.total ?? (more ? 'more' : results.length);
			rows.push(`${label.padEnd(48)} ${(Buffer.byteLength(answer.text ?? '') / 1024).toFixed(1).padStart(6)} KB   ${String(results.length).padStart(3)} results of ${String(total).padStart(6)}   ${requests.length} API requests`);
		}
		return `Tool answers at ${LARGE_ACCOUNT.devices.toLocaleString('en-US')} devices (bytes the agent reads; API requests: the list page, the page-size lookup, now and then the governor's rate check):\n${rows.join('\n')}\n`;
	} finally {
		await account.close();
	}
}

async function main(): Promise<void> {
	process.stdout.write(await simplifySizes());
	process.stdout.write(`\n${await toolAnswerSizes()}`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exitCode = 1;
});
