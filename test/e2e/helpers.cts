/**
 * Shared set-up of the end-to-end tests: the package is built and packed once per Jest run
 * (global-setup.cts passes the tarball's path on in process.env), and each test file gets a
 * scratch n8n user folder with the tarball installed as a community package.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	buildPackage,
	installPackage,
	makeTempDir,
	n8nInstance,
	packPackage,
	removeDir,
	type N8nInstance,
	type N8nRestClient,
} from '../../scripts/n8n-env.cjs';
import type { DattoSimulator, SimulatorCounters } from '../simulator/index.cjs';

/**
 * The tarball global-setup.cts built and packed for this run. A test file run under another Jest
 * config builds and packs its own (into `ownDir`, removed with the instance).
 */
async function packedTarball(): Promise<{ tarball: string; ownDir?: string }> {
	const known = process.env.DATTO_E2E_TARBALL;
	if (known && fs.existsSync(known)) return { tarball: known };
	const ownDir = makeTempDir('datto-rmm-e2e-pack');
	await buildPackage();
	const packed = await packPackage(ownDir);
	return { tarball: packed.tarball, ownDir };
}

export interface E2eInstance {
	instance: N8nInstance;
	scratch: string;
	packageDir: string;
	cleanup(): void;
}

/**
 * Real n8n (installed on first use, with progress on stderr) and a user folder with the package;
 * `env` adds settings every n8n command of the instance gets (e.g. queue mode's database and Redis).
 */
export async function instanceWithPackage(label: string, env: Record<string, string> = {}): Promise<E2eInstance> {
	const { tarball, ownDir } = await packedTarball();
	const scratch = makeTempDir(`datto-rmm-e2e-${label}`);
	const instance = n8nInstance(path.join(scratch, 'n8n'), (line) => process.stderr.write(`${line}\n`), env);
	const packageDir = await installPackage(instance.userFolder, tarball);
	return {
		instance,
		scratch,
		packageDir,
		cleanup: () => {
			removeDir(scratch);
			removeDir(ownDir);
		},
	};
}

/** The simulator's counters through its control API, as a separate process would read them. */
export async function simStats(sim: DattoSimulator): Promise<SimulatorCounters> {
	const response = await fetch(`${sim.url}/__sim/stats`);
	if (!response.ok) throw new Error(`GET /__sim/stats answered ${response.status}`);
	return (await response.json()) as SimulatorCounters;
}

export async function simControl(sim: DattoSimulator, route: string, body?: unknown): Promise<void> {
	const response = await fetch(`${sim.url}/__sim/${route}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? '' : JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`POST /__sim/${route} answered ${response.status}: ${await response.text()}`);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A line for the test log that stands out. */
export function report(line: string): void {
	console.log(line);
}

/** Long timeouts: the first run on a fresh machine installs n8n (several minutes). */
export const SETUP_TIMEOUT_MS = 30 * 60_000;

// ---------------------------------------------------------------------------------------------
// n8n's REST API as the editor uses it: publishing workflows and reading executions

export interface PublicationStatus {
	status: string;
	triggers: Array<{ nodeId: string; status: string; errorMessage?: string | null }>;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
}

export interface RunData {
	resultData: {
		runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
		error?: { message?: string };
	};
}

/** Asks n8n to publish (activate) a workflow: the answer's status and message. */
export async function publish(rest: N8nRestClient, id: string): Promise<{ status: number; message: string }> {
	const current = await rest.expectOk<{ versionId: string }>('GET', `/rest/workflows/${id}`);
	const answer = await rest.request<unknown>('POST', `/rest/workflows/${id}/activate`, { versionId: current.versionId });
	return { status: answer.status, message: String((answer.body as { message?: string } | undefined)?.message ?? '') };
}

/**
 * n8n 2.41 publishes in the background (an outbox, retried on failure): the REST call returns at
 * once, and the publication status tells when the triggers are live or why they are not.
 */
export async function publication(rest: N8nRestClient, id: string, timeoutMs = 120_000): Promise<PublicationStatus> {
	const deadline = Date.now() + timeoutMs;
	let status: PublicationStatus = { status: 'in_progress', triggers: [] };
	while (Date.now() < deadline) {
		status = await rest.expectOk<PublicationStatus>('GET', `/rest/workflows/${id}/publication-status`);
		// Right after the call it may still read not_published (seen in queue mode): wait for an outcome.
		if (status.status === 'published' || status.status === 'failed') break;
		await sleep(500);
	}
	return status;
}

/** Publishes a workflow and waits until its triggers are live. */
export async function publishAndWait(rest: N8nRestClient, id: string): Promise<void> {
	const answer = await publish(rest, id);
	if (answer.status !== 200) throw new Error(`publishing ${id} answered ${answer.status}: ${answer.message}`);
	const status = await publication(rest, id);
	if (status.status !== 'published') throw new Error(`publishing ${id} ended ${JSON.stringify(status)}`);
}

/** Executions of one workflow (or all), newest first as n8n lists them. */
export async function executions(rest: N8nRestClient, workflowId?: string): Promise<ExecutionSummary[]> {
	const filter = workflowId ? `?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}` : '';
	const page = await rest.expectOk<{ results: ExecutionSummary[] }>('GET', `/rest/executions${filter}`);
	return page.results;
}

/** Waits until `count` executions have finished, then a little more to see that no other comes; oldest first. */
export async function finishedExecutions(rest: N8nRestClient, count: number, options: { workflowId?: string; timeoutMs?: number; settleMs?: number } = {}): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + (options.timeoutMs ?? 60_000);
	while (Date.now() < deadline) {
		const done = (await executions(rest, options.workflowId)).filter((e) => e.status !== 'running' && e.status !== 'new' && e.status !== 'waiting');
		if (done.length >= count) break;
		await sleep(500);
	}
	await sleep(options.settleMs ?? 1500);
	return (await executions(rest, options.workflowId)).sort((a, b) => Number(a.id) - Number(b.id));
}

/** n8n's execution data ("flatted": every object and string in one array, referenced by index). */
function unflatten(data: unknown): unknown {
	if (typeof data !== 'string') return data;
	const input = JSON.parse(data) as unknown[];
	const done = new Set<object>();
	const revive = (value: object): void => {
		if (done.has(value)) return;
		done.add(value);
		for (const [key, entry] of Object.entries(value)) {
			if (typeof entry !== 'string') continue;
			const target = input[Number(entry)];
			(value as Record<string, unknown>)[key] = target;
			if (target && typeof target === 'object') revive(target);
		}
	};
	const root = input[0];
	if (root && typeof root === 'object') revive(root);
	return root;
}

/** One execution's run data. */
export async function runDataOf(rest: N8nRestClient, id: string): Promise<RunData> {
	const detail = await rest.expectOk<{ data: unknown }>('GET', `/rest/executions/${id}`);
	return unflatten(detail.data) as RunData;
}
