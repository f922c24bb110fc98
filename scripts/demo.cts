/**
 * `npm run demo`: this package in REAL n8n, against the Datto RMM simulator.
 *
 *   1. builds the package (npm run build) and packs it (npm pack);
 *   2. installs the tarball as a community package into a scratch n8n user folder
 *      (`<tmp>/.n8n/nodes`), so n8n loads the node as `n8n-nodes-datto-rmm.dattoRmm`, exactly as
 *      after an install from Settings > Community nodes;
 *   3. makes sure real n8n is installed (n8n 2.41.1 on Node 24, cached outside the repository by
 *      scripts/real-n8n.cts; the first run installs it, showing progress) and starts the
 *      simulator in this process, in its default live shapes (DATTO_SIM_UNCONFIRMED_DATES=epochMs
 *      serves the unconfirmed dates as numbers), and prints which;
 *   4. imports a credential pointing at the simulator and the example workflows (examples/);
 *   5. runs each example with `n8n execute --id=<id> --rawOutput` and summarises what it produced;
 *   6. reports how many token exchanges the simulator saw.
 *
 * Options: --keep (keep the scratch folder and print its path), --no-build (use dist/ as it is).
 */
import * as path from 'node:path';

import { DATE_FORM_ENV, DattoSimulator, parseDateForm } from '../test/simulator/index.cjs';
import {
	EXAMPLE_CREDENTIAL_NAME,
	describeRun,
	loadExamples,
	prepareExample,
	prepareSimulatorWorld,
	runnableByCli,
	simulatorCredential,
} from './e2e-examples.cjs';
import {
	NODE_TYPE,
	buildPackage,
	executeWorkflow,
	importCredentials,
	importWorkflows,
	installPackage,
	makeTempDir,
	n8nInstance,
	packPackage,
	removeDir,
	seconds,
	stopAllChildren,
	type N8nInstance,
} from './n8n-env.cjs';
import { N8N_VERSION, NODE24_VERSION } from './real-n8n.cjs';

const CREDENTIAL_ID = 'dattoDemoSimulator';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const green = (s: string) => (process.stdout.isTTY ? `\x1b[32m${s}\x1b[0m` : s);
const red = (s: string) => (process.stdout.isTTY ? `\x1b[31m${s}\x1b[0m` : s);

function say(line = ''): void {
	process.stdout.write(`${line}\n`);
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	const result = await work();
	say(`${label} ${dim(seconds(Date.now() - started))}`);
	return result;
}

async function main(): Promise<number> {
	const started = Date.now();
	const keep = process.argv.includes('--keep');
	const build = !process.argv.includes('--no-build');
	say(bold('Datto RMM nodes in real n8n, against the Datto RMM simulator'));

	// Real n8n first: on a fresh machine this installs it (minutes, once) and shows progress.
	const scratch = makeTempDir('datto-rmm-demo');
	const userFolder = path.join(scratch, 'n8n');
	let sim: DattoSimulator | undefined;
	let stopping = false;
	const cleanUp = async () => {
		await stopAllChildren(3000);
		if (sim) await sim.close().catch(() => undefined);
		if (keep) say(dim(`kept the scratch folder: ${scratch} (N8N_USER_FOLDER=${userFolder})`));
		else removeDir(scratch);
	};
	const interrupt = () => {
		if (stopping) return;
		stopping = true;
		say('\nInterrupted: stopping n8n and the simulator…');
		void cleanUp().then(() => process.exit(130));
	};
	process.on('SIGINT', interrupt);
	process.on('SIGTERM', interrupt);

	try {
		const setupStarted = Date.now();
		const instance: N8nInstance = n8nInstance(userFolder, (line) => say(line));
		if (Date.now() - setupStarted > 5000) say(`[n8n setup] took ${seconds(Date.now() - setupStarted)}`);
		say(`n8n ${N8N_VERSION} on Node ${NODE24_VERSION}: ${dim(instance.real.n8nBin)}`);

		sim = await DattoSimulator.start({ jobRunMs: 800, unconfirmedDates: parseDateForm(process.env[DATE_FORM_ENV], DATE_FORM_ENV) });
		const world = prepareSimulatorWorld(sim);
		const st = sim.state;
		say(
			`Simulator: ${sim.url} ${dim(`(${st.account.name}: ${st.sites.length} sites, ${st.devices.length} devices, ${st.alerts.filter((a) => !a.resolved).length} open alerts)`)}`,
		);
		say(dim(`Simulator shapes: ${sim.describeShapes()}`));

		const examples = loadExamples();
		const workflows = examples.map((e) =>
			prepareExample(e.workflow, { credentialId: CREDENTIAL_ID, credentialName: EXAMPLE_CREDENTIAL_NAME, world, pollSeconds: 1 }),
		);

		// The package (build, pack, install) and n8n's database (credential, workflows) are
		// independent: prepare both at once.
		const packageReady = (async () => {
			if (build) await timed('Built the package (npm run build)', buildPackage);
			const packed = await packPackage(scratch);
			const installed = await installPackage(userFolder, packed.tarball);
			say(`Installed ${packed.filename} as a community package ${dim(`(${path.relative(scratch, installed)}, ${packed.files.length} files)`)}`);
		})();
		const databaseReady = (async () => {
			await importCredentials(instance, [simulatorCredential(sim!, CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME)]);
			await importWorkflows(instance, workflows);
			say(`Imported the credential "${EXAMPLE_CREDENTIAL_NAME}" (Custom URL ${sim!.url}) and ${workflows.length} example workflows`);
		})();
		await Promise.all([packageReady, databaseReady]);

		say('');
		say(bold(`Running the examples with n8n execute (node type ${NODE_TYPE}):`));
		sim.resetCounters();
		let failures = 0;
		let executions = 0;
		for (const [i, example] of examples.entries()) {
			const wf = workflows[i];
			if (!runnableByCli(wf)) {
				say(`${dim('–')} ${bold(wf.name)} ${dim(`examples/${example.file}: starts at a trigger, runs when activated (try it in npm run dev)`)}`);
				continue;
			}
			executions++;
			const outcome = await executeWorkflow(instance, wf.id);
			if (stopping) break;
			const mark = outcome.ok ? green('✔') : red('✘');
			say(`${mark} ${bold(wf.name)} ${dim(`examples/${example.file}, ${seconds(outcome.ms)}`)}`);
			if (!outcome.ok) {
				failures++;
				say(red(`    ${outcome.error?.split('\n').join('\n    ')}`));
				continue;
			}
			for (const line of describeRun(wf.id, outcome.run, { sim, world, instance })) say(`    ${line}`);
		}

		const counters = sim.counters;
		say('');
		say(
			bold(
				`Token exchanges at the simulator: ${counters.tokenExchanges} for ${executions} separate n8n executions`,
			) + dim(` (${counters.requests} API requests; n8n stored the token with the credential and reused it)`),
		);
		say(dim(`Done in ${seconds(Date.now() - started)}.`));
		return failures === 0 ? 0 : 1;
	} finally {
		if (!stopping) await cleanUp();
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`${red('demo failed:')} ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	},
);
