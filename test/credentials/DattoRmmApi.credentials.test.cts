/**
 * The Datto RMM API credential: its fields, Datto's token exchange byte for byte, the errors a user
 * sees when it fails, and the editor's credential test, all through n8n-core's real request
 * helpers (the harness in test/harness) against the simulator or tiny local servers.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import type { ICredentialDataDecryptedObject, INode, INodeTypes } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { DattoRmmApi } from '../../credentials/DattoRmmApi.credentials';
import { PLATFORMS, resolveBaseUrl } from '../../nodes/shared/transport/platforms';
import { DattoSimulator } from '../simulator/index.cjs';
import {
	N8nTestHarness,
	findSecrets,
	simulatorCredentialData,
	startStubServer,
	testCredential,
	unusedLocalUrl,
} from '../harness/index.cjs';

const TOKEN_PATH = '/auth/oauth/token';
const PUBLIC_CLIENT_HEADER = `Basic ${Buffer.from('public-client:public').toString('base64')}`;

/** Key and secret with every character a form body can break on: & = + % space, non-ASCII. */
const AWKWARD_KEY = 'k&y=1+2%3 ä/€?#';
const AWKWARD_SECRET = 'p&s=1+2%3 ü€';

function expectedBody(key: string, secret: string): string {
	return `grant_type=password&username=${encodeURIComponent(key)}&password=${encodeURIComponent(secret)}`;
}

describe('credential description', () => {
	const credential = new DattoRmmApi();

	test('identity, documentation and icons', () => {
		expect(credential.name).toBe('dattoRmmApi');
		expect(credential.displayName).toBe('Datto RMM API');
		expect(credential.documentationUrl).toBe('https://rmm.datto.com/help/en/Content/2SETUP/APIv2.htm');
		expect(credential.icon).toEqual({
			light: 'file:../icons/datto-rmm.svg',
			dark: 'file:../icons/datto-rmm.dark.svg',
		});
	});

	test('fields in order: platform, baseUrl, apiKey, apiSecret, then the hidden expirable token', () => {
		const names = credential.properties.map((p) => p.name);
		expect(names.slice(0, 4)).toEqual(['platform', 'baseUrl', 'apiKey', 'apiSecret']);
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));

		expect(byName.platform.type).toBe('options');
		expect(byName.platform.default).toBe('merlot');
		expect(byName.platform.options).toEqual([
			...PLATFORMS.map((p) => ({ name: p.name, value: p.value })),
			{ name: 'Custom URL', value: 'custom' },
		]);
		expect(byName.platform.description).toMatch(/merlot\.centrastage\.net/);

		expect(byName.baseUrl.type).toBe('string');
		expect(byName.baseUrl.displayOptions).toEqual({ show: { platform: ['custom'] } });
		expect(byName.baseUrl.placeholder).toMatch(/127\.0\.0\.1:8787/);

		expect(byName.apiKey).toMatchObject({ type: 'string', required: true });
		expect(byName.apiSecret).toMatchObject({
			type: 'string',
			required: true,
			typeOptions: { password: true },
		});
		expect(byName.accessToken).toMatchObject({
			type: 'hidden',
			default: '',
			typeOptions: { expirable: true },
		});
	});

	test('authenticates with a bearer header and tests with GET {root}/api/v2/account', () => {
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
		});
		expect(credential.test?.request.url).toBe('/v2/account');
	});

	const baseUrlCases: ICredentialDataDecryptedObject[] = [
		...PLATFORMS.map((p) => ({ platform: p.value })),
		{ platform: 'custom', baseUrl: 'http://127.0.0.1:8787' },
		{ platform: 'custom', baseUrl: 'http://127.0.0.1:8787/' },
		{ platform: 'custom', baseUrl: 'http://127.0.0.1:8787/api' },
		{ platform: 'custom', baseUrl: 'https://proxy.example.com/datto/api/' },
		{ platform: 'custom', baseUrl: ' https://proxy.example.com/datto// ' },
	];
	const expectedBaseUrls = baseUrlCases.map((c) => `${resolveBaseUrl(c)}/api`);
	const bearer = { expression: '=Bearer {{$credentials.accessToken}}', expected: 'Bearer tok-123' };

	test("the test request's base URL follows resolveBaseUrl; the bearer header resolves (legacy engine)", () => {
		const nodeTypes: INodeTypes = {
			getByName: () => ({ description: { properties: [] } }) as never,
			getByNameAndVersion: () => ({ description: { properties: [] } }) as never,
			getKnownTypes: () => ({}),
		};
		const node: INode = { id: 'n', name: 'n', type: 'mock', typeVersion: 1, position: [0, 0], parameters: {} };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		const resolve = (expression: string, credentials: ICredentialDataDecryptedObject) =>
			workflow.expression.getSimpleParameterValue(node, expression, 'internal', { $credentials: credentials });
		expect(baseUrlCases.map((c) => resolve(credential.test!.request.baseURL as string, c))).toEqual(expectedBaseUrls);
		expect(resolve(bearer.expression, { accessToken: 'tok-123' })).toBe(bearer.expected);
	});

	// n8n's server evaluates expressions in a sandboxed engine by default ('vm', isolated-vm, not
	// built on this machine). quickjs is n8n's other sandboxed engine; it needs dynamic import,
	// which jest's module sandbox lacks, so it runs in a child Node process.
	test('the same expressions resolve identically in the sandboxed quickjs engine', () => {
		const script = `
			const { Expression, Workflow } = require('n8n-workflow');
			const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
			(async () => {
				await Expression.initExpressionEngine({ engine: 'quickjs', bridgeTimeout: 5000,
					bridgeMemoryLimit: 128, poolSize: 1, maxCodeCacheSize: 64 });
				const types = { getByName: () => ({ description: { properties: [] } }),
					getByNameAndVersion: () => ({ description: { properties: [] } }), getKnownTypes: () => ({}) };
				const node = { id: 'n', name: 'n', type: 'mock', typeVersion: 1, position: [0, 0], parameters: {} };
				const wf = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: types });
				await wf.expression.acquireIsolate();
				const out = input.map(([expression, credentials]) =>
					wf.expression.getSimpleParameterValue(node, expression, 'internal', { $credentials: credentials }));
				const engine = Expression.getActiveImplementation();
				await wf.expression.releaseIsolate();
				await Expression.disposeExpressionEngine();
				process.stdout.write(JSON.stringify({ engine, out }));
			})().catch((e) => { process.stdout.write(JSON.stringify({ error: String(e) })); });
		`;
		const input = [
			...baseUrlCases.map((c) => [credential.test!.request.baseURL, c]),
			[bearer.expression, { accessToken: 'tok-123' }],
		];
		const child = spawnSync(process.execPath, ['-e', script], {
			cwd: join(__dirname, '../..'),
			input: JSON.stringify(input),
			encoding: 'utf8',
			timeout: 60_000,
		});
		const result = JSON.parse(child.stdout) as { engine?: string; out?: unknown[]; error?: string };
		expect(result.error).toBeUndefined();
		expect(result.engine).toBe('quickjs');
		expect(result.out).toEqual([...expectedBaseUrls, bearer.expected]);
	});
});

describe('token exchange against the simulator', () => {
	let sim: DattoSimulator;

	beforeAll(async () => {
		sim = await DattoSimulator.start({ seed: 7, apiKey: AWKWARD_KEY, apiSecret: AWKWARD_SECRET });
	});
	afterAll(async () => {
		await sim.close();
	});
	beforeEach(() => {
		sim.log.length = 0;
	});

	test("is Datto's request byte for byte, with a key and secret full of & = + % space and non-ASCII", async () => {
		const harness = new N8nTestHarness();
		const result = await testCredential(harness, simulatorCredentialData(sim));
		expect(result).toMatchObject({ status: 'OK', message: 'Connection successful!' });

		const tokenRequests = sim.log.filter((r) => r.path === TOKEN_PATH);
		expect(tokenRequests).toHaveLength(1);
		const [request] = tokenRequests;
		expect(request.method).toBe('POST');
		expect(request.url).toBe(TOKEN_PATH);
		expect(request.status).toBe(200);
		expect(request.headers.authorization).toBe(PUBLIC_CLIENT_HEADER);
		expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(request.headers.accept).toBe('application/json');
		expect(request.body).toBe(expectedBody(AWKWARD_KEY, AWKWARD_SECRET));
		// Decoded the way a form parser (Spring's) decodes it, the values come back intact.
		const form = new URLSearchParams(request.body);
		expect([...form.keys()]).toEqual(['grant_type', 'username', 'password']);
		expect(form.get('username')).toBe(AWKWARD_KEY);
		expect(form.get('password')).toBe(AWKWARD_SECRET);

		// Then the editor's test call, with the token the exchange returned.
		const stored = harness.store.data(result.id);
		expect(typeof stored.accessToken).toBe('string');
		expect(stored.accessToken).not.toBe('');
		const apiCalls = sim.log.filter((r) => r.path !== TOKEN_PATH);
		expect(apiCalls.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /api/v2/account 200']);
		expect(apiCalls[0].headers.authorization).toBe(`Bearer ${stored.accessToken as string}`);
	});

	test('returns only { accessToken } from preAuthentication, sent through n8n-core', async () => {
		const harness = new N8nTestHarness();
		const ref = harness.addCredential(simulatorCredentialData(sim));
		await testCredential(harness, undefined, { id: ref.id });
		// One write by preAuthentication, changing only the token.
		expect(harness.store.writes).toEqual([{ id: ref.id, type: 'dattoRmmApi', changed: ['accessToken'] }]);
		const { accessToken, ...rest } = harness.store.data(ref.id);
		const { accessToken: _empty, ...submitted } = simulatorCredentialData(sim);
		expect(_empty).toBe('');
		expect(rest).toEqual(submitted);
		expect(accessToken).toMatch(/\S{16,}/);
	});
});

describe('errors that say what to check, and never the secret', () => {
	let sim: DattoSimulator;
	const harness = new N8nTestHarness();

	beforeAll(async () => {
		sim = await DattoSimulator.start({ seed: 11, apiKey: AWKWARD_KEY, apiSecret: AWKWARD_SECRET });
	});
	afterAll(async () => {
		await sim.close();
	});
	beforeEach(() => {
		sim.log.length = 0;
	});

	test('a wrong secret: Datto rejected the key or secret; check key, secret and platform', async () => {
		const wrongSecret = 'n0t-the&secret=+%';
		const result = await testCredential(harness, simulatorCredentialData(sim, { apiSecret: wrongSecret }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Datto RMM rejected the API key or secret \(HTTP 400: Bad credentials\)\. Check the API Key and API Secret, and that Platform is the one your account is on \(a wrong platform also answers this way\)/,
		);
		expect(findSecrets([result, harness.reportedErrors], [wrongSecret, AWKWARD_SECRET, AWKWARD_KEY])).toEqual([]);
		// One attempt, nothing stored.
		expect(sim.log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`POST ${TOKEN_PATH} 400`]);
		expect(harness.store.data(result.id).accessToken).toBe('');
	});

	test('a wrong key answers the same way', async () => {
		const result = await testCredential(harness, simulatorCredentialData(sim, { apiKey: 'WRONGKEY' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/rejected the API key or secret \(HTTP 400/);
		expect(findSecrets(result, [AWKWARD_SECRET])).toEqual([]);
	});

	test('nothing listening at the custom URL: names the host and says to check Platform / Base URL', async () => {
		const { url, host } = await unusedLocalUrl();
		const result = await testCredential(harness, simulatorCredentialData(sim, { baseUrl: url }));
		expect(result.status).toBe('Error');
		expect(result.message).toContain(`host "${host}"`);
		expect(result.message).toMatch(/connection was refused/);
		expect(result.message).toMatch(/Check the Platform \(or the Base URL/);
		expect(findSecrets([result, harness.reportedErrors], [AWKWARD_SECRET, AWKWARD_KEY])).toEqual([]);
	});

	test('a host name that does not resolve is named too', async () => {
		const result = await testCredential(
			harness,
			simulatorCredentialData(sim, { baseUrl: 'http://datto-rmm-nonexistent.invalid' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toContain('host "datto-rmm-nonexistent.invalid"');
		expect(result.message).toMatch(/Check the Platform/);
	});

	test.each([
		['an HTML page (200)', 200],
		['an HTML 404 page', 404],
	])('a token endpoint answering %s: not JSON, check the Platform / Base URL', async (_label, status) => {
		const stub = await startStubServer({
			status,
			body: '<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>',
		});
		try {
			const result = await testCredential(harness, simulatorCredentialData(sim, { baseUrl: stub.url }));
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/answered .*something that is not JSON: check the Platform \/ Base URL/);
			expect(result.message).toContain(stub.host);
			expect(findSecrets([result, harness.reportedErrors], [AWKWARD_SECRET, AWKWARD_KEY])).toEqual([]);
			// The stub got Datto's exchange, and nothing else was sent.
			expect(stub.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${TOKEN_PATH}`]);
			expect(stub.requests[0].body).toBe(expectedBody(AWKWARD_KEY, AWKWARD_SECRET));
		} finally {
			await stub.close();
		}
	});

	test('JSON without an access_token: says so', async () => {
		const stub = await startStubServer({
			status: 200,
			body: JSON.stringify({ token_type: 'bearer', expires_in: 360000 }),
			headers: { 'Content-Type': 'application/json' },
		});
		try {
			const result = await testCredential(harness, simulatorCredentialData(sim, { baseUrl: stub.url }));
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/answered JSON without an access_token/);
			expect(result.message).toMatch(/Check the Platform \/ Base URL/);
		} finally {
			await stub.close();
		}
	});

	test('403: IP blocked or API access disabled, and where to enable it', async () => {
		const stub = await startStubServer({
			status: 403,
			body: JSON.stringify({ error: 'access_denied', error_description: 'Access is denied' }),
			headers: { 'Content-Type': 'application/json' },
		});
		try {
			const result = await testCredential(harness, simulatorCredentialData(sim, { baseUrl: stub.url }));
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/HTTP 403/);
			expect(result.message).toMatch(/IP address is temporarily blocked/);
			expect(result.message).toContain('Setup > Global Settings > Access Control > Enable API Access');
		} finally {
			await stub.close();
		}
	});

	test('an error body that echoes the secret is scrubbed', async () => {
		const stub = await startStubServer((req) => ({
			status: 401,
			body: JSON.stringify({ error: 'invalid_grant', error_description: `Bad credentials for ${req.body}` }),
			headers: { 'Content-Type': 'application/json' },
		}));
		try {
			const result = await testCredential(harness, simulatorCredentialData(sim, { baseUrl: stub.url }));
			expect(result.message).toMatch(/^Datto RMM rejected the API key or secret \(HTTP 401: Bad credentials for/);
			expect(findSecrets([result, harness.reportedErrors], [AWKWARD_SECRET, AWKWARD_KEY])).toEqual([]);
		} finally {
			await stub.close();
		}
	});
});

describe('bad input is refused before any request', () => {
	let sim: DattoSimulator;
	const harness = new N8nTestHarness();

	beforeAll(async () => {
		sim = await DattoSimulator.start({ seed: 3 });
	});
	afterAll(async () => {
		await sim.close();
	});

	test.each<[string, ICredentialDataDecryptedObject, string, RegExp]>([
		['an unknown platform', { platform: 'bordeaux' }, 'platform', /Unknown platform "bordeaux"/],
		['an empty API key', { apiKey: '' }, 'apiKey', /API Key is empty/],
		['an API key of spaces', { apiKey: '   ' }, 'apiKey', /API Key is empty/],
		['an empty API secret', { apiSecret: '' }, 'apiSecret', /API Secret is empty/],
		['a Custom URL with ftp://', { baseUrl: 'ftp://x' }, 'baseUrl', /Base URL must use http or https, not "ftp"/],
		['an empty Custom URL', { baseUrl: '' }, 'baseUrl', /Base URL is empty/],
		['a Custom URL that is not a URL', { baseUrl: 'merlot' }, 'baseUrl', /Base URL "merlot" is not a valid URL/],
	])('%s', async (_label, overrides, field, message) => {
		sim.log.length = 0;
		const data = simulatorCredentialData(sim, overrides);

		// The credential's own hook, with a helper that records any request it would send.
		const sent: unknown[] = [];
		const hook = new DattoRmmApi().preAuthentication!;
		const error = await hook
			.call({ helpers: { httpRequest: async (options: unknown) => sent.push(options) } } as never, data)
			.then(() => undefined, (e: unknown) => e as Error & { field?: string });
		expect(error).toBeInstanceOf(Error);
		expect(error!.message).toMatch(message);
		expect(error!.field).toBe(field);
		expect(sent).toEqual([]);

		// The same through the editor's credential test in n8n's engine.
		const result = await testCredential(harness, data);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(sim.log).toHaveLength(0);
		expect(sim.counters.tokenExchanges + sim.counters.failedTokenExchanges).toBe(0);
	});
});

describe("editor's credential test", () => {
	let sim: DattoSimulator;

	beforeAll(async () => {
		sim = await DattoSimulator.start({ seed: 5 });
	});
	afterAll(async () => {
		await sim.close();
	});

	test('good keys pass: exchange, then an authenticated GET /api/v2/account', async () => {
		const harness = new N8nTestHarness();
		sim.log.length = 0;
		const result = await testCredential(harness, simulatorCredentialData(sim));
		expect(result).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(sim.log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			`POST ${TOKEN_PATH} 200`,
			'GET /api/v2/account 200',
		]);
		expect(findSecrets(result, [sim.apiSecret, harness.store.data(result.id).accessToken as string])).toEqual([]);
	});

	test('a base URL pasted with /api/ works the same', async () => {
		const harness = new N8nTestHarness();
		const result = await testCredential(harness, simulatorCredentialData(sim, { baseUrl: `${sim.url}/api/` }));
		expect(result.status).toBe('OK');
	});

	test('the test always fetches a fresh token, even with one stored (as n8n does for its test node)', async () => {
		const harness = new N8nTestHarness();
		const ref = harness.addCredential(simulatorCredentialData(sim));
		await testCredential(harness, undefined, { id: ref.id });
		const first = harness.store.data(ref.id).accessToken;
		const before = sim.counters.tokenExchanges;
		const result = await testCredential(harness, undefined, { id: ref.id });
		expect(result.status).toBe('OK');
		expect(sim.counters.tokenExchanges).toBe(before + 1);
		expect(harness.store.data(ref.id).accessToken).not.toBe(first);
	});

	test('bad keys fail with the helpful message', async () => {
		const harness = new N8nTestHarness();
		const result = await testCredential(harness, simulatorCredentialData(sim, { apiSecret: 'nope-nope' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Datto RMM rejected the API key or secret \(HTTP 400: Bad credentials\)/);
		expect(result.message).toMatch(/Check the API Key and API Secret/);
		expect(result.message).not.toContain('nope-nope');
	});
});
