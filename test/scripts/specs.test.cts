/**
 * scripts/specs.cts, which finds Datto's spec for the tests or fetches it: against a local server
 * standing in for DATTO_SPECS_URL and for Datto's endpoint, with folders of its own standing in for
 * ../shared/specs and specs/cache, and our small spec standing in for Datto's documents.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { CURRENT_FILE, HISTORY_VERSIONS, type SpecsPlaces, ensureSpecs, historyFile, locateSpecs, summary } from '../../scripts/specs.cjs';

import { smallSpec } from '../fixtures/small-spec.cjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spec-fetch-'));
const SPEC = JSON.stringify(smallSpec(2));

/** A specs folder as ../shared/specs holds it, with our small spec for every version. */
function specsFolder(dir: string, history = true): string {
	fs.mkdirSync(path.join(dir, 'history'), { recursive: true });
	fs.writeFileSync(path.join(dir, CURRENT_FILE), SPEC);
	if (history) for (const v of HISTORY_VERSIONS) fs.writeFileSync(historyFile(dir, v), JSON.stringify(smallSpec(1)));
	return dir;
}

function tarGz(dir: string): Buffer {
	const out = path.join(tmp, `${path.basename(dir)}.tar.gz`);
	expect(spawnSync('tar', ['-czf', out, '-C', dir, '.']).status).toBe(0);
	return fs.readFileSync(out);
}

/** What the server answers, by path; every request is counted. */
const routes = new Map<string, { status: number; body: string | Buffer }>();
const requests: string[] = [];
const server = http.createServer((req, res) => {
	requests.push(req.url ?? '');
	const route = routes.get(req.url ?? '') ?? { status: 404, body: 'no such file' };
	res.writeHead(route.status).end(route.body);
});
let origin: string;
let closedPort: number;

beforeAll(async () => {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const closed = http.createServer();
	await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
	closedPort = (closed.address() as AddressInfo).port;
	await new Promise((resolve) => closed.close(resolve));
	routes.set('/specs.tar.gz', { status: 200, body: tarGz(specsFolder(path.join(tmp, 'archive'))) });
	routes.set('/current.json', { status: 200, body: SPEC });
	routes.set('/datto', { status: 200, body: SPEC });
	routes.set('/login', { status: 200, body: '<!doctype html><title>Sign in</title>' });
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
	fs.rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
/** Fresh folders; `url` and `datto` are paths on the local server (or a closed port when absent). */
function places(options: { url?: string; datto?: string } = {}): SpecsPlaces {
	const root = path.join(tmp, `case-${++n}`);
	requests.length = 0;
	return {
		shared: path.join(root, 'shared/specs'),
		cache: path.join(root, 'repo/specs/cache'),
		url: options.url && `${origin}${options.url}`,
		dattoUrl: options.datto ? `${origin}${options.datto}` : `http://127.0.0.1:${closedPort}/api/v3/api-docs/Datto-RMM`,
	};
}

test('../shared/specs beside the clone is used as it is: nothing fetched', async () => {
	const p = places({ url: '/specs.tar.gz', datto: '/datto' });
	specsFolder(p.shared);
	const location = await ensureSpecs({ places: p });
	expect(location).toMatchObject({ dir: p.shared, shared: true, current: path.join(p.shared, CURRENT_FILE), history: path.join(p.shared, 'history') });
	expect(requests).toEqual([]);
	expect(fs.existsSync(p.cache)).toBe(false);
	expect(summary(location)).toBe("Datto's spec: small-spec 2 from ../shared/specs, with 4 earlier versions; nothing skipped");
});

test('DATTO_SPECS_URL to a tar.gz of the folder fills the cache, history too; the URL is never shown', async () => {
	const p = places({ url: '/specs.tar.gz', datto: '/datto' });
	const location = await ensureSpecs({ places: p });
	expect(location).toMatchObject({ dir: p.cache, shared: false, source: 'DATTO_SPECS_URL', history: path.join(p.cache, 'history') });
	expect(fs.readFileSync(path.join(p.cache, CURRENT_FILE), 'utf8')).toBe(SPEC);
	expect(requests).toEqual(['/specs.tar.gz']);
	expect(summary(location)).toBe("Datto's spec: small-spec 2 from specs/cache (from DATTO_SPECS_URL), with 4 earlier versions; nothing skipped");
	expect(fs.readFileSync(path.join(p.cache, 'status.json'), 'utf8')).not.toContain(origin);
	// cached: the next run fetches nothing; --refresh fetches again
	await ensureSpecs({ places: p });
	expect(requests).toEqual(['/specs.tar.gz']);
	await ensureSpecs({ places: p, refresh: true });
	expect(requests).toEqual(['/specs.tar.gz', '/specs.tar.gz']);
});

test('without DATTO_SPECS_URL the current spec comes from Datto, and the history is missing with the reason', async () => {
	const p = places({ datto: '/datto' });
	const location = await ensureSpecs({ places: p });
	expect(location).toMatchObject({ dir: p.cache, source: p.dattoUrl, current: path.join(p.cache, CURRENT_FILE) });
	expect(location.history).toBeUndefined();
	expect(location.historyMissing).toBe(
		"Datto's earlier spec versions are not available: Datto publishes only its current spec, and DATTO_SPECS_URL (a tar.gz with history/) is not set",
	);
	expect(summary(location)).toMatch(/^Datto's spec: small-spec 2 from specs\/cache \(from http.*\/datto\)\. Datto's earlier .*\. SKIPPED: the tests on them\.$/);
	// what is there stays: no new request on the next run
	await ensureSpecs({ places: p });
	expect(requests).toEqual(['/datto']);
});

test('DATTO_SPECS_URL to a single spec gives the current spec; the history is missing and says why', async () => {
	const location = await ensureSpecs({ places: places({ url: '/current.json', datto: '/datto' }) });
	expect(location.source).toBe('DATTO_SPECS_URL');
	expect(location.history).toBeUndefined();
	expect(location.historyMissing).toContain('DATTO_SPECS_URL has no history/datto-rmm-openapi-1.15.1.json');
	expect(requests).toEqual(['/current.json']);
});

test('a DATTO_SPECS_URL that fails falls back to Datto for the current spec, and says why the history is missing', async () => {
	const location = await ensureSpecs({ places: places({ url: '/gone.tar.gz', datto: '/datto' }) });
	expect(location.current).toBeDefined();
	expect(location.historyMissing).toBe(
		"Datto's earlier spec versions are not available: could not download the spec from DATTO_SPECS_URL: the server answered HTTP 404 Not Found",
	);
	expect(requests).toEqual(['/gone.tar.gz', '/datto']);
});

test('nothing to be had: every reason is kept, for the skipped tests to name, and the next run tries again', async () => {
	const p = places({ url: '/login' });
	const location = await ensureSpecs({ places: p });
	expect(location.current).toBeUndefined();
	expect(location.currentMissing).toMatch(
		/^Datto's spec is not available: no \.\.\/shared\/specs beside the clone, and DATTO_SPECS_URL is not an OpenAPI document: it is not valid JSON \(it looks like HTML.*; could not download the spec from http:\/\/127\.0\.0\.1:\d+\/api\/v3\/api-docs\/Datto-RMM: the connection was refused \(ECONNREFUSED\)$/,
	);
	expect(location.historyMissing).toBe(location.currentMissing);
	expect(locateSpecs(p)).toEqual(location);
	expect(summary(location)).toBe(`${location.currentMissing}. SKIPPED: the tests that need it; everything else runs.`);
	expect(fs.readdirSync(p.cache)).toEqual(['status.json']);
	await ensureSpecs({ places: p });
	expect(requests).toEqual(['/login', '/login']);
});

test('a broken archive, or one without the spec, is refused and leaves nothing half-written', async () => {
	const p = places({ url: '/broken.tar.gz' });
	routes.set('/broken.tar.gz', { status: 200, body: Buffer.from([0x1f, 0x8b, 1, 2, 3]) });
	expect((await ensureSpecs({ places: p })).currentMissing).toContain('DATTO_SPECS_URL is not a readable tar.gz');
	const empty = path.join(tmp, 'empty');
	fs.mkdirSync(path.join(empty, 'a'), { recursive: true });
	fs.mkdirSync(path.join(empty, 'b'));
	routes.set('/empty.tar.gz', { status: 200, body: tarGz(empty) });
	p.url = `${origin}/empty.tar.gz`;
	expect((await ensureSpecs({ places: p })).currentMissing).toContain(`DATTO_SPECS_URL's archive holds no ${CURRENT_FILE}`);
	expect(fs.readdirSync(p.cache)).toEqual(['status.json']);
	expect(fs.readdirSync(path.dirname(p.cache))).toEqual(['cache']);
});

test('an archive of the specs folder itself (one folder at its top) is read as well', async () => {
	const nested = path.join(tmp, 'nested');
	specsFolder(path.join(nested, 'specs'));
	routes.set('/nested.tar.gz', { status: 200, body: tarGz(nested) });
	const location = await ensureSpecs({ places: places({ url: '/nested.tar.gz' }) });
	expect(location.history).toBeDefined();
});
