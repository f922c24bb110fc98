/**
 * Where the tests find Datto's OpenAPI specs, and fetching them when a clone has none. The specs are
 * Datto's documents ("All rights reserved"): never committed. The tests use, in this order:
 *
 *  1. `../shared/specs/` beside the checkout (the maintainers' layout, and `.ci/run`'s): the current
 *     spec and `history/` with the earlier versions the spec-diff tests compare;
 *  2. `specs/cache/` (git-ignored), which this script fills when (1) is absent: from
 *     `DATTO_SPECS_URL` (a tar.gz of a folder laid out as (1), or a single spec JSON), else the
 *     current spec from Datto's public endpoint (Datto publishes no earlier versions).
 *
 * What cannot be had is reported with the reason, and the tests that need it are skipped (see
 * test/specs.cts). Jest runs this before the tests (test/global-setup.cjs); by hand:
 *
 *   npm run specs                   # fetch what is missing, print where the specs come from
 *   npm run specs -- --refresh      # fetch again (e.g. Datto published a new spec)
 *   npm run specs -- --require-all  # exit 1 unless the current spec and its history are there (CI)
 *
 * A failed download never fails the run: it is recorded in specs/cache/status.json as the reason.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseSpec, readSpec } from './spec-model.cjs';
import { DEFAULT_PLATFORM, downloadBytes, specUrl } from './sync-openapi.cjs';

export const CURRENT_FILE = 'datto-rmm-openapi.json';
/** The earlier versions the spec-diff tests compare, in history/. */
export const HISTORY_VERSIONS = ['1.15.1', '1.22.1', '1.24.0', 'build-118'] as const;
export type HistoryVersion = (typeof HISTORY_VERSIONS)[number];
const STATUS_FILE = 'status.json';
const TIMEOUT_MS = 10_000;

export function historyFile(dir: string, version: HistoryVersion): string {
	return path.join(dir, 'history', `datto-rmm-openapi-${version}.json`);
}

/** Where to look and where to fetch from: the real places by default, a test's own in tests. */
export interface SpecsPlaces {
	/** `../shared/specs`. */
	shared: string;
	/** `specs/cache`. */
	cache: string;
	/** DATTO_SPECS_URL, if set. */
	url?: string;
	/** Datto's public endpoint (platform DATTO_PLATFORM, else merlot). */
	dattoUrl: string;
}

export function defaultPlaces(env: NodeJS.ProcessEnv = process.env): SpecsPlaces {
	const platform = (env.DATTO_PLATFORM || DEFAULT_PLATFORM).trim().toLowerCase().replace(/[^a-z]/g, '');
	return {
		shared: path.resolve(__dirname, '../../shared/specs'),
		cache: path.resolve(__dirname, '../specs/cache'),
		url: env.DATTO_SPECS_URL?.trim() || undefined,
		dattoUrl: specUrl(platform),
	};
}

/** What the last fetch into the cache found (specs/cache/status.json). */
interface FetchStatus {
	at: string;
	/** Where the cached files came from (a secret URL is named by its variable). */
	source?: string;
	/** Why the current spec, or the history, could not be fetched. */
	currentReason?: string;
	historyReason?: string;
}

export interface SpecsLocation {
	/** `../shared/specs`, `specs/cache`, or undefined: no spec at all. */
	dir?: string;
	/** Whether dir is ../shared/specs. */
	shared: boolean;
	/** Where the files came from, for messages. */
	source?: string;
	/** The current spec's file, or undefined and `currentMissing` says why. */
	current?: string;
	currentMissing?: string;
	/** The folder holding every HISTORY_VERSIONS file, or undefined and `historyMissing` says why. */
	history?: string;
	historyMissing?: string;
}

function readStatus(cache: string): FetchStatus | undefined {
	try {
		return JSON.parse(fs.readFileSync(path.join(cache, STATUS_FILE), 'utf8')) as FetchStatus;
	} catch {
		return undefined;
	}
}

function missingHistory(dir: string): string[] {
	return HISTORY_VERSIONS.filter((v) => !fs.existsSync(historyFile(dir, v))).map((v) => path.basename(historyFile(dir, v)));
}

/** Where the specs are now (the file system only: nothing is fetched). */
export function locateSpecs(places: SpecsPlaces = defaultPlaces()): SpecsLocation {
	const shared = fs.existsSync(path.join(places.shared, CURRENT_FILE));
	const dir = shared ? places.shared : fs.existsSync(path.join(places.cache, CURRENT_FILE)) ? places.cache : undefined;
	const status = shared ? undefined : readStatus(places.cache);
	if (!dir) {
		const why = status?.currentReason ?? 'nothing fetched yet (jest fetches it before the tests; or run npm run specs)';
		const currentMissing = `Datto's spec is not available: no ../shared/specs beside the clone, and ${why}`;
		return { shared, currentMissing, historyMissing: currentMissing };
	}
	const location: SpecsLocation = { dir, shared, source: shared ? '../shared/specs' : (status?.source ?? 'specs/cache'), current: path.join(dir, CURRENT_FILE) };
	const missing = missingHistory(dir);
	if (!missing.length) location.history = path.join(dir, 'history');
	else if (shared) location.historyMissing = `Datto's earlier spec versions are not available: ../shared/specs/history lacks ${missing.join(', ')}`;
	else {
		const why = status?.historyReason ?? 'Datto publishes only its current spec; the earlier versions come from ../shared/specs/history or DATTO_SPECS_URL';
		location.historyMissing = `Datto's earlier spec versions are not available: ${why}`;
	}
	return location;
}

/** A gzip stream's first bytes. */
const isGzip = (bytes: Buffer) => bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** The folder in `root` that holds the current spec: root itself or its only subfolder. */
function specFolder(root: string): string | undefined {
	if (fs.existsSync(path.join(root, CURRENT_FILE))) return root;
	const entries = fs.readdirSync(root, { withFileTypes: true });
	if (entries.length === 1 && entries[0].isDirectory()) return specFolder(path.join(root, entries[0].name));
	return undefined;
}

/** Downloads DATTO_SPECS_URL (a tar.gz of the specs folder, or one spec) into a fresh cache. */
async function fetchFromUrl(url: string, cache: string, status: FetchStatus): Promise<void> {
	const label = 'DATTO_SPECS_URL';
	const bytes = await downloadBytes(url, { label, timeoutMs: TIMEOUT_MS, accept: '*/*' });
	const staging = `${cache}.tmp-${process.pid}`;
	fs.rmSync(staging, { recursive: true, force: true });
	fs.mkdirSync(staging, { recursive: true });
	try {
		let folder: string | undefined = staging;
		let what = label;
		if (isGzip(bytes)) {
			const tar = spawnSync('tar', ['-xzf', '-', '-C', staging], { input: bytes, encoding: 'utf8' });
			if (tar.status !== 0) throw new Error(`${label} is not a readable tar.gz: ${(tar.stderr || String(tar.error)).trim().split('\n')[0]}`);
			folder = specFolder(staging);
			if (!folder) throw new Error(`${label}'s archive holds no ${CURRENT_FILE}`);
			what = `${label}'s ${CURRENT_FILE}`;
		} else {
			fs.writeFileSync(path.join(staging, CURRENT_FILE), bytes);
		}
		// an OpenAPI document, or it throws saying why
		parseSpec(fs.readFileSync(path.join(folder, CURRENT_FILE), 'utf8'), what);
		fs.rmSync(cache, { recursive: true, force: true });
		fs.renameSync(folder, cache);
		status.source = label;
		const missing = missingHistory(cache);
		if (missing.length) status.historyReason = `${label} has no history/${missing.join(', history/')}`;
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

/** Downloads the current spec from Datto's public endpoint into the cache. */
async function fetchFromDatto(url: string, cache: string, status: FetchStatus): Promise<void> {
	const text = new TextDecoder().decode(await downloadBytes(url, { timeoutMs: TIMEOUT_MS }));
	parseSpec(text, url);
	fs.mkdirSync(cache, { recursive: true });
	fs.writeFileSync(path.join(cache, CURRENT_FILE), text);
	status.source = url;
}

/**
 * Fetches into specs/cache what the tests need and do not have, unless ../shared/specs is there.
 * Never throws for a failed download: the reason goes to the status file and so to the skips.
 */
export async function ensureSpecs(options: { refresh?: boolean; places?: SpecsPlaces } = {}): Promise<SpecsLocation> {
	const places = options.places ?? defaultPlaces();
	const { cache, url } = places;
	if (locateSpecs(places).shared) return locateSpecs(places);
	if (options.refresh) fs.rmSync(cache, { recursive: true, force: true });
	const cached = locateSpecs(places);
	if (cached.current && (cached.history || !url)) return cached;

	const status: FetchStatus = { at: new Date().toISOString(), source: readStatus(cache)?.source };
	const reasons: string[] = [];
	if (url) {
		try {
			await fetchFromUrl(url, cache, status);
		} catch (error) {
			reasons.push((error as Error).message);
		}
	} else {
		status.historyReason = 'Datto publishes only its current spec, and DATTO_SPECS_URL (a tar.gz with history/) is not set';
	}
	if (!locateSpecs(places).current) {
		try {
			await fetchFromDatto(places.dattoUrl, cache, status);
		} catch (error) {
			reasons.push((error as Error).message);
		}
	}
	const why = [...(url ? [] : ['DATTO_SPECS_URL is not set']), ...reasons].join('; ').replace(/(^|; )Could not/g, '$1could not');
	if (!locateSpecs(places).current) status.currentReason = why;
	else if (url && reasons.length && !status.historyReason) status.historyReason = why;
	fs.mkdirSync(cache, { recursive: true });
	fs.writeFileSync(path.join(cache, STATUS_FILE), `${JSON.stringify(status, null, '\t')}\n`);
	return locateSpecs(places);
}

/** One line: where the specs come from, and what is skipped for want of them. */
export function summary(location: SpecsLocation): string {
	if (!location.current) return `${location.currentMissing}. SKIPPED: the tests that need it; everything else runs.`;
	const from = location.shared ? '../shared/specs' : `specs/cache (from ${location.source})`;
	const current = `${readSpec(location.current).version} from ${from}`;
	if (location.history) return `Datto's spec: ${current}, with ${HISTORY_VERSIONS.length} earlier versions; nothing skipped`;
	return `Datto's spec: ${current}. ${location.historyMissing}. SKIPPED: the tests on them.`;
}

export async function main(args: string[]): Promise<number> {
	const unknown = args.filter((a) => a !== '--refresh' && a !== '--require-all');
	if (unknown.length) {
		process.stderr.write(`specs: unknown argument ${unknown[0]}\nusage: specs [--refresh] [--require-all]\n`);
		return 2;
	}
	const location = await ensureSpecs({ refresh: args.includes('--refresh') });
	process.stdout.write(`${summary(location)}\n`);
	return args.includes('--require-all') && !(location.current && location.history) ? 1 : 0;
}

if (require.main === module) {
	void main(process.argv.slice(2)).then((code) => {
		process.exitCode = code;
	});
}
