/**
 * `npm run dev`: the n8n editor with this package, against the Datto RMM simulator.
 *
 *   - the simulator runs in this process (port 8787, or DATTO_SIM_PORT, or a free one), in its
 *     default live shapes; DATTO_SIM_UNCONFIRMED_DATES=epochMs serves the unconfirmed dates as
 *     numbers instead of ISO strings;
 *   - the package is built, then `tsc --watch` rebuilds dist/ on every change;
 *   - n8n (2.41.1 on Node 24, from the cache scripts/real-n8n.cts fills) runs `n8n start` with the
 *     package installed as a community package in a dev user folder kept between runs
 *     (`<cache>/dev-n8n`), so the node is `n8n-nodes-datto-rmm.dattoRmm` as for users; after each
 *     rebuild dist/ is copied into that installed package and n8n's hot reload (N8N_DEV_RELOAD)
 *     picks it up: refresh the editor;
 *   - a credential "Datto RMM (simulator)" pointing at the simulator is imported, and the example
 *     workflows on the first run;
 *   - an owner account is set up through n8n's REST API; the log-in is printed;
 *   - the simulator sends its alert webhooks to the webhook example's production URL (with the
 *     dev-only secret below, which a credential "Datto RMM webhook secret (dev)" holds for the
 *     trigger): publish that example, open an alert through /__sim/world, and an execution starts.
 *
 * Options: --port N (editor port, default 5678), --fresh (start with an empty dev user folder).
 * Ctrl-C stops everything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';

import { DATE_FORM_ENV, DattoSimulator, parseDateForm } from '../test/simulator/index.cjs';
import { cacheRoot } from './real-n8n.cjs';
import {
	WEBHOOK_EXAMPLE,
	loadExamples,
	prepareExample,
	prepareSimulatorWorld,
	simulatorCredential,
	webhookExampleUrl,
	webhookSecretCredential,
} from './e2e-examples.cjs';
import {
	DEMO_OWNER,
	N8nRestClient,
	PACKAGE_NAME,
	REPO_ROOT,
	buildPackage,
	communityNodesDir,
	importCredentials,
	importWorkflows,
	n8nInstance,
	portIsFree,
	freePort,
	spawnChild,
	startN8nServer,
	stopAllChildren,
	stopChild,
	type N8nServer,
} from './n8n-env.cjs';

const CREDENTIAL_ID = 'dattoRmmSimulator';
const CREDENTIAL_NAME = 'Datto RMM (simulator)';
/** The webhook example's secret in this local, throwaway dev instance (the simulator sends it). */
const DEV_WEBHOOK_SECRET = 'dev-instance-only-webhook-secret';
const WEBHOOK_CREDENTIAL = { id: 'dattoRmmWebhookSecretDev', name: 'Datto RMM webhook secret (dev)' };

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

const say = (line = '') => process.stdout.write(`${line}\n`);
const tag = (who: string, line: string) => say(`${who.padEnd(5)}│ ${line}`);

/** The installed community package, kept in step with dist/: package.json and a copy of dist. */
function syncInstalledPackage(userFolder: string): string {
	const target = path.join(communityNodesDir(userFolder), 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(target, { recursive: true });
	const manifest = path.join(communityNodesDir(userFolder), 'package.json');
	if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, `${JSON.stringify({ name: 'installed-nodes', private: true }, null, 2)}\n`);
	for (const file of ['package.json', 'README.md', 'LICENSE']) {
		if (fs.existsSync(path.join(REPO_ROOT, file))) fs.copyFileSync(path.join(REPO_ROOT, file), path.join(target, file));
	}
	// dist/ as built; the previous copy goes, so deleted sources do not linger.
	fs.rmSync(path.join(target, 'dist'), { recursive: true, force: true });
	fs.cpSync(path.join(REPO_ROOT, 'dist'), path.join(target, 'dist'), { recursive: true });
	return target;
}

async function simulatorPort(): Promise<number> {
	const wanted = Number(process.env.DATTO_SIM_PORT ?? 8787);
	return (await portIsFree(wanted)) ? wanted : freePort();
}

async function main(): Promise<void> {
	const editorPort = Number(arg('port') ?? 5678);
	const devFolder = path.join(cacheRoot(), 'dev-n8n');
	if (process.argv.includes('--fresh')) fs.rmSync(devFolder, { recursive: true, force: true });
	const firstRun = !fs.existsSync(path.join(devFolder, '.n8n', 'database.sqlite'));
	if (!(await portIsFree(editorPort))) {
		throw new Error(`Port ${editorPort} is in use (another n8n?). Stop it, or run: npm run dev -- --port <another port>`);
	}

	const instance = n8nInstance(devFolder, (line) => say(line));
	let tsc: ChildProcess | undefined;
	let server: N8nServer | undefined;
	let sim: DattoSimulator | undefined;
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		say('\nStopping n8n, tsc and the simulator…');
		if (server) await server.stop().catch(() => undefined);
		if (tsc) await stopChild(tsc, 3000).catch(() => undefined);
		await stopAllChildren(3000);
		if (sim) await sim.close().catch(() => undefined);
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	sim = await DattoSimulator.start({ port: await simulatorPort(), unconfirmedDates: parseDateForm(process.env[DATE_FORM_ENV], DATE_FORM_ENV) });
	const world = prepareSimulatorWorld(sim);
	tag('sim', `Datto RMM simulator on ${sim.url} (key ${sim.apiKey}, secret ${sim.apiSecret})`);
	tag('sim', `shapes: ${sim.describeShapes()}`);

	say('Building the package (npm run build)…');
	await buildPackage();
	const installed = syncInstalledPackage(devFolder);
	tag('pkg', `installed as a community package: ${installed}`);

	await importCredentials(instance, [
		simulatorCredential(sim, CREDENTIAL_ID, CREDENTIAL_NAME),
		webhookSecretCredential(WEBHOOK_CREDENTIAL.id, WEBHOOK_CREDENTIAL.name, DEV_WEBHOOK_SECRET),
	]);
	tag('n8n', `credential "${CREDENTIAL_NAME}" → ${sim.url}, and "${WEBHOOK_CREDENTIAL.name}" for the webhook example`);
	if (firstRun) {
		const workflows = loadExamples().map((e) =>
			prepareExample(e.workflow, { credentialId: CREDENTIAL_ID, credentialName: CREDENTIAL_NAME, world, pollSeconds: 2, webhookSecretCredential: WEBHOOK_CREDENTIAL }),
		);
		await importWorkflows(instance, workflows);
		tag('n8n', `imported ${workflows.length} example workflows from examples/`);
	}

	// tsc --watch into dist/; each successful rebuild is copied into the installed package.
	let syncTimer: NodeJS.Timeout | undefined;
	tsc = spawnChild(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--watch', '--preserveWatchOutput', '-p', 'tsconfig.json'], {
		cwd: REPO_ROOT,
	});
	let initial = true;
	const tscLog = fs.createWriteStream(path.join(devFolder, 'tsc.log'), { flags: 'a' });
	const onTscLine = (line: string) => {
		if (!line.trim()) return;
		tscLog.write(`${line}\n`);
		const done = /Found (\d+) errors?\. Watching for file changes/.exec(line);
		if (!done) {
			if (/error TS\d+/.test(line)) tag('tsc', line);
			return;
		}
		if (done[1] !== '0') {
			tag('tsc', `${done[1]} error${done[1] === '1' ? '' : 's'}: dist/ not updated (see above)`);
			return;
		}
		if (initial) {
			initial = false;
			return;
		}
		clearTimeout(syncTimer);
		syncTimer = setTimeout(() => {
			syncInstalledPackage(devFolder);
			tag('tsc', 'rebuilt: dist/ copied into the installed package, n8n reloads the node (refresh the editor)');
		}, 200);
	};
	for (const stream of [tsc.stdout!, tsc.stderr!]) {
		let rest = '';
		stream.setEncoding('utf8').on('data', (chunk: string) => {
			const lines = (rest + chunk).split('\n');
			rest = lines.pop() ?? '';
			// tsc clears the screen with escape codes in watch mode.
			lines.forEach((l) => onTscLine(l.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')));
		});
	}

	const logFile = path.join(devFolder, 'n8n.log');
	const log = fs.createWriteStream(logFile, { flags: 'a' });
	say(`Starting n8n on port ${editorPort}… (full log: ${logFile})`);
	server = await startN8nServer(instance, {
		port: editorPort,
		env: { N8N_DEV_RELOAD: 'true', N8N_LOG_LEVEL: 'info' },
		timeoutMs: 240_000,
		onLine: (line) => {
			log.write(`${line}\n`);
			// n8n's own chatter about the network (api.n8n.io is unreachable offline) and Python is noise here.
			const noise = /Python task runner|api\.n8n\.io|ENOTFOUND|EAI_AGAIN/.test(line);
			if (!noise && /\b(error|warn)\b|Hot reload|Editor is now accessible/i.test(line)) tag('n8n', line);
		},
	});
	server.child.once('exit', (code) => {
		if (!stopping) {
			say(`n8n exited (${code}); see ${logFile}`);
			void stop(1);
		}
	});

	const rest = new N8nRestClient(server.url);
	let login = `${DEMO_OWNER.email} / ${DEMO_OWNER.password}`;
	try {
		const how = await rest.signIn(DEMO_OWNER);
		if (how === 'created') tag('n8n', 'owner account set up');
	} catch {
		login = `the owner account you set up earlier (the demo one was ${DEMO_OWNER.email} / ${DEMO_OWNER.password}; --fresh starts over)`;
	}

	const webhookExample = loadExamples().find((e) => e.workflow.id === WEBHOOK_EXAMPLE.id)?.workflow;
	if (webhookExample) sim.webhooks.configure({ url: webhookExampleUrl(webhookExample, server.url, DEV_WEBHOOK_SECRET) });

	say('');
	say(`Editor:      ${server.url}`);
	say(`Log in:      ${login}`);
	say(`Credential:  "${CREDENTIAL_NAME}" (Custom URL ${sim.url})`);
	say(`Examples:    in the workflow list ("Datto RMM: …"); open one and click Execute workflow`);
	say(`Simulator:   ${sim.url}/__sim/stats (counters), key ${sim.apiKey}, secret ${sim.apiSecret}`);
	if (webhookExample) {
		say(`Webhooks:    publish "${webhookExample.name}", then open an alert: curl -X POST ${sim.url}/__sim/world -d '{"action":"openAlert","priority":"Critical"}'`);
		say(`             the simulator posts it to the workflow (${sim.url}/__sim/webhooks lists deliveries); resolve it with {"action":"resolveAlert","alertUid":"…"}`);
	}
	say('Edit nodes/ or credentials/: tsc rebuilds dist/, n8n reloads the node; refresh the editor.');
	say('Ctrl-C stops everything.');
}

main().catch(async (error: unknown) => {
	process.stderr.write(`dev failed: ${error instanceof Error ? error.message : String(error)}\n`);
	await stopAllChildren(3000);
	process.exit(1);
});
