/**
 * The README's "Resources and operations" table, generated from the node's operation table.
 * `npm run docs` rewrites it; test/scripts/readme-operations.test.cts fails when the README is out of date.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { OPERATIONS, RESOURCES } from '../nodes/DattoRmm/operations';
import { readSection, writeSection } from './generated-section.cjs';

export const README = path.resolve(__dirname, '../README.md');
const SECTION = 'operations';

/** One table, one row per operation, grouped by resource (named on its group's first row). */
export function operationsMarkdown(): string {
	const lines = ['| resource | operation | what it does | API |', '|---|---|---|---|'];
	for (const resource of RESOURCES) {
		const ops = OPERATIONS.filter((op) => op.resource === resource.value).sort((a, b) => a.name.localeCompare(b.name));
		ops.forEach((op, n) => {
			const endpoints = op.variants?.length
				? op.variants.map((v) => `\`${op.method} ${v.path}\``)
				: op.run
					? op.operationIds.map((id) => `\`${id}\``)
					: [`\`${op.method} ${op.path}\``];
			const name = n === 0 ? `**${resource.name}**` : '';
			lines.push(`| ${name} | ${op.name} | ${op.description.replace(/\|/g, '\\|')} | ${endpoints.join('<br>')} |`);
		});
	}
	return lines.join('\n');
}

export function readmeSection(text: string): string | undefined {
	return readSection(text, SECTION);
}

if (require.main === module) {
	fs.writeFileSync(README, writeSection(fs.readFileSync(README, 'utf8'), SECTION, operationsMarkdown(), 'README.md'));
	process.stdout.write(`README: ${OPERATIONS.length} operations in ${RESOURCES.length} resources\n`);
}
