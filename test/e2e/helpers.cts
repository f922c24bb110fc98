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

/** Real n8n (installed on first use, with progress on stderr) and a user folder with the package. */
export async function instanceWithPackage(label: string): Promise<E2eInstance> {
	const { tarball, ownDir } = await packedTarball();
	const scratch = makeTempDir(`datto-rmm-e2e-${label}`);
	const instance = n8nInstance(path.join(scratch, 'n8n'), (line) => process.stderr.write(`${line}\n`));
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
