/**
 * Shared helpers for running this package in REAL n8n (the n8n 2.41 + Node 24 install that
 * scripts/real-n8n.cts keeps in a cache outside the repository): build and pack the package,
 * install the tarball as a community package into a scratch n8n user folder, import credentials
 * and workflows with n8n's CLI, run `n8n execute`, start `n8n start` and talk to its REST API.
 *
 * Used by scripts/demo.cts, scripts/dev.cts and the end-to-end tests in test/e2e.
 * Everything here is asynchronous (child processes are spawned, never run with *Sync), so an
 * in-process Datto simulator in the same Node process keeps answering while n8n runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { ensureRealN8n, type RealN8n } from './real-n8n.cjs';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const PACKAGE_NAME = 'n8n-nodes-datto-rmm';
export const NODE_NAME = 'dattoRmm';
/** The node's type as n8n names it for an installed community package. */
export const NODE_TYPE = `${PACKAGE_NAME}.${NODE_NAME}`;
export const CREDENTIAL_TYPE = 'dattoRmmApi';
/** Local, throwaway n8n instances only: the key that encrypts their credentials. */
export const LOCAL_ENCRYPTION_KEY = 'n8n-nodes-datto-rmm-local-instances-only';

export type Log = (line: string) => void;

export function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------
// Child processes

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
	/**
	 * Take the command's stdout through a temporary file instead of a pipe. A process that exits
	 * right after printing (n8n execute --rawOutput) loses whatever the pipe had not taken yet:
	 * measured, a 10 MB print kept 0.4 MB. Writes to a file are synchronous, so nothing is lost.
	 */
	stdoutFile?: boolean;
}

/** Child process groups started here and still running: stopped when this process exits. */
const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		// The child leads its own process group (detached), so n8n's task runners go with it.
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

let exitHookInstalled = false;
function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const child of running) killGroup(child, 'SIGKILL');
	});
}

/** Stops every child process group started through this module (SIGTERM, then SIGKILL). */
export async function stopAllChildren(graceMs = 10_000): Promise<void> {
	await Promise.all([...running].map(async (child) => stopChild(child, graceMs)));
}

export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killGroup(child, 'SIGTERM');
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

/**
 * Spawns a child process in a process group of its own (so it can be stopped with everything it
 * starts), output piped, stopped when this process exits.
 */
export function spawnChild(cmd: string, args: string[], options: RunOptions, stdout: 'pipe' | number = 'pipe'): ChildProcess {
	installExitHook();
	const child = spawn(cmd, args, {
		cwd: options.cwd ?? REPO_ROOT,
		env: options.env ?? process.env,
		stdio: ['ignore', stdout, 'pipe'],
		detached: true,
	});
	running.add(child);
	child.once('exit', () => running.delete(child));
	return child;
}

/** Runs a command to its end and collects its output; never throws for a non-zero exit. */
export function run(cmd: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const outFile = options.stdoutFile ? path.join(os.tmpdir(), `n8n-env-stdout-${randomUUID()}.txt`) : undefined;
		const outFd = outFile ? fs.openSync(outFile, 'w') : undefined;
		const child = spawnChild(cmd, args, options, outFd ?? 'pipe');
		if (outFd !== undefined) fs.closeSync(outFd); // the child holds its own copy
		let stdout = '';
		let stderr = '';
		child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		const timer = options.timeoutMs
			? setTimeout(() => {
					stderr += `\n[timed out after ${seconds(options.timeoutMs!)}]`;
					killGroup(child, 'SIGKILL');
				}, options.timeoutMs)
			: undefined;
		child.once('error', (error) => {
			if (timer) clearTimeout(timer);
			reject(error);
		});
		// Anything the command left running in its process group (n8n's task runner) goes with it.
		child.once('exit', () => {
			try {
				if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
			} catch {
				// the group is already empty
			}
		});
		child.once('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			if (outFile) {
				stdout = fs.readFileSync(outFile, 'utf8');
				fs.rmSync(outFile, { force: true });
			}
			resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
		});
	});
}

function tail(text: string, lines = 40): string {
	return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Like run(), but throws with the output's tail when the command fails. */
export async function runOrThrow(what: string, cmd: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
	const result = await run(cmd, args, options);
	if (result.code !== 0) {
		throw new Error(`${what} failed (exit ${result.code ?? result.signal}):\n${tail(`${result.stdout}\n${result.stderr}`)}`);
	}
	return result;
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

export function makeTempDir(prefix: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export function removeDir(dir: string | undefined): void {
	if (dir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

// ---------------------------------------------------------------------------------------------
// The package: build, pack, install as a community package

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** `npm run build` (n8n-node build: tsc into dist/ and the icons copied). */
export async function buildPackage(): Promise<RunResult> {
	return runOrThrow('npm run build', npm, ['run', 'build'], { cwd: REPO_ROOT });
}

export interface PackedFile {
	path: string;
	size: number;
}

export interface PackResult {
	tarball: string;
	filename: string;
	files: PackedFile[];
}

/** `npm pack` into `destination`; the tarball path and the files it holds. */
export async function packPackage(destination: string): Promise<PackResult> {
	const result = await runOrThrow('npm pack', npm, ['pack', '--json', '--pack-destination', destination], { cwd: REPO_ROOT });
	const info = parseNpmJson(result.stdout)[0] as { filename: string; files: PackedFile[] };
	return { tarball: path.join(destination, info.filename), filename: info.filename, files: info.files };
}

/** npm's --json output, ignoring anything printed before it (lifecycle scripts, notices). */
export function parseNpmJson(stdout: string): unknown[] {
	const start = stdout.indexOf('[');
	if (start < 0) throw new Error(`npm printed no JSON:\n${tail(stdout)}`);
	return JSON.parse(stdout.slice(start)) as unknown[];
}

/** Where n8n keeps community packages for a user folder (Settings > Community nodes installs here). */
export function communityNodesDir(userFolder: string): string {
	return path.join(userFolder, '.n8n', 'nodes');
}

/**
 * Installs the tarball the way a community package is installed: into `<user folder>/.n8n/nodes`,
 * without peer dependencies (n8n-workflow comes from n8n itself) and without install scripts.
 * n8n then loads it as `n8n-nodes-datto-rmm.<name>`.
 */
export async function installPackage(userFolder: string, tarball: string): Promise<string> {
	const nodesDir = communityNodesDir(userFolder);
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, `${JSON.stringify({ name: 'installed-nodes', private: true }, null, 2)}\n`);
	await runOrThrow(
		'npm install of the packed tarball',
		npm,
		['install', '--omit=peer', '--omit=dev', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', tarball],
		{ cwd: nodesDir },
	);
	return path.join(nodesDir, 'node_modules', PACKAGE_NAME);
}

// ---------------------------------------------------------------------------------------------
// n8n instances

export interface N8nInstance {
	real: RealN8n;
	/** N8N_USER_FOLDER: n8n keeps its data in `<userFolder>/.n8n`. */
	userFolder: string;
	env: NodeJS.ProcessEnv;
}

/** Environment variables of the caller that must not leak into n8n (jest sets NODE_ENV=test, ...). */
const DROPPED_ENV = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|NODE_ENV$|NODE_OPTIONS$|NODE_PATH$|JEST_WORKER_ID$|TS_NODE_|TSX_)/;

export function n8nEnvironment(userFolder: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) if (!DROPPED_ENV.test(key)) env[key] = value;
	return {
		...env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: LOCAL_ENCRYPTION_KEY,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'info',
		...extra,
	};
}

/** Ensures real n8n is installed (progress on `log`) and describes an instance in `userFolder`. */
export function n8nInstance(userFolder: string, log?: Log, extraEnv: Record<string, string> = {}): N8nInstance {
	const real = ensureRealN8n(log);
	fs.mkdirSync(userFolder, { recursive: true });
	return { real, userFolder, env: n8nEnvironment(userFolder, extraEnv) };
}

/** Runs an n8n CLI command with this instance's Node 24 and environment. */
export async function n8nCli(instance: N8nInstance, args: string[], options: { timeoutMs?: number; env?: Record<string, string>; stdoutFile?: boolean } = {}): Promise<RunResult> {
	// Each n8n process starts a task broker for the Code node's runner: give it a port of its own,
	// so that a running `n8n start` (or another instance) does not collide with it.
	const env = { ...instance.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...options.env };
	return run(instance.real.node, [instance.real.n8nBin, ...args], {
		cwd: instance.userFolder,
		env,
		timeoutMs: options.timeoutMs ?? 180_000,
		stdoutFile: options.stdoutFile,
	});
}

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	/** Plain values: n8n encrypts them on import. */
	data: Record<string, unknown>;
}

export async function importCredentials(instance: N8nInstance, credentials: CredentialImport[]): Promise<RunResult> {
	const file = path.join(instance.userFolder, `import-credentials-${randomUUID()}.json`);
	fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
	try {
		const result = await n8nCli(instance, ['import:credentials', `--input=${file}`]);
		if (result.code !== 0) throw new Error(`n8n import:credentials failed:\n${tail(`${result.stdout}\n${result.stderr}`)}`);
		return result;
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/** A credential as n8n stores it, decrypted (`n8n export:credentials --decrypted`). */
export async function exportCredential(instance: N8nInstance, id: string): Promise<CredentialImport> {
	const file = path.join(instance.userFolder, `export-credential-${randomUUID()}.json`);
	try {
		const result = await n8nCli(instance, ['export:credentials', `--id=${id}`, '--decrypted', `--output=${file}`]);
		if (result.code !== 0 || !fs.existsSync(file)) throw new Error(`n8n export:credentials failed:\n${tail(`${result.stdout}\n${result.stderr}`)}`);
		return (JSON.parse(fs.readFileSync(file, 'utf8')) as CredentialImport[])[0];
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/** A workflow as n8n exports it (only the fields these helpers touch are typed). */
export interface WorkflowJson {
	id: string;
	name: string;
	active?: boolean;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

export async function importWorkflows(instance: N8nInstance, workflows: WorkflowJson[]): Promise<RunResult> {
	const dir = path.join(instance.userFolder, `import-workflows-${randomUUID()}`);
	fs.mkdirSync(dir);
	try {
		workflows.forEach((wf, i) => fs.writeFileSync(path.join(dir, `${String(i).padStart(2, '0')}.json`), JSON.stringify(wf, null, 2)));
		const result = await n8nCli(instance, ['import:workflow', '--separate', `--input=${dir}`]);
		if (result.code !== 0) throw new Error(`n8n import:workflow failed:\n${tail(`${result.stdout}\n${result.stderr}`)}`);
		return result;
	} finally {
		removeDir(dir);
	}
}

// ---------------------------------------------------------------------------------------------
// n8n execute

export interface NodeRun {
	executionStatus?: string;
	error?: { message?: string; description?: string };
	data?: { main?: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, BinaryRef> }> | null> };
}

export interface BinaryRef {
	id?: string;
	fileName?: string;
	fileSize?: string;
	bytes?: number;
	mimeType?: string;
}

/** What `n8n execute --rawOutput` prints: the whole run. */
export interface N8nRun {
	status?: string;
	finished?: boolean;
	mode?: string;
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			error?: { message?: string; description?: string; node?: { name?: string } };
			lastNodeExecuted?: string;
		};
	};
}

export interface ExecuteOutcome {
	/** Exit code 0, a run was printed, and its status is success. */
	ok: boolean;
	code: number | null;
	run?: N8nRun;
	/** Why it failed, in n8n's words. */
	error?: string;
	stdout: string;
	stderr: string;
	ms: number;
}

/**
 * Finds the run in `n8n execute` output. n8n prints log lines (task broker, license, ...) on the
 * same stdout before the pretty-printed JSON, and on failure logs the run at info level.
 */
export function parseExecuteOutput(stdout: string): N8nRun | undefined {
	const lines = stdout.split('\n');
	let found: N8nRun | undefined;
	for (let start = 0; start < lines.length; start++) {
		if (lines[start].trimEnd() !== '{') continue;
		const end = lines.findIndex((line, i) => i > start && line.trimEnd() === '}');
		if (end < 0) break;
		try {
			const value = JSON.parse(lines.slice(start, end + 1).join('\n')) as N8nRun;
			if (value?.data?.resultData) found = value;
			start = end;
		} catch {
			// not a JSON block: keep looking
		}
	}
	return found;
}

export async function executeWorkflow(instance: N8nInstance, workflowId: string, options: { timeoutMs?: number } = {}): Promise<ExecuteOutcome> {
	// The run's JSON can be megabytes (live-shaped devices): take it through a file, not a pipe.
	const result = await n8nCli(instance, ['execute', `--id=${workflowId}`, '--rawOutput'], { timeoutMs: options.timeoutMs ?? 240_000, stdoutFile: true });
	const parsed = parseExecuteOutput(result.stdout);
	const runError = parsed?.data.resultData.error;
	let error: string | undefined;
	if (runError) {
		const where = runError.node?.name ? ` (node "${runError.node.name}")` : '';
		error = `${runError.message ?? 'the workflow failed'}${where}${runError.description ? `: ${runError.description}` : ''}`;
	} else if (result.code !== 0 || !parsed) {
		error = `n8n execute exited with ${result.code ?? result.signal}:\n${tail(`${result.stdout}\n${result.stderr}`, 30)}`;
	}
	const ok = result.code === 0 && !!parsed && !runError && (parsed.status === undefined || parsed.status === 'success');
	return { ok, code: result.code, run: parsed, error: ok ? undefined : error ?? `status ${parsed?.status}`, stdout: result.stdout, stderr: result.stderr, ms: result.ms };
}

/** The JSON of the items a node output (its last run, first output). */
export function nodeItems(runData: N8nRun | undefined, nodeName: string): Array<Record<string, unknown>> {
	const runs = runData?.data.resultData.runData[nodeName];
	const last = runs?.[runs.length - 1];
	return (last?.data?.main?.[0] ?? []).map((item) => item.json);
}

export function nodeBinary(runData: N8nRun | undefined, nodeName: string, property = 'data'): BinaryRef | undefined {
	const runs = runData?.data.resultData.runData[nodeName];
	const last = runs?.[runs.length - 1];
	return last?.data?.main?.[0]?.[0]?.binary?.[property];
}

/** The file behind a binary stored in n8n's filesystem mode (`filesystem-v2:<relative path>`). */
export function binaryFilePath(instance: N8nInstance, ref: BinaryRef | undefined): string | undefined {
	const id = ref?.id;
	if (!id) return undefined;
	const relative = id.replace(/^filesystem(-v2)?:/, '');
	const candidates = [path.join(instance.userFolder, '.n8n', 'storage', relative), path.join(instance.userFolder, '.n8n', 'binaryData', relative)];
	return candidates.find((candidate) => fs.existsSync(candidate));
}

// ---------------------------------------------------------------------------------------------
// n8n start

export interface N8nServer {
	url: string;
	port: number;
	child: ChildProcess;
	/** Everything n8n printed so far (the last 2000 lines). */
	output(): string;
	/** Resolves when n8n prints a line matching `pattern`, or rejects after `timeoutMs`. */
	waitForOutput(pattern: RegExp, timeoutMs: number): Promise<string>;
	stop(): Promise<void>;
}

export interface StartOptions {
	/** What to run: `start` (the main process, default) or e.g. `worker --concurrency=10`. */
	command?: string[];
	/** Path answered once the process is ready (default n8n's `/healthz/readiness`). */
	readyPath?: string;
	port?: number;
	env?: Record<string, string>;
	timeoutMs?: number;
	/** Every line n8n prints, as it prints it. */
	onLine?: (line: string) => void;
}

async function httpOk(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await response.arrayBuffer();
		return response.ok;
	} catch {
		return false;
	}
}

/** Starts `n8n start` (or `options.command`) and resolves once it says it is ready. */
export async function startN8nServer(instance: N8nInstance, options: StartOptions = {}): Promise<N8nServer> {
	const port = options.port ?? (await freePort());
	const env: NodeJS.ProcessEnv = {
		...instance.env,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_EDITOR_BASE_URL: `http://localhost:${port}`,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...options.env,
	};
	const command = options.command ?? ['start'];
	const child = spawnChild(instance.real.node, [instance.real.n8nBin, ...command], { cwd: instance.userFolder, env });
	const lines: string[] = [];
	const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
	let buffered = '';
	const onData = (chunk: string) => {
		buffered += chunk;
		const parts = buffered.split('\n');
		buffered = parts.pop() ?? '';
		for (const line of parts) {
			lines.push(line);
			if (lines.length > 2000) lines.shift();
			options.onLine?.(line);
			for (const waiter of [...waiters]) {
				if (waiter.pattern.test(line)) {
					waiters.splice(waiters.indexOf(waiter), 1);
					waiter.resolve(line);
				}
			}
		}
	};
	child.stdout!.setEncoding('utf8').on('data', onData);
	child.stderr!.setEncoding('utf8').on('data', onData);

	const url = `http://localhost:${port}`;
	const server: N8nServer = {
		url,
		port,
		child,
		output: () => lines.join('\n'),
		waitForOutput(pattern, timeoutMs) {
			const seen = lines.find((line) => pattern.test(line));
			if (seen) return Promise.resolve(seen);
			return new Promise((resolve, reject) => {
				const waiter = { pattern, resolve: (line: string) => (clearTimeout(timer), resolve(line)) };
				const timer = setTimeout(() => {
					waiters.splice(waiters.indexOf(waiter), 1);
					reject(new Error(`n8n did not print ${pattern} within ${seconds(timeoutMs)}`));
				}, timeoutMs);
				waiters.push(waiter);
			});
		},
		stop: () => stopChild(child, 15_000),
	};

	const deadline = Date.now() + (options.timeoutMs ?? 180_000);
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`n8n ${command[0]} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(server.output())}`);
		}
		if (await httpOk(`${url}${options.readyPath ?? '/healthz/readiness'}`)) return server;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	await server.stop();
	throw new Error(`n8n ${command[0]} was not ready within ${seconds(options.timeoutMs ?? 180_000)}:\n${tail(server.output())}`);
}

// ---------------------------------------------------------------------------------------------
// n8n's REST API (what the editor uses)

export interface RestAnswer<T = unknown> {
	status: number;
	/** n8n wraps answers in `{ data }`; this is `data` when present, else the whole body. */
	data: T;
	body: unknown;
}

export interface OwnerAccount {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

/** The demo/dev/e2e owner account of local, throwaway n8n instances. */
export const DEMO_OWNER: OwnerAccount = {
	email: 'demo@example.com',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'Datto-Demo-2026',
};

export class N8nRestClient {
	private cookie = '';

	/** n8n ties its auth cookie to the browser id that logged in. */
	readonly browserId = randomUUID();

	constructor(readonly baseUrl: string) {}

	async request<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<RestAnswer<T>> {
		const headers: Record<string, string> = { accept: 'application/json', 'browser-id': this.browserId };
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (this.cookie) headers.cookie = this.cookie;
		const response = await fetch(`${this.baseUrl}${urlPath}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const setCookies = response.headers.getSetCookie?.() ?? [];
		for (const setCookie of setCookies) {
			const pair = setCookie.split(';')[0];
			if (pair.startsWith('n8n-auth=')) this.cookie = pair;
		}
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON
		}
		const data = parsed && typeof parsed === 'object' && 'data' in (parsed as object) ? (parsed as { data: T }).data : (parsed as T);
		return { status: response.status, data, body: parsed };
	}

	async expectOk<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const answer = await this.request<T>(method, urlPath, body);
		if (answer.status < 200 || answer.status >= 300) {
			throw new Error(`${method} ${urlPath} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
		}
		return answer.data;
	}

	/** Sets up the instance owner on a fresh instance, or logs in when that was done before. */
	async signIn(owner: OwnerAccount = DEMO_OWNER): Promise<'created' | 'logged-in'> {
		const settings = await this.expectOk<{ userManagement?: { showSetupOnFirstLoad?: boolean } }>('GET', '/rest/settings');
		if (settings.userManagement?.showSetupOnFirstLoad) {
			await this.expectOk('POST', '/rest/owner/setup', owner);
			return 'created';
		}
		await this.expectOk('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		return 'logged-in';
	}
}
