/**
 * Package hygiene: what `npm pack` would publish (dist/ must be built: `npm test` builds first).
 *   - only dist/**, README.md, LICENSE and package.json;
 *   - package.json: no runtime dependencies, n8n-workflow as the only peer, the n8n section's
 *     files all packed;
 *   - the packed JavaScript requires only n8n-workflow and packed relative files;
 *   - n8n's verification scan (ESLint with the community-node rules, inline config off) passes on
 *     the packed files and the sources: scripts/e2e-scan-package.cts, in a process of its own
 *     because the ESLint plugins are ES modules.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ScanReport } from '../../scripts/e2e-scan-package.cjs';

const ROOT = path.resolve(__dirname, '../..');

interface PackedFile {
	path: string;
	size: number;
}

interface PackageJson {
	name: string;
	keywords?: string[];
	files?: string[];
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	bundleDependencies?: unknown;
	bundledDependencies?: unknown;
	scripts?: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; strict?: boolean; nodes: string[]; credentials: string[] };
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;

function dryRunPack(): PackedFile[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
	return (JSON.parse(out.slice(out.indexOf('['))) as Array<{ files: PackedFile[] }>)[0].files;
}

describe('npm pack', () => {
	let files: PackedFile[];
	let paths: Set<string>;

	beforeAll(() => {
		files = dryRunPack();
		paths = new Set(files.map((f) => f.path));
	});

	test('dist/ is built and packed (run `npm run build` first)', () => {
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(paths).toContain(entry);
	});

	test('ships only dist/**, README.md, LICENSE and package.json', () => {
		const unexpected = [...paths].filter((p) => !p.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(p));
		expect(unexpected).toEqual([]);
		expect(paths).toContain('README.md');
		expect(paths).toContain('LICENSE');
		expect(paths).toContain('package.json');
		// Nothing from the repository's tooling.
		expect([...paths].filter((p) => /(^|\/)(test|scripts|examples|specs|node_modules)\//.test(p) || /\.(cts|ts)$/.test(p.replace(/\.d\.ts$/, '')))).toEqual([]);
	});

	test('package.json: no runtime dependencies, n8n-workflow the only peer, a community-node package', () => {
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.bundleDependencies ?? pkg.bundledDependencies).toBeUndefined();
		expect(Object.keys(pkg.peerDependencies ?? {})).toEqual(['n8n-workflow']);
		expect(pkg.name).toMatch(/^(@[a-z0-9-]+\/)?n8n-nodes-/);
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(entry.startsWith('dist/')).toBe(true);
		// No install-time scripts run on users' machines.
		for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts?.[hook]).toBeUndefined();
	});

	test('the node and credential icons are packed, light and dark', () => {
		const icons = [...paths].filter((p) => p.endsWith('.svg'));
		expect(icons.length).toBeGreaterThanOrEqual(2);
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			const source = fs.readFileSync(path.join(ROOT, entry), 'utf8');
			const referenced = [...source.matchAll(/file:([^'"]+\.svg)/g)].map((m) => path.posix.normalize(path.posix.join(path.posix.dirname(entry), m[1])));
			expect(referenced.length).toBeGreaterThanOrEqual(2);
			for (const icon of referenced) expect(paths).toContain(icon);
		}
	});

	test('packed JavaScript requires only n8n-workflow and packed relative files', () => {
		const problems: string[] = [];
		const jsFiles = [...paths].filter((p) => p.endsWith('.js'));
		expect(jsFiles.length).toBeGreaterThan(0);
		for (const file of jsFiles) {
			const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
			if (/\bimport\s*\(/.test(source)) problems.push(`${file}: dynamic import()`);
			if (/^\s*import\s.+from\s/m.test(source)) problems.push(`${file}: ES module import`);
			for (const match of source.matchAll(/\brequire\s*\(([^)]*)\)/g)) {
				const arg = match[1].trim();
				const literal = /^(['"])(.*)\1$/.exec(arg);
				if (!literal) {
					problems.push(`${file}: require(${arg}) with a computed name`);
					continue;
				}
				const spec = literal[2];
				if (spec === 'n8n-workflow') continue;
				if (!spec.startsWith('./') && !spec.startsWith('../')) {
					problems.push(`${file}: requires "${spec}"`);
					continue;
				}
				const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
				const candidates = [target, `${target}.js`, `${target}.json`, `${target}/index.js`];
				if (!candidates.some((c) => paths.has(c))) problems.push(`${file}: requires "${spec}", which is not packed`);
			}
		}
		expect(problems).toEqual([]);
	});

	test("n8n's verification scan (community-node ESLint rules, inline config off) finds no errors", async () => {
		const report = await new Promise<ScanReport>((resolve, reject) => {
			execFile(
				process.execPath,
				['--require', 'tsx/cjs', path.join(ROOT, 'scripts', 'e2e-scan-package.cts'), '--json'],
				// Not NODE_ENV=test (Jest's): eslint-plugin-n8n-nodes-base has a test mode of its own.
				{ cwd: ROOT, env: { ...process.env, NODE_ENV: undefined }, maxBuffer: 32 * 1024 * 1024 },
				(error, stdout, stderr) => {
					try {
						resolve(JSON.parse(stdout) as ScanReport);
					} catch {
						reject(new Error(`the scan did not run: ${error?.message ?? ''}\n${stderr}\n${stdout}`));
					}
				},
			);
		});
		const [packed, source] = report.legs;
		expect(packed.files).toBeGreaterThan(0);
		expect(source.files).toBeGreaterThan(0);
		const errors = report.legs.flatMap((leg) => leg.messages.filter((m) => m.severity === 'error').map((m) => `${leg.name}: ${m.file}:${m.line} ${m.message} (${m.ruleId})`));
		expect(errors).toEqual([]);
		expect(report.passed).toBe(true);
	}, 120_000);
});
