/**
 * Fetches Datto's OpenAPI spec into specs/datto-rmm-openapi.json, which git ignores: the spec is
 * Datto's document ("All rights reserved") and is never committed. The file it replaces is kept as
 * specs/datto-rmm-openapi.previous.json, and what changed between the two is summarized.
 *
 *   npm run sync:openapi                             # from DATTO_PLATFORM (default merlot)
 *   npm run sync:openapi -- --platform concord
 *   npm run sync:openapi -- --from path/to/spec.json  # copy a local file instead
 *   npm run sync:openapi -- --url URL                 # another server, e.g. a proxy
 *   npm run sync:openapi -- --out other/spec.json     # write elsewhere (previous kept beside it)
 *
 * The spec is served at https://{platform}-api.centrastage.net/api/v3/api-docs/Datto-RMM.
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured. Exit code: 0 when the spec was saved (or was
 * already up to date), 1 when it could not be fetched or is not an OpenAPI document, 2 on usage errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

import { PLATFORMS } from '../nodes/shared/transport/platforms';

import { type SpecDiff, diffSpecs, summaryLine } from './spec-diff.cjs';
import { type SpecDocument, SpecError, componentSchemas, countOperations, parseSpec } from './spec-model.cjs';

export const SPEC_FILE = path.resolve(__dirname, '../specs/datto-rmm-openapi.json');
export const DEFAULT_PLATFORM = 'merlot';
const TIMEOUT_MS = 60_000;

/** A sync that cannot be done; `usage` for a wrong command line (exit code 2), else exit code 1. */
export class SyncError extends Error {
	constructor(
		message: string,
		readonly usage = false,
	) {
		super(message);
		this.name = 'SyncError';
	}
}

export function specUrl(platform: string): string {
	return `https://${platform}-api.centrastage.net/api/v3/api-docs/Datto-RMM`;
}

/** `specs/datto-rmm-openapi.json` → `specs/datto-rmm-openapi.previous.json`. */
export function previousFile(out: string): string {
	return `${out.replace(/\.json$/i, '')}.previous.json`;
}

export interface SyncOptions {
	/** Copy this local file instead of downloading. */
	from?: string;
	/** Download from this URL instead of the platform's. */
	url?: string;
	/** Datto platform to download from (default: DATTO_PLATFORM, else merlot). */
	platform?: string;
	/** Where to write (default specs/datto-rmm-openapi.json). */
	out?: string;
	timeoutMs?: number;
}

export interface SyncResult {
	source: string;
	out: string;
	spec: SpecDocument;
	operations: number;
	schemas: number;
	/** The file already held this very document: nothing was written. */
	unchanged: boolean;
	/** Where the replaced spec was kept, if there was one. */
	previous?: string;
	previousVersion?: string;
	diff?: SpecDiff;
	warnings: string[];
}

function networkReason(error: unknown): string {
	const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
	if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer in time';
	const code = e?.cause?.code;
	const known: Record<string, string> = {
		ENOTFOUND: 'the host name does not resolve (no DNS: is this machine offline?)',
		EAI_AGAIN: 'the host name could not be resolved right now (no DNS: is this machine offline?)',
		ECONNREFUSED: 'the connection was refused',
		ECONNRESET: 'the connection was reset',
		ETIMEDOUT: 'the connection timed out',
		ENETUNREACH: 'the network is unreachable (is this machine offline?)',
		EHOSTUNREACH: 'the host is unreachable',
		UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
		UND_ERR_SOCKET: 'the server closed the connection',
		CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
		UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate cannot be verified (a proxy that intercepts TLS? set NODE_EXTRA_CA_CERTS)",
		SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate cannot be verified (a proxy that intercepts TLS? set NODE_EXTRA_CA_CERTS)",
	};
	if (code && known[code]) return `${known[code]} (${code})`;
	return e?.cause?.message ?? e?.message ?? String(error);
}

export interface DownloadOptions {
	timeoutMs?: number;
	/** How messages name the source (default: the URL; a secret URL is named by its variable). */
	label?: string;
	/** Added to a network failure's message: what to do about it. */
	hint?: string;
	/** The Accept header (default application/json). */
	accept?: string;
}

/** Downloads a body, or throws SyncError saying why not. */
export async function downloadBytes(url: string, options: DownloadOptions = {}): Promise<Buffer> {
	const { timeoutMs = TIMEOUT_MS, label = url, hint, accept = 'application/json' } = options;
	const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => process.env[name]);
	let response: Response;
	try {
		const init = { headers: { accept }, signal: AbortSignal.timeout(timeoutMs) };
		response = proxied
			? ((await undiciFetch(url, { ...init, dispatcher: new EnvHttpProxyAgent() })) as unknown as Response)
			: await fetch(url, init);
	} catch (error) {
		throw new SyncError(`Could not download the spec from ${label}: ${networkReason(error)}${hint ? `. ${hint[0].toUpperCase()}${hint.slice(1)}.` : ''}`);
	}
	if (!response.ok) {
		throw new SyncError(`Could not download the spec from ${label}: the server answered HTTP ${response.status} ${response.statusText}`.trimEnd());
	}
	try {
		return Buffer.from(await response.arrayBuffer());
	} catch (error) {
		throw new SyncError(`Could not download the spec from ${label}: the answer broke off (${networkReason(error)})`);
	}
}

/** Downloads a spec's text, or throws SyncError saying why not. */
export async function download(url: string, timeoutMs = TIMEOUT_MS): Promise<string> {
	const hint = 'check the network (and HTTPS_PROXY if you need a proxy) and the platform, or copy a file you have with --from FILE';
	// as response.text() would: UTF-8, a byte-order mark dropped
	return new TextDecoder().decode(await downloadBytes(url, { timeoutMs, hint }));
}

function sameDocument(a: string, b: string): boolean {
	if (a === b) return true;
	try {
		return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
	} catch {
		return false;
	}
}

export async function syncSpec(options: SyncOptions = {}): Promise<SyncResult> {
	const out = path.resolve(options.out ?? SPEC_FILE);
	const previous = previousFile(out);
	if (options.from !== undefined && options.url !== undefined) throw new SyncError('use either --from FILE or --url URL, not both', true);

	let text: string;
	let source: string;
	if (options.from !== undefined) {
		source = options.from;
		const from = path.resolve(options.from);
		if (from === out || from === previous) throw new SyncError(`${options.from} is the file being synced: copy from somewhere else`, true);
		try {
			text = fs.readFileSync(from, 'utf8');
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			throw new SyncError(code === 'ENOENT' ? `${options.from}: no such file` : `${options.from} cannot be read: ${(error as Error).message}`);
		}
	} else {
		let url = options.url;
		if (url === undefined) {
			const platform = (options.platform ?? process.env.DATTO_PLATFORM ?? DEFAULT_PLATFORM).trim().toLowerCase();
			if (!PLATFORMS.some((p) => p.value === platform)) {
				throw new SyncError(`unknown platform "${platform}": choose one of ${PLATFORMS.map((p) => p.value).join(', ')} (or give --url URL)`, true);
			}
			url = specUrl(platform);
		}
		source = url;
		text = await download(url, options.timeoutMs);
	}

	let spec: SpecDocument;
	try {
		spec = parseSpec(text, source);
	} catch (error) {
		if (error instanceof SpecError) throw new SyncError(`${error.message}; nothing was written`);
		throw error;
	}
	const result: SyncResult = {
		source,
		out,
		spec,
		operations: countOperations(spec.doc),
		schemas: Object.keys(componentSchemas(spec.doc)).length,
		unchanged: false,
		warnings: [],
	};

	fs.mkdirSync(path.dirname(out), { recursive: true });
	const existing = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
	if (existing !== undefined && sameDocument(existing, text)) {
		result.unchanged = true;
		return result;
	}

	// Write beside the target first, so that a failure never leaves a half-written spec.
	const temp = `${out}.tmp-${process.pid}`;
	fs.writeFileSync(temp, text);
	if (existing !== undefined) {
		let old: SpecDocument | undefined;
		try {
			old = parseSpec(existing, previous);
		} catch (error) {
			result.warnings.push(`the spec being replaced was not usable (${(error as Error).message}): kept as ${previous} all the same, but not compared`);
		}
		fs.renameSync(out, previous);
		result.previous = previous;
		if (old) {
			result.previousVersion = old.version;
			result.diff = diffSpecs(old, { ...spec, source: out });
		}
	}
	fs.renameSync(temp, out);
	return result;
}

function relative(file: string): string {
	const rel = path.relative(process.cwd(), file);
	return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export function formatSync(result: SyncResult): string {
	const lines = [
		`Source:   ${result.source}`,
		`Spec:     ${result.spec.version} (OpenAPI ${result.spec.openapi}, ${result.operations} operations, ${result.schemas} schemas)`,
	];
	if (result.unchanged) {
		lines.push(`Unchanged: ${relative(result.out)} already holds this document; nothing was written.`);
		return `${lines.join('\n')}\n`;
	}
	lines.push(`Saved:    ${relative(result.out)}`);
	for (const warning of result.warnings) lines.push(`Warning:  ${warning}`);
	if (!result.previous) {
		lines.push('No earlier spec to compare with: the next sync will show what changed.');
	} else {
		lines.push(`Previous: ${relative(result.previous)}${result.previousVersion ? `, was ${result.previousVersion}` : ''}`);
	}
	if (result.diff) {
		lines.push('', summaryLine(result.diff));
		const breaking = result.diff.changes.filter((c) => c.severity === 'breaking');
		for (const c of breaking) {
			const where = c.area === 'schema' ? `schema ${c.message}` : `${c.operation}: ${c.message}`;
			lines.push(`  BREAKING ${where}${c.nodeOperations.length ? ` [${c.nodeOperations.join(', ')}]` : ''}`);
		}
		lines.push(`Full report: npm run spec:diff ${relative(result.previous as string)} ${relative(result.out)}`);
	}
	return `${lines.join('\n')}\n`;
}

const USAGE = `usage: sync-openapi [--platform NAME | --url URL | --from FILE] [--out FILE]
  Saves Datto's OpenAPI spec (default: from DATTO_PLATFORM, else ${DEFAULT_PLATFORM}) to specs/datto-rmm-openapi.json,
  keeping the one it replaces as specs/datto-rmm-openapi.previous.json, and summarizes what changed.
  Platforms: ${PLATFORMS.map((p) => p.value).join(', ')}`;

export function parseArgs(args: string[]): SyncOptions & { help?: boolean } {
	const options: SyncOptions & { help?: boolean } = {};
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = () => {
			const v = inline ?? args[++i];
			if (v === undefined || v === '') throw new SyncError(`${flag} needs a value`, true);
			return v;
		};
		if (flag === '--help' || flag === '-h') options.help = true;
		else if (flag === '--from') options.from = value();
		else if (flag === '--url') options.url = value();
		else if (flag === '--platform') options.platform = value();
		else if (flag === '--out') options.out = value();
		else throw new SyncError(`unknown argument ${arg}`, true);
	}
	return options;
}

export async function main(args: string[]): Promise<number> {
	try {
		const options = parseArgs(args);
		if (options.help) {
			process.stdout.write(`${USAGE}\n`);
			return 0;
		}
		process.stdout.write(formatSync(await syncSpec(options)));
		return 0;
	} catch (error) {
		if (!(error instanceof SyncError)) throw error;
		process.stderr.write(`sync-openapi: ${error.message}\n${error.usage ? `${USAGE}\n` : ''}`);
		return error.usage ? 2 : 1;
	}
}

if (require.main === module) {
	void main(process.argv.slice(2)).then((code) => {
		process.exitCode = code;
	});
}
