/**
 * The README's "Resources and operations" section, generated from the node's operation table.
 * `npm run docs` rewrites it; test/readme.test.cts fails when the README is out of date.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { OPERATIONS, RESOURCES } from '../nodes/DattoRmm/operations';

export const README = path.resolve(__dirname, '../README.md');
const START = '<!-- operations:start -->';
const END = '<!-- operations:end -->';

export function operationsMarkdown(): string {
	const lines: string[] = [];
	for (const resource of RESOURCES) {
		const ops = OPERATIONS.filter((op) => op.resource === resource.value).sort((a, b) => a.name.localeCompare(b.name));
		lines.push(`### ${resource.name}`, '', `${resource.description}.`, '', '| operation | what it does | API |', '|---|---|---|');
		for (const op of ops) {
			const endpoints = op.variants?.length
				? op.variants.map((v) => `\`${op.method} ${v.path}\``)
				: op.run
					? op.operationIds.map((id) => `\`${id}\``)
					: [`\`${op.method} ${op.path}\``];
			lines.push(`| ${op.name} | ${op.description.replace(/\|/g, '\\|')} | ${endpoints.join('<br>')} |`);
		}
		lines.push('');
	}
	return lines.join('\n');
}

export function readmeSection(text: string): string | undefined {
	const start = text.indexOf(START);
	const end = text.indexOf(END);
	return start < 0 || end < start ? undefined : text.slice(start + START.length, end).trim();
}

if (require.main === module) {
	const text = fs.readFileSync(README, 'utf8');
	const start = text.indexOf(START);
	const end = text.indexOf(END);
	fs.writeFileSync(README, `${text.slice(0, start + START.length)}\n${operationsMarkdown()}\n${text.slice(end)}`);
	process.stdout.write(`README: ${OPERATIONS.length} operations in ${RESOURCES.length} resources\n`);
}
