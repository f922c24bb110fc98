/**
 * Which n8n versions the package supports, stated the same way everywhere, and checked against the
 * n8n-workflow that is loaded. This file runs in both Jest projects (jest.config.js): with n8n 2.41's
 * packages, and with the oldest supported n8n's (npm aliases n8n-core-oldest / n8n-workflow-oldest),
 * where the engine tests run the nodes too.
 *
 * The oldest: n8n 1.85.3, whose package depends on n8n-core 1.84.0 and n8n-workflow 1.83.0
 * (`npm view n8n@1.85.3 dependencies`). n8n-workflow 1.83.0 is the first to export NodeConnectionTypes,
 * which the nodes must use (n8n's lint rule node-connection-type-literal); n8n 1.82.3 (n8n-workflow
 * 1.80.1) lacks it, so the node cannot load there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as n8nWorkflow from 'n8n-workflow';

import { N8N_CORE_VERSION } from '../harness/compat.cjs';

const ROOT = path.resolve(__dirname, '../..');
const OLDEST = { n8n: '1.85.3', n8nCore: '1.84.0', n8nWorkflow: '1.83.0' };
const CURRENT = { n8n: '2.41', n8nCore: '2.41.1', n8nWorkflow: '2.41.0' };

interface PackageJson {
	version: string;
	engines?: Record<string, string>;
	dependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
}

function readJson(file: string): PackageJson {
	return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as PackageJson;
}

const manifest = readJson('package.json');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadedWorkflowVersion = (require('n8n-workflow/package.json') as PackageJson).version;

/** The values (not types) the nodes and the credential import from n8n-workflow. */
function runtimeImportsFromN8nWorkflow(): string[] {
	const names = new Set<string>();
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const file = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(file);
			else if (file.endsWith('.ts')) {
				const source = fs.readFileSync(file, 'utf8');
				for (const match of source.matchAll(/import\s+\{([^}]*)\}\s+from\s+'n8n-workflow'/g)) {
					if (/^\s*import\s+type\b/.test(match[0])) continue;
					for (const part of match[1].split(',')) {
						const name = part.trim();
						if (name && !name.startsWith('type ')) names.add(name.split(/\s+as\s+/)[0]);
					}
				}
			}
		}
	};
	walk(path.join(ROOT, 'nodes'));
	walk(path.join(ROOT, 'credentials'));
	return [...names].sort();
}

test('package.json and the README state the same supported n8n versions', () => {
	expect(manifest.engines?.n8n).toBe(`>=${OLDEST.n8n}`);
	const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('## Install in n8n'), readme.indexOf('## Get API keys'));
	expect(section).toContain(`n8n ${OLDEST.n8n}`);
	expect(section).toContain(`n8n ${CURRENT.n8n}`);
});

test('the oldest supported n8n-core and n8n-workflow are the devDependency aliases the engine tests use', () => {
	expect(manifest.devDependencies?.['n8n-core-oldest']).toBe(`npm:n8n-core@${OLDEST.n8nCore}`);
	expect(manifest.devDependencies?.['n8n-workflow-oldest']).toBe(`npm:n8n-workflow@${OLDEST.n8nWorkflow}`);
	expect(readJson('node_modules/n8n-core-oldest/package.json').dependencies?.['n8n-workflow']).toBe(OLDEST.n8nWorkflow);
	expect(manifest.devDependencies?.['n8n-core']).toBe(CURRENT.n8nCore);
	expect(manifest.devDependencies?.['n8n-workflow']).toBe(CURRENT.n8nWorkflow);
});

test('the loaded n8n-core and n8n-workflow are one supported pair', () => {
	const pair = { n8nCore: N8N_CORE_VERSION, n8nWorkflow: loadedWorkflowVersion };
	expect([
		{ n8nCore: OLDEST.n8nCore, n8nWorkflow: OLDEST.n8nWorkflow },
		{ n8nCore: CURRENT.n8nCore, n8nWorkflow: CURRENT.n8nWorkflow },
	]).toContainEqual(pair);
});

test('the loaded n8n-workflow exports every value the nodes and the credential import from it', () => {
	const imported = runtimeImportsFromN8nWorkflow();
	expect(imported).toEqual(expect.arrayContaining(['NodeApiError', 'NodeConnectionTypes', 'NodeOperationError', 'sleep']));
	const exported = n8nWorkflow as unknown as Record<string, unknown>;
	expect(imported.filter((name) => exported[name] === undefined)).toEqual([]);
});
