/**
 * n8n's community-package scan, reproduced offline on what `npm pack` ships.
 *
 * `npx @n8n/scan-community-package <name>` (the check n8n runs before verifying a package)
 * downloads the published package from the registry, so it cannot scan an unpublished one. Its
 * analysis is ESLint with inline configuration disabled (an `eslint-disable` comment does not
 * count) and this rule set:
 *   - every rule of `@n8n/eslint-plugin-community-nodes` at its "recommended" level, and no-console;
 *   - `eslint-plugin-n8n-nodes-base`: its "community" rules on package.json, its "credentials"
 *     rules on credentials/**.ts and its "nodes" rules on nodes/**.ts, with the few rules the
 *     scanner switches off for community nodes switched off here too;
 *   - the TypeScript parser for .ts and .json files.
 * It lints two things: the packed tarball (every .js file and package.json) and the package's
 * source (package.json and nodes/credentials sources). This script does the same, against a
 * fresh `npm pack` of dist/ as it is (run `npm run build` first) and the repository's sources.
 *
 *   node --require tsx/cjs scripts/e2e-scan-package.cts [--json] [--tarball <file.tgz>]
 *
 * Exit code 1 when ESLint reports an error. The ESLint plugins are ES modules: run this as its
 * own process (test/repository/pack.test.cts does), not inside Jest's module system.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..');

// eslint-plugin-n8n-nodes-base treats every file as a node file when NODE_ENV is "test" (its own
// test mode), which Jest sets: lint as the scanner does, outside that mode.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;

interface LintMessage {
	file: string;
	line: number;
	column: number;
	ruleId: string | null;
	severity: 'error' | 'warning';
	message: string;
}

export interface ScanLeg {
	name: string;
	root: string;
	files: number;
	errorCount: number;
	warningCount: number;
	messages: LintMessage[];
}

export interface ScanReport {
	tarball: string;
	pluginVersion: string;
	legs: ScanLeg[];
	passed: boolean;
}

/** The TypeScript ESLint parser: a top-level install, else the one @n8n/node-cli brings along. */
function loadTsParser(): unknown {
	try {
		return require('@typescript-eslint/parser');
	} catch {
		const tsEslint = packageDir('typescript-eslint', [path.join(packageDir('@n8n/node-cli'), 'node_modules'), ...module.paths]);
		return require(require.resolve('@typescript-eslint/parser', { paths: [tsEslint] }));
	}
}

/** The folder of an installed package, found along Node's lookup paths (its package.json may not be exported). */
function packageDir(name: string, from: string[] = module.paths): string {
	for (const base of from) {
		const dir = path.join(base, name);
		if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
	}
	throw new Error(`Cannot find the package ${name}`);
}

type Rules = Record<string, unknown>;

function scanConfig(): unknown[] {
	const community = require('@n8n/eslint-plugin-community-nodes') as { n8nCommunityNodesPlugin: { configs: { recommended: unknown } } };
	const base = require('eslint-plugin-n8n-nodes-base') as { configs: Record<'community' | 'credentials' | 'nodes', { rules: Rules }> };
	const parser = loadTsParser();
	return [
		community.n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': base } },
		{ files: ['package.json'], rules: { ...base.configs.community.rules } },
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...base.configs.credentials.rules,
				// Switched off by the scanner: not valid for community nodes / covered by a better rule.
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...base.configs.nodes.rules,
				// Switched off by the scanner: enum inputs/outputs and maxValue are valid.
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		{ files: ['**/*.json'], languageOptions: { parser } },
		{ files: ['**/*.ts'], languageOptions: { parser } },
	];
}

/** Files under `root` (relative paths), skipping node_modules. */
function walk(root: string, dir = ''): string[] {
	const out: string[] = [];
	for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
		if (entry.name === 'node_modules') continue;
		const rel = dir ? `${dir}/${entry.name}` : entry.name;
		if (entry.isDirectory()) out.push(...walk(root, rel));
		else if (entry.isFile()) out.push(rel);
	}
	return out;
}

async function lint(name: string, root: string, pick: (rel: string) => boolean): Promise<ScanLeg> {
	const { ESLint } = require('eslint') as typeof import('eslint');
	const eslint = new ESLint({
		cwd: root,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: scanConfig() as never,
	});
	const files = walk(root).filter(pick).map((rel) => path.join(root, rel));
	const results = files.length ? await eslint.lintFiles(files) : [];
	const messages: LintMessage[] = [];
	for (const result of results) {
		for (const m of result.messages) {
			messages.push({
				file: path.relative(root, result.filePath),
				line: m.line,
				column: m.column,
				ruleId: m.ruleId,
				severity: m.severity === 2 ? 'error' : 'warning',
				message: m.message,
			});
		}
	}
	return {
		name,
		root,
		files: files.length,
		errorCount: results.reduce((n, r) => n + r.errorCount, 0),
		warningCount: results.reduce((n, r) => n + r.warningCount, 0),
		messages,
	};
}

export async function scanPackage(tarballArg?: string): Promise<ScanReport> {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'datto-rmm-scan-'));
	try {
		let tarball = tarballArg;
		if (!tarball) {
			const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
			const info = JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string }>;
			tarball = path.join(work, info[0].filename);
		}
		const extracted = path.join(work, 'package');
		fs.mkdirSync(extracted);
		execFileSync('tar', ['-xzf', tarball, '-C', extracted, '--strip-components=1']);

		// Packed tarball: compiled .js and package.json (the scanner leaves .d.ts out there).
		const packed = await lint('packed tarball', extracted, (rel) => rel.endsWith('.js') || rel === 'package.json');
		// Source: what `n8n-node lint` covers, the shippable node and credential sources.
		const source = await lint('source', REPO_ROOT, (rel) => rel === 'package.json' || /^(nodes|credentials)\/.*\.(js|ts|json)$/.test(rel));
		const pluginVersion = (JSON.parse(fs.readFileSync(path.join(packageDir('@n8n/eslint-plugin-community-nodes'), 'package.json'), 'utf8')) as { version: string }).version;
		return { tarball: tarballArg ?? path.basename(tarball), pluginVersion, legs: [packed, source], passed: packed.errorCount === 0 && source.errorCount === 0 };
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

if (require.main === module) {
	const asJson = process.argv.includes('--json');
	const i = process.argv.indexOf('--tarball');
	scanPackage(i > 0 ? process.argv[i + 1] : undefined).then(
		(report) => {
			if (asJson) {
				process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
			} else {
				for (const leg of report.legs) {
					process.stdout.write(`${leg.name}: ${leg.files} files, ${leg.errorCount} errors, ${leg.warningCount} warnings\n`);
					for (const m of leg.messages) process.stdout.write(`  ${m.file}:${m.line}:${m.column} ${m.severity} ${m.message} (${m.ruleId})\n`);
				}
				process.stdout.write(report.passed ? 'scan passed\n' : 'scan FAILED\n');
			}
			process.exit(report.passed ? 0 : 1);
		},
		(error: unknown) => {
			process.stderr.write(`scan failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
			process.exit(2);
		},
	);
}
