/**
 * The package's shape, as rules on its own imports (nodes/ and credentials/, type imports too):
 * - a node folder imports only itself and nodes/shared/; no node folder reaches into another;
 * - nodes/shared/ belongs to no node: it imports no node folder;
 * - nodes/shared/transport/ is the bottom floor: it imports nothing outside itself;
 * - a credential imports only nodes/shared/;
 * - nothing imports a node class (`*.node.ts`) or a credential, and the graph has no cycle, so
 *   every import runs downwards;
 * - every source file stays small (one concern each).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const MAX_LINES = 300;

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const rel = `${dir}/${entry.name}`;
		if (entry.isDirectory()) return sourceFiles(rel);
		return entry.name.endsWith('.ts') ? [rel] : [];
	});
}

const FILES = [...sourceFiles('nodes'), ...sourceFiles('credentials')];

/** The repository files a file imports through relative paths (`import`, `import type`, `export … from`). */
function importsOf(file: string): string[] {
	const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
	const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s+'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
	return specs.map((spec) => {
		const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
		const found = [`${base}.ts`, `${base}/index.ts`, base].find((candidate) => fs.existsSync(path.join(ROOT, candidate)));
		if (!found) throw new Error(`${file} imports ${spec}, which is not a file of the repository`);
		return found;
	});
}

const GRAPH = new Map(FILES.map((file) => [file, importsOf(file)]));

/** `nodes/<folder>` for files under nodes/, `credentials` for credentials. */
function home(file: string): string {
	const parts = file.split('/');
	return parts[0] === 'nodes' ? `nodes/${parts[1]}` : parts[0];
}

function violations(rule: (from: string, to: string) => boolean): string[] {
	return [...GRAPH].flatMap(([from, targets]) => targets.filter((to) => !rule(from, to)).map((to) => `${from} → ${to}`));
}

const isNodeFolder = (file: string) => file.startsWith('nodes/') && home(file) !== 'nodes/shared';
const inTransport = (file: string) => file.startsWith('nodes/shared/transport/');

/** Each rule says whether `from` may import `to`, with an import it must refuse (so it cannot pass vacuously). */
const RULES: Record<string, { allows: (from: string, to: string) => boolean; refuses: [string, string] }> = {
	'a node folder imports only itself and nodes/shared': {
		allows: (from, to) => !isNodeFolder(from) || home(to) === home(from) || home(to) === 'nodes/shared',
		refuses: ['nodes/DattoRmmTrigger/x.ts', 'nodes/DattoRmm/y.ts'],
	},
	'nodes/shared imports no node folder': {
		allows: (from, to) => home(from) !== 'nodes/shared' || home(to) === 'nodes/shared',
		refuses: ['nodes/shared/x.ts', 'nodes/DattoRmm/y.ts'],
	},
	'nodes/shared/transport imports nothing outside itself': {
		allows: (from, to) => !inTransport(from) || inTransport(to),
		refuses: ['nodes/shared/transport/x.ts', 'nodes/shared/dates.ts'],
	},
	'a credential imports only nodes/shared': {
		allows: (from, to) => home(from) !== 'credentials' || home(to) === 'nodes/shared',
		refuses: ['credentials/X.credentials.ts', 'nodes/DattoRmm/y.ts'],
	},
	'nothing imports a node class or a credential': {
		allows: (_from, to) => !to.endsWith('.node.ts') && !to.endsWith('.credentials.ts'),
		refuses: ['nodes/DattoRmm/x.ts', 'nodes/DattoRmm/DattoRmm.node.ts'],
	},
};

test('the rules see the whole package (every node folder, the shared layer, the credentials)', () => {
	const homes = new Set(FILES.map(home));
	for (const expected of ['nodes/DattoRmm', 'nodes/DattoRmmTrigger', 'nodes/DattoRmmWebhookTrigger', 'nodes/shared', 'credentials']) {
		expect(homes).toContain(expected);
	}
	expect([...GRAPH.values()].flat().length).toBeGreaterThan(100);
});

test.each(Object.entries(RULES))('%s', (_name, rule) => {
	expect(rule.allows(...rule.refuses)).toBe(false);
	expect(violations(rule.allows)).toEqual([]);
});

test('the import graph has no cycle', () => {
	const state = new Map<string, 'open' | 'done'>();
	const cycles: string[] = [];
	const visit = (file: string, trail: string[]) => {
		if (state.get(file) === 'done') return;
		if (state.get(file) === 'open') {
			cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
			return;
		}
		state.set(file, 'open');
		for (const next of GRAPH.get(file) ?? []) visit(next, [...trail, file]);
		state.set(file, 'done');
	};
	for (const file of FILES) visit(file, []);
	expect(cycles).toEqual([]);
});

test(`every source file has at most ${MAX_LINES} lines`, () => {
	const long = FILES.map((file) => ({ file, lines: fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').length - 1 })).filter(
		({ lines }) => lines > MAX_LINES,
	);
	expect(long).toEqual([]);
});
