/**
 * Workflows run in n8n-core's engine (Manual Trigger → [Items] → Datto RMM) against the simulator:
 * one token per credential shared across executions, renewal after expiry, and failures that tell
 * the user what to fix without leaking the secret or the token.
 */
import type { ExecutionBaseError, ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DattoSimulator } from '../../../simulator/index.cjs';
import {
	N8nTestHarness,
	findSecrets,
	simulatorCredentialData,
	startSimulatedAccount,
	startStubServer,
	unusedLocalUrl,
	type SimulatedAccount,
} from '../../../harness/index.cjs';

const TOKEN_PATH = '/auth/oauth/token';
const ACCOUNT_GET = { resource: 'account', operation: 'get' };

function tokenRequests(sim: DattoSimulator) {
	return sim.log.filter((r) => r.path === TOKEN_PATH);
}

/** Everything a user sees of a node's error. */
function errorText(error: ExecutionBaseError | undefined): string {
	if (!error) return '';
	const e = error as ExecutionBaseError & { description?: string | null; messages?: string[] };
	return [e.message, e.description ?? '', ...(e.messages ?? [])].join('\n');
}

describe('one token per credential, shared by executions', () => {
	let account: SimulatedAccount;

	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator: { seed: 21 } });
	});
	afterAll(async () => {
		await account.close();
	});

	test('twenty executions of Manual Trigger → Account: Get make exactly one token exchange', async () => {
		const { sim, harness, credential } = account;
		for (let run = 0; run < 20; run++) {
			const result = await harness.runDattoNode({ parameters: ACCOUNT_GET, credential });
			expect(result.error).toBeUndefined();
			expect(result.run.status).toBe('success');
			expect(result.items).toHaveLength(1);
			expect(result.items[0].json).toMatchObject({ uid: expect.any(String), name: expect.any(String) });
			expect(result.items[0].pairedItem).toEqual({ item: 0 });
		}
		expect(sim.counters.tokenExchanges).toBe(1);
		expect(tokenRequests(sim)).toHaveLength(1);

		// The token is stored with the credential (once) and is the one every call used.
		const stored = harness.store.data(credential.id).accessToken as string;
		expect(stored).toMatch(/\S{16,}/);
		expect(harness.store.tokenStores(credential.id)).toBe(1);
		const apiCalls = sim.log.filter((r) => r.path === '/api/v2/account');
		expect(apiCalls).toHaveLength(20);
		expect(new Set(apiCalls.map((r) => r.headers.authorization))).toEqual(new Set([`Bearer ${stored}`]));
		// n8n-core asked for preAuthentication before each call, and it ran only the first time.
		expect(harness.credentialsHelper.preAuthenticationRuns).toBe(1);

		expect(findSecrets(harness.runs, [sim.apiSecret, stored])).toEqual([]);
	});

	test('five input items: five results, each paired to its item, still no new exchange', async () => {
		const { sim, harness, credential } = account;
		const before = sim.counters.tokenExchanges;
		const result = await harness.runDattoNode({
			parameters: ACCOUNT_GET,
			credential,
			inputItems: [1, 2, 3, 4, 5].map((n) => ({ n })),
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		expect(result.items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(sim.counters.tokenExchanges).toBe(before);
	});

	test('a second credential with other keys gets its own token; one with the same keys shares it', async () => {
		const { sim, harness, credential } = account;
		sim.addCredentials('second-api-key', 'second-api-secret');
		const other = harness.addCredential(simulatorCredentialData(sim, { apiKey: 'second-api-key', apiSecret: 'second-api-secret' }), { name: 'Second API user' });
		const before = sim.counters.tokenExchanges;
		for (let run = 0; run < 3; run++) {
			expect((await harness.runDattoNode({ parameters: ACCOUNT_GET, credential: other })).error).toBeUndefined();
		}
		expect(sim.counters.tokenExchanges).toBe(before + 1);
		expect(harness.store.data(other.id).accessToken).not.toBe(harness.store.data(credential.id).accessToken);

		// The same Datto user entered twice: this process already holds a token for those keys.
		const twin = harness.addCredential(simulatorCredentialData(sim), { name: 'Same keys again' });
		expect((await harness.runDattoNode({ parameters: ACCOUNT_GET, credential: twin })).error).toBeUndefined();
		expect(sim.counters.tokenExchanges).toBe(before + 1);
		expect(harness.store.data(twin.id).accessToken).toBe(harness.store.data(credential.id).accessToken);
	});
});

describe('an expired token is renewed once, and the run succeeds', () => {
	test('after sim.expireAllTokens(): one 401, one new exchange, the call retried', async () => {
		const { sim, harness, credential, close } = await startSimulatedAccount({ simulator: { seed: 22 } });
		try {
			expect((await harness.runDattoNode({ parameters: ACCOUNT_GET, credential })).error).toBeUndefined();
			const firstToken = harness.store.data(credential.id).accessToken;
			sim.expireAllTokens();
			sim.log.length = 0;

			const result = await harness.runDattoNode({ parameters: ACCOUNT_GET, credential });
			expect(result.error).toBeUndefined();
			expect(result.run.status).toBe('success');
			expect(result.items).toHaveLength(1);
			expect(sim.counters.tokenExchanges).toBe(2);
			expect(sim.counters.failedTokenExchanges).toBe(0);
			expect(sim.log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
				'GET /api/v2/account 401',
				`POST ${TOKEN_PATH} 200`,
				'GET /api/v2/account 200',
			]);
			const renewed = harness.store.data(credential.id).accessToken as string;
			expect(renewed).not.toBe(firstToken);
			expect(harness.store.tokenStores(credential.id)).toBe(2);
			expect(sim.log[2].headers.authorization).toBe(`Bearer ${renewed}`);
			expect(
				findSecrets([result.run, result.reportedErrors], [sim.apiSecret, firstToken as string, renewed]),
			).toEqual([]);

			// And the renewed token is then reused.
			expect((await harness.runDattoNode({ parameters: ACCOUNT_GET, credential })).error).toBeUndefined();
			expect(sim.counters.tokenExchanges).toBe(2);
		} finally {
			await close();
		}
	});

	test('a token that outlives its lifetime (1 s) is renewed the same way', async () => {
		const { sim, harness, credential, close } = await startSimulatedAccount({
			simulator: { seed: 23, tokenLifetimeSeconds: 1 },
		});
		try {
			expect((await harness.runDattoNode({ parameters: ACCOUNT_GET, credential })).error).toBeUndefined();
			await new Promise((resolve) => setTimeout(resolve, 1300));
			const result = await harness.runDattoNode({ parameters: ACCOUNT_GET, credential });
			expect(result.error).toBeUndefined();
			expect(sim.counters.tokenExchanges).toBe(2);
			expect(sim.counters.failedTokenExchanges).toBe(0);
		} finally {
			await close();
		}
	});
});

describe('renewal against a minimal Datto-like token server (independent of the simulator)', () => {
	/** Issues tok-1, tok-2, ...; accepts only the latest token, or none when `refuseAll`. */
	async function tokenServer(state: { valid: string; issued: number; refuseAll: boolean }) {
		return await startStubServer((req) => {
			const json = { 'Content-Type': 'application/json' };
			if (req.url === TOKEN_PATH) {
				state.valid = `tok-${++state.issued}-${'x'.repeat(24)}`;
				return { status: 200, headers: json, body: JSON.stringify({ access_token: state.valid, token_type: 'bearer', expires_in: 360000 }) };
			}
			if (state.refuseAll || req.headers.authorization !== `Bearer ${state.valid}`) {
				return { status: 401, headers: json, body: '{"error":"invalid_token","error_description":"Access token expired"}' };
			}
			return { status: 200, headers: json, body: '{"uid":"acc-1","name":"Acme"}' };
		});
	}

	test('a stale stored token: 401, one new exchange, the request retried with the new token', async () => {
		const state = { valid: '', issued: 0, refuseAll: false };
		const stub = await tokenServer(state);
		try {
			const harness = new N8nTestHarness();
			const credential = harness.addCredential({
				platform: 'custom',
				baseUrl: stub.url,
				apiKey: 'key',
				apiSecret: 'secret',
				accessToken: 'stale-token-from-yesterday',
			});
			const result = await harness.runDattoNode({ parameters: ACCOUNT_GET, credential });
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json)).toEqual([{ uid: 'acc-1', name: 'Acme' }]);
			expect(stub.requests.map((r) => `${r.method} ${r.url} ${r.headers.authorization ?? ''}`)).toEqual([
				'GET /api/v2/account Bearer stale-token-from-yesterday',
				`POST ${TOKEN_PATH} Basic cHVibGljLWNsaWVudDpwdWJsaWM=`,
				`GET /api/v2/account Bearer ${state.valid}`,
			]);
			expect(harness.store.data(credential.id).accessToken).toBe(state.valid);
			expect(harness.credentialsHelper.preAuthenticationCalls.map((c) => [c.credentialsExpired, c.ran])).toEqual([
				[false, false],
				[true, true],
			]);
		} finally {
			await stub.close();
		}
	});

	test('a token refused even when fresh: renewed once only, then the node fails without the token', async () => {
		const state = { valid: '', issued: 0, refuseAll: true };
		const stub = await tokenServer(state);
		try {
			const harness = new N8nTestHarness();
			const result = await harness.runDattoNode({
				parameters: ACCOUNT_GET,
				credential: { platform: 'custom', baseUrl: stub.url, apiKey: 'key', apiSecret: 'sekrit-value' },
			});
			expect(result.run.status).toBe('error');
			expect(state.issued).toBe(2);
			expect(stub.requests.filter((r) => r.url !== TOKEN_PATH)).toHaveLength(2);
			expect(errorText(result.error)).toMatch(/401/);
			expect(
				findSecrets([result.run, result.reportedErrors], ['sekrit-value', 'tok-1-', 'tok-2-']),
			).toEqual([]);
		} finally {
			await stub.close();
		}
	});
});

describe('a failing exchange fails the node with the credential’s message, and leaks nothing', () => {
	let sim: DattoSimulator;
	const SECRET = 'p&s=1+2%3 ü€';
	const KEY = 'k&y=1+2%3 ä';

	beforeAll(async () => {
		sim = await DattoSimulator.start({ seed: 24, apiKey: KEY, apiSecret: SECRET });
	});
	afterAll(async () => {
		await sim.close();
	});

	async function runWith(overrides: ICredentialDataDecryptedObject, continueOnFail = false) {
		const harness = new N8nTestHarness();
		sim.log.length = 0;
		const before = { ...sim.counters };
		const result = await harness.runDattoNode({
			parameters: ACCOUNT_GET,
			credential: simulatorCredentialData(sim, overrides),
			continueOnFail,
		});
		return {
			result,
			harness,
			exchanges:
				sim.counters.tokenExchanges +
				sim.counters.failedTokenExchanges -
				before.tokenExchanges -
				before.failedTokenExchanges,
		};
	}

	test('wrong secret: names what to check, tried once, no secret anywhere', async () => {
		const wrong = 'wr0ng&secret=+% ü';
		const { result, harness, exchanges } = await runWith({ apiSecret: wrong });
		expect(result.run.status).toBe('error');
		expect(findSecrets([result.run, result.error, harness.runs, harness.reportedErrors], [wrong, SECRET, KEY])).toEqual([]);
		expect(exchanges).toBe(1);
		expect(sim.log.filter((r) => r.path !== TOKEN_PATH)).toHaveLength(0);
		const text = errorText(result.error);
		expect(text).toMatch(/Datto RMM rejected the API key or secret \(HTTP 400: Bad credentials\)/);
		expect(text).toMatch(/Check the API Key and API Secret/);
	});

	test('wrong secret with "On Error: Continue": an error item, still no secret', async () => {
		const wrong = 'wr0ng&secret=+% ü';
		const { result } = await runWith({ apiSecret: wrong }, true);
		expect(result.run.status).toBe('success');
		expect(result.items).toHaveLength(1);
		expect(findSecrets([result.run, result.reportedErrors], [wrong, SECRET, KEY])).toEqual([]);
		expect(JSON.stringify(result.items[0].json)).toMatch(/rejected the API key or secret/);
	});

	test('nothing listening at the Custom URL: the node error names the host', async () => {
		const { url, host } = await unusedLocalUrl();
		const { result } = await runWith({ baseUrl: url });
		const text = errorText(result.error);
		expect(text).toContain(`host "${host}"`);
		expect(text).toMatch(/Check the Platform/);
		expect(findSecrets([result.run, result.reportedErrors], [SECRET, KEY])).toEqual([]);
	});

	test('a token endpoint answering HTML: the node error says it is not JSON', async () => {
		const stub = await startStubServer({ status: 200, body: '<html><body>Login</body></html>' });
		try {
			const { result } = await runWith({ baseUrl: stub.url });
			expect(errorText(result.error)).toMatch(/something that is not JSON: check the Platform \/ Base URL/);
			expect(stub.requests).toHaveLength(1);
			expect(findSecrets([result.run, result.reportedErrors], [SECRET, KEY])).toEqual([]);
		} finally {
			await stub.close();
		}
	});

	test('a token endpoint answering JSON without access_token: the node error says so', async () => {
		const stub = await startStubServer({
			status: 200,
			body: '{"hello":"world"}',
			headers: { 'Content-Type': 'application/json' },
		});
		try {
			const { result } = await runWith({ baseUrl: stub.url });
			expect(errorText(result.error)).toMatch(/JSON without an access_token/);
			expect(stub.requests).toHaveLength(1);
		} finally {
			await stub.close();
		}
	});

	test.each<[string, ICredentialDataDecryptedObject, RegExp]>([
		['unknown platform', { platform: 'bordeaux' }, /Unknown platform "bordeaux"/],
		['empty API key', { apiKey: '' }, /API Key is empty/],
		['empty API secret', { apiSecret: '' }, /API Secret is empty/],
		['Custom URL ftp://x', { baseUrl: 'ftp://x' }, /Base URL must use http or https/],
	])('%s: the node fails before any request', async (_label, overrides, message) => {
		const { result, harness, exchanges } = await runWith(overrides);
		expect(result.run.status).toBe('error');
		expect(errorText(result.error)).toMatch(message);
		expect(exchanges).toBe(0);
		expect(sim.log).toHaveLength(0);
		expect(harness.credentialsHelper.preAuthenticationCalls.filter((c) => c.ran && !c.failed)).toHaveLength(0);
	});

	test('a successful run shows neither the secret nor the token', async () => {
		const { result, harness } = await runWith({});
		expect(result.error).toBeUndefined();
		const token = harness.store.data(result.credential.id).accessToken as string;
		expect(token).toMatch(/\S{16,}/);
		expect(findSecrets([result.run, result.items], [SECRET, KEY, token])).toEqual([]);
	});
});
