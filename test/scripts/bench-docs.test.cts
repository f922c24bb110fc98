/**
 * The benchmark figures in README.md, CONTRIBUTING.md and docs/ are bench/results.json rendered by
 * scripts/bench-docs.cts: a page that differs, a table that went missing, or a measured figure
 * typed outside the generated tables fails here. `npm run bench:docs` rewrites the tables.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { SECTION_NAMES, benchSections, compareFile, docFiles, readResults, renderSection } from '../../scripts/bench-docs.cjs';
import { withoutSections } from '../../scripts/generated-section.cjs';

const ROOT = path.resolve(__dirname, '../..');
const results = readResults();
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

test.each(docFiles())('%s: its benchmark tables are bench/results.json as rendered (run `npm run bench:docs` to update them)', (file) => {
	for (const { name, now, rendered } of compareFile(read(file), results)) expect({ name, text: now }).toEqual({ name, text: rendered });
});

test('every benchmark table appears in the docs', () => {
	const shown = new Set(docFiles().flatMap((file) => benchSections(read(file))));
	expect(SECTION_NAMES.filter((name) => !shown.has(name))).toEqual([]);
});

test('no measured figure is typed outside the generated tables', () => {
	const figures = new Set(SECTION_NAMES.flatMap((name) => renderSection(name, results).figures));
	const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const typed = docFiles().flatMap((file) => {
		const byHand = withoutSections(read(file));
		return [...figures].filter((figure) => new RegExp(`(^|[^\\d.,])${escape(figure)}`).test(byHand)).map((figure) => `${file}: ${figure}`);
	});
	expect(typed).toEqual([]);
});

test('a changed result changes the rendered table', () => {
	const changed = { ...results, returnAll: { ...results.returnAll, speedup: results.returnAll.speedup + 1 } };
	expect(renderSection('bench:speed', changed).markdown).not.toBe(renderSection('bench:speed', results).markdown);
});
