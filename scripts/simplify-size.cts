/**
 * npm run simplify:size: how much smaller Simplify makes what the node outputs (and what an AI
 * agent reads). Runs Device, Alert and Site > Get Many (Return All) in n8n's engine against the
 * simulator in Datto's live shapes (nulls, udf1..udf300), once with the full object and once
 * simplified, and prints the average JSON size of one item of each, and of a tool answer of 10.
 */
import type { INodeParameters } from 'n8n-workflow';

import { startSimulatedAccount } from '../test/harness/index.cjs';

const LISTS: Array<[string, INodeParameters]> = [
	['device', { resource: 'device', operation: 'getMany', returnAll: true }],
	['alert', { resource: 'alert', operation: 'getMany', returnAll: true }],
	['site', { resource: 'site', operation: 'getMany', returnAll: true }],
];

async function main(): Promise<void> {
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
		process.stdout.write(`Average JSON size of one item (simulator, live shapes):\n${rows.join('\n')}\n`);
	} finally {
		await account.close();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exitCode = 1;
});
