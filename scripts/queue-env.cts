/**
 * n8n's queue mode on this machine, for the end-to-end tests: Redis (Debian's redis-server,
 * installed here when missing) and PostgreSQL (the machine's PostgreSQL 15, a throwaway cluster
 * in a scratch folder), both on loopback ports of their own, and `n8n worker` processes beside
 * the `n8n start` of scripts/n8n-env.cts. Everything started here stops with `stop()` or when this
 * process exits.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { freePort, makeTempDir, removeDir, run, runOrThrow, spawnChild, startN8nServer, stopChild, type Log, type N8nInstance, type N8nServer } from './n8n-env.cjs';

function which(command: string): string | undefined {
	try {
		return execFileSync('which', [command], { encoding: 'utf8' }).trim() || undefined;
	} catch {
		return undefined;
	}
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** redis-server's path; installs Debian's package first when it is missing (needs root or sudo). */
export async function ensureRedis(log: Log): Promise<string> {
	const found = which('redis-server');
	if (found) return found;
	const sudo = isRoot() ? [] : ['sudo', '-n'];
	if (!isRoot() && !which('sudo')) throw new Error('redis-server is missing and this user cannot install it: run `apt-get install -y redis-server` as root');
	log('[queue] installing redis-server from Debian (apt-get, once)...');
	const apt = (args: string[]) => {
		const [cmd, ...rest] = [...sudo, 'apt-get', ...args];
		return runOrThrow(`apt-get ${args.join(' ')}`, cmd, rest, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeoutMs: 600_000 });
	};
	await apt(['update', '-qq']);
	await apt(['install', '-y', '-qq', '--no-install-recommends', 'redis-server']);
	const installed = which('redis-server');
	if (!installed) throw new Error('apt-get installed redis-server, but it is not on PATH');
	return installed;
}

export interface Service {
	port: number;
	stop(): Promise<void>;
}

/** Resolves when something answers on 127.0.0.1:port, or rejects after `timeoutMs`. */
async function waitForPort(port: number, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const open = await new Promise<boolean>((resolve) => {
			const socket = net.connect(port, '127.0.0.1');
			socket.once('connect', () => (socket.destroy(), resolve(true)));
			socket.once('error', () => resolve(false));
		});
		if (open) return;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`${what} did not listen on port ${port} within ${timeoutMs / 1000} s`);
}

/** A Redis of our own on a loopback port: no persistence, gone with the process. */
export async function startRedis(log: Log): Promise<Service> {
	const binary = await ensureRedis(log);
	const port = await freePort();
	const child = spawnChild(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {});
	await waitForPort(port, 15_000, 'redis-server');
	log(`[queue] Redis on 127.0.0.1:${port}`);
	return { port, stop: () => stopChild(child, 5000) };
}

export interface Database extends Service {
	/** n8n's settings for it (DB_TYPE, DB_POSTGRESDB_*). */
	env: Record<string, string>;
	kind: 'postgresdb' | 'sqlite';
}

function postgresBin(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

/**
 * A throwaway PostgreSQL cluster with a database `n8n`, as n8n recommends for queue mode. As root
 * it runs as the `postgres` user (initdb and pg_ctl refuse root). When no cluster can start here,
 * n8n's SQLite is used instead, and `kind` says so.
 */
export async function startDatabase(log: Log): Promise<Database> {
	const bin = postgresBin();
	const asPostgres = (command: string, args: string[]) => (isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]) as [string, string[]];
	if (bin) {
		const dir = makeTempDir('datto-rmm-postgres');
		try {
			if (isRoot()) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
			const data = path.join(dir, 'data');
			const port = await freePort();
			await runOrThrow('initdb', ...asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']), { timeoutMs: 120_000 });
			const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
			await runOrThrow('pg_ctl start', ...asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'postgres.log'), '-o', options, '-w', '-t', '60', 'start']), { timeoutMs: 90_000 });
			await runOrThrow('createdb n8n', ...asPostgres(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'n8n']), { timeoutMs: 30_000 });
			log(`[queue] PostgreSQL ${path.basename(path.dirname(bin))} on 127.0.0.1:${port}`);
			return {
				kind: 'postgresdb',
				port,
				env: {
					DB_TYPE: 'postgresdb',
					DB_POSTGRESDB_HOST: '127.0.0.1',
					DB_POSTGRESDB_PORT: String(port),
					DB_POSTGRESDB_DATABASE: 'n8n',
					DB_POSTGRESDB_USER: 'postgres',
					DB_POSTGRESDB_PASSWORD: '',
				},
				stop: async () => {
					await run(...asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']), { timeoutMs: 30_000 });
					removeDir(dir);
				},
			};
		} catch (error) {
			log(`[queue] PostgreSQL could not start here (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); using SQLite, which n8n does not officially support for queue mode`);
			removeDir(dir);
		}
	} else {
		log('[queue] no PostgreSQL binaries found; using SQLite, which n8n does not officially support for queue mode');
	}
	return { kind: 'sqlite', port: 0, env: { DB_TYPE: 'sqlite' }, stop: async () => undefined };
}

export interface QueueServices {
	redis: Service;
	database: Database;
	/** Settings every n8n process of this queue needs (database, Redis, queue mode). */
	env: Record<string, string>;
	stop(): Promise<void>;
}

/** Redis and a database for one queue-mode n8n, and the settings its processes share. */
export async function startQueueServices(log: Log): Promise<QueueServices> {
	const redis = await startRedis(log);
	const database = await startDatabase(log);
	return {
		redis,
		database,
		env: {
			...database.env,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			QUEUE_BULL_PREFIX: `datto-${randomUUID().slice(0, 8)}`,
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		},
		stop: async () => {
			await database.stop();
			await redis.stop();
		},
	};
}

/** An `n8n worker` of the instance's queue, ready when its health endpoint answers. */
export async function startN8nWorker(instance: N8nInstance, options: { concurrency?: number; onLine?: (line: string) => void } = {}): Promise<N8nServer> {
	const healthPort = await freePort();
	return startN8nServer(instance, {
		command: ['worker', `--concurrency=${options.concurrency ?? 10}`],
		port: healthPort,
		readyPath: '/healthz/readiness',
		env: { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort) },
		onLine: options.onLine,
	});
}
