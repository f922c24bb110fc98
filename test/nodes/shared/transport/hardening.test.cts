/**
 * The fault suite: hostile servers on loopback (test/harness/hostile-server.cts) and the
 * simulator's fault injection, one test per guarantee in docs/reliability-and-security.md.
 * Everything runs through n8n's engine with its real request helpers.
 */
import type { ServerResponse } from 'node:http';

import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { N8nTestHarness, findSecrets, serializeAll, startSimulatedAccount, type CredentialRef, type DattoRunResult } from '../../../harness/index.cjs';
import { HOSTILE_TOKEN, cutBody, devices, json, page, startHostileServer, trickle, type HostileServer } from '../../../harness/hostile-server.cjs';

/** A secret with a space, URL and form specials and non-ASCII: every encoding differs from the raw text. */
const SECRET = 'S3cret key/with+&=%~ünï';
const API_KEY = 'hostile-api-key';

const ACCOUNT_GET: INodeParameters = { resource: 'account', operation: 'get' };
const allDevices = (options: INodeParameters = {}): INodeParameters => ({ resource: 'device', operation: 'getMany', returnAll: true, options });
const deviceGet = (uid: string, options: INodeParameters = {}): INodeParameters => ({ resource: 'device', operation: 'get', deviceUid: { __rl: true, mode: 'id', value: uid }, options });

const servers: HostileServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function hostile(handle?: Parameters<typeof startHostileServer>[0]): Promise<HostileServer> {
	const server = await startHostileServer(handle);
	servers.push(server);
	return server;
}

function credentialFor(harness: N8nTestHarness, server: HostileServer, extra: ICredentialDataDecryptedObject = {}): CredentialRef {
	return harness.addCredential({ platform: 'custom', baseUrl: server.url, apiKey: API_KEY, apiSecret: SECRET, accessToken: '', ...extra });
}

async function run(server: HostileServer, parameters: INodeParameters, inputItems?: Array<Record<string, unknown>>): Promise<DattoRunResult & { harness: N8nTestHarness }> {
	const harness = new N8nTestHarness();
	const result = await harness.runDattoNode({ parameters, credential: credentialFor(harness, server), inputItems });
	return { ...result, harness };
}

function errorText(result: DattoRunResult): string {
	const e = result.error as (Error & { description?: string | null }) | undefined;
	return e ? `${e.message}\n${e.description ?? ''}` : '';
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Answers `/api/v2/account` through `answer`, counting calls. */
function onAccount(answer: (call: number, res: ServerResponse) => void) {
	let calls = 0;
	return (req: { path: string }, res: ServerResponse) => {
		if (req.path !== '/api/v2/account') return false;
		answer(++calls, res);
		return undefined;
	};
}

describe('a response is complete or it failed', () => {
	test('a read whose body is cut off after a 200 header is a network failure, and is retried', async () => {
		const server = await hostile(onAccount((call, res) => (call === 1 ? cutBody(res, { uid: 'acct-1', name: 'Hostile MSP' }) : json(res, 200, { uid: 'acct-1', name: 'Hostile MSP' }))));
		const result = await run(server, ACCOUNT_GET);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.name)).toEqual(['Hostile MSP']);
		expect(server.apiRequests()).toHaveLength(2);
	});

	test('a create whose answer is cut off after processing is not repeated and says it may have been made', async () => {
		const server = await hostile((req, res) => {
			if (req.path !== '/api/v2/site') return false;
			cutBody(res, { uid: 'site-new', name: 'Created once' });
			return undefined;
		});
		const result = await run(server, { resource: 'site', operation: 'create', name: 'Created once' });
		expect(errorText(result)).toMatch(/may have been made/);
		expect(server.apiRequests().filter((r) => r.method === 'PUT')).toHaveLength(1);
	});

	test('a body sent a byte at a time times out as a whole, and the error says "timed out after N s"', async () => {
		let closed = false;
		const server = await hostile(onAccount((_, res) => {
			res.on('close', () => (closed = true));
			trickle(res, { uid: 'acct-1', name: 'x'.repeat(200) }, 200);
		}));
		const result = await run(server, { ...ACCOUNT_GET, options: { timeout: 2, maxRetries: 0 } });
		expect(errorText(result)).toMatch(/timed out after 2 s/);
		expect(errorText(result)).not.toMatch(/Could not reach/);
		await wait(100);
		expect(closed).toBe(true);
	});

	test('retries stop at the total deadline: four attempt deadlines, whatever Max Retries says', async () => {
		const server = await hostile(onAccount(() => undefined)); // never answers
		const result = await run(server, { ...ACCOUNT_GET, options: { timeout: 1, maxRetries: 10 } });
		expect(errorText(result)).toMatch(/timed out after/);
		expect(server.apiRequests().length).toBeLessThanOrEqual(4);
		expect(server.apiRequests().length).toBeGreaterThanOrEqual(2);
	});

	test('a read answered with an empty body is an error, not { success: true }', async () => {
		const server = await hostile(onAccount((_, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 0 });
			res.end();
		}));
		const result = await run(server, { ...ACCOUNT_GET, options: { maxRetries: 1 } });
		expect(result.items).toHaveLength(0);
		expect(errorText(result)).toMatch(/empty answer/);
		expect(server.apiRequests()).toHaveLength(2);
	});

	test('a body nested too deep to parse is an unreadable answer, not a crash', async () => {
		const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
		const server = await hostile(onAccount((_, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': deep.length });
			res.end(deep);
		}));
		const result = await run(server, { ...ACCOUNT_GET, options: { maxRetries: 0 } });
		expect(errorText(result)).toMatch(/unreadable answer|Datto RMM/);
	});
});

/**
 * Requests that reached the server well after `ended`: ones the node started after its execution
 * had failed. (A request handed to n8n's HTTP client just before the failure may still land a few
 * milliseconds after it: axios sends a request whose signal aborted while n8n was preparing it.)
 */
function startedAfter(server: HostileServer, ended: number): string[] {
	return server.requests.filter((r) => r.at > ended + 250).map((r) => `${r.at - ended} ms: ${r.method} ${r.url}`);
}

describe('failure stops work', () => {
	/** A device list of `pages` pages of 250 whose page `failing` fails (after the others have queued). */
	function failingList(pages: number, failing: number, answer: (res: ServerResponse) => void) {
		return (req: { path: string; query: URLSearchParams }, res: ServerResponse) => {
			if (req.path !== '/api/v2/account/devices') return false;
			const n = Number(req.query.get('page') ?? 0);
			if (n === failing) {
				answer(res);
				return undefined;
			}
			setTimeout(() => json(res, 200, page('devices', devices(n * 250, 250), `http://${'x'}/api/v2/account/devices?page=${n + 1}`, pages * 250)), n === 0 ? 0 : 300);
			return undefined;
		};
	}

	test('when one page of a concurrent Return All fails, no page is sent after the execution ended', async () => {
		const server = await hostile();
		server.handle = failingList(100, 3, (res) => json(res, 500, { message: 'Internal Server Error' }));
		// The next-page link must be on the credential's own server.
		const handle = server.handle;
		server.handle = (req, res) => {
			if (req.path === '/api/v2/account/devices' && req.query.get('page') === '0') {
				json(res, 200, page('devices', devices(0, 250), `${server.url}/api/v2/account/devices?max=250&page=1`, 25_000));
				return undefined;
			}
			return handle(req, res);
		};
		const result = await run(server, allDevices({ maxRetries: 0 }));
		const ended = Date.now();
		expect(errorText(result)).toMatch(/HTTP 500/);
		await wait(1500);
		expect(startedAfter(server, ended)).toEqual([]);
		// The pages already in flight when page 3 failed, no more: far from the 100 pages.
		expect(server.apiRequests().length).toBeLessThan(40);
	});

	test('an IP block stops every request to the account; an execution started meanwhile fails at once and sends nothing', async () => {
		const blockMessage = 'Your IP address 127.0.0.1 has been temporarily blocked because of too many requests over the rate limit. Try again in 120 seconds.';
		const server = await hostile();
		server.handle = (req, res) => {
			if (req.path !== '/api/v2/account/devices') return false;
			const n = Number(req.query.get('page') ?? 0);
			if (n === 0) json(res, 200, page('devices', devices(0, 250), `${server.url}/api/v2/account/devices?max=250&page=1`, 25_000));
			else if (n === 2) json(res, 403, { status: 403, error: 'Forbidden', message: blockMessage }, { 'Retry-After': '120' });
			else setTimeout(() => json(res, 200, page('devices', devices(n * 250, 250), null, 25_000)), 300);
			return undefined;
		};
		const harness = new N8nTestHarness();
		const credential = credentialFor(harness, server);
		const first = await harness.runDattoNode({ parameters: allDevices(), credential });
		const ended = Date.now();
		expect(errorText(first)).toMatch(/temporarily blocked this IP address/);
		await wait(800);
		expect(startedAfter(server, ended)).toEqual([]);
		const atEnd = server.requests.length;

		const meanwhile = await harness.runDattoNode({ parameters: ACCOUNT_GET, credential });
		expect(errorText(meanwhile)).toMatch(/temporarily blocked this IP address.*nothing was sent/s);
		expect(errorText(meanwhile)).toMatch(/try again after \d\d:\d\d:\d\d UTC/);
		expect(server.requests.length).toBe(atEnd);
	});

	test('a Retry-After longer than the shared pause cap fails the request at once and says when to retry', async () => {
		const server = await hostile(onAccount((_, res) => json(res, 429, { message: 'Too Many Requests' }, { 'Retry-After': '3600' })));
		const result = await run(server, ACCOUNT_GET);
		expect(errorText(result)).toMatch(/asked to wait 3600 s .* longer than the 60 s this node waits/);
		expect(errorText(result)).toMatch(/Try again after \d\d:\d\d:\d\d UTC/);
		expect(server.apiRequests()).toHaveLength(1);
	});
});

describe('credentials go to Datto only', () => {
	test('a redirect from an API call is not followed: the other host gets nothing, the error names it', async () => {
		const elsewhere = await hostile(() => {
			throw new Error('the other host must not be reached');
		});
		const server = await hostile(onAccount((_, res) => {
			res.writeHead(302, { Location: `${elsewhere.url}/api/v2/account`, 'Content-Length': 0 });
			res.end();
		}));
		const result = await run(server, ACCOUNT_GET);
		expect(result.items).toHaveLength(0);
		expect(errorText(result)).toMatch(new RegExp(`redirect to ${elsewhere.url.replace(/[.:/]/g, '\\$&')}.*not followed`));
		expect(elsewhere.requests).toHaveLength(0);
	});

	test('a redirect from the token endpoint is not followed: the form body with the secret stays here', async () => {
		const elsewhere = await hostile();
		const server = await hostile((req, res) => {
			if (req.path !== '/auth/oauth/token') return false;
			res.writeHead(307, { Location: `${elsewhere.url}/auth/oauth/token`, 'Content-Length': 0 });
			res.end();
			return undefined;
		});
		const result = await run(server, ACCOUNT_GET);
		expect(errorText(result)).toMatch(new RegExp(`redirected to "${elsewhere.host.replace(/[.:]/g, '\\$&')}"`));
		expect(elsewhere.requests).toHaveLength(0);
		expect(findSecrets([result.run, result.error, result.reportedErrors], [SECRET])).toEqual([]);
	});

	test('a token endpoint that echoes the form body has the secret masked in every encoding', async () => {
		const server = await hostile((req, res) => {
			if (req.path !== '/auth/oauth/token') return false;
			// Spring echoing the request: form encoding (+ for space) and lowercase hex.
			const echoed = req.body.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()).replace(/%20/g, '+');
			json(res, 400, { error: 'invalid_grant', error_description: `Bad credentials for ${echoed} (raw: ${SECRET})` });
			return undefined;
		});
		const result = await run(server, ACCOUNT_GET);
		expect(errorText(result)).toMatch(/rejected the API key or secret/);
		expect(findSecrets([result.run, result.error, result.reportedErrors, result.harness.reportedErrors], [SECRET])).toEqual([]);
	});

	test('an API error that echoes the Authorization header has the token masked in message, stack and saved data', async () => {
		const server = await hostile(onAccount((_, res) => json(res, 400, { errorCode: 'BAD', message: 'Invalid request', details: { authorization: `Bearer ${HOSTILE_TOKEN}` } })));
		const result = await run(server, ACCOUNT_GET);
		expect(errorText(result)).toMatch(/HTTP 400/);
		const everything = serializeAll([result.run, result.error, result.reportedErrors]);
		expect(everything).not.toContain(HOSTILE_TOKEN);
		expect(everything).toContain('Bearer ***');
	});

	test('an answer that echoes the token as data has it masked in the output', async () => {
		const server = await hostile(onAccount((_, res) => json(res, 200, { uid: 'acct-1', name: 'Echo', seen: `Bearer ${HOSTILE_TOKEN}` })));
		const result = await run(server, ACCOUNT_GET);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.seen).toBe('Bearer ***');
	});

	test('a token with control characters is refused rather than put into a header', async () => {
		const server = await hostile((req, res) => {
			if (req.path !== '/auth/oauth/token') return false;
			json(res, 200, { access_token: 'abc\r\nX-Injected: 1', token_type: 'bearer', expires_in: 3600 });
			return undefined;
		});
		const result = await run(server, ACCOUNT_GET);
		expect(errorText(result)).toMatch(/without an access_token/);
		expect(server.apiRequests()).toHaveLength(0);
	});
});

describe('input that would change the path is refused before sending', () => {
	test.each(['.', '..', ' .. '])('Device UID %j is bad input naming the field', async (uid) => {
		const server = await hostile();
		const result = await run(server, deviceGet(uid));
		expect(errorText(result)).toMatch(/Device cannot be/);
		expect(errorText(result)).toMatch(/nothing was sent/);
		expect(server.apiRequests()).toHaveLength(0);
	});

	test('the same from an expression, per item, with Continue on Fail', async () => {
		const server = await hostile((req, res) => {
			if (!req.path.startsWith('/api/v2/device/')) return false;
			json(res, 200, { uid: req.path.split('/').pop(), hostname: 'PC-1' });
			return undefined;
		});
		const harness = new N8nTestHarness();
		const result = await harness.runDattoNode({
			parameters: deviceGet('={{ $json.uid }}'),
			credential: credentialFor(harness, server),
			inputItems: [{ uid: 'dev-1' }, { uid: '..' }, { uid: 'dev-2' }],
			continueOnFail: true,
		});
		expect(result.items.map((i) => i.json.uid ?? 'error')).toEqual(['dev-1', 'error', 'dev-2']);
		expect(server.apiRequests().map((r) => r.path)).toEqual(expect.arrayContaining(['/api/v2/device/dev-1', '/api/v2/device/dev-2']));
		expect(server.apiRequests()).toHaveLength(2);
	});
});

describe('one token exchange per credential per process at a time', () => {
	test('a cold credential with ten concurrent items makes one exchange', async () => {
		const server = await hostile((req, res) => {
			if (req.path === '/auth/oauth/token') {
				setTimeout(() => json(res, 200, { access_token: HOSTILE_TOKEN, token_type: 'bearer', expires_in: 360000 }), 200);
				return undefined;
			}
			if (!req.path.startsWith('/api/v2/device/')) return false;
			json(res, 200, { uid: req.path.split('/').pop(), hostname: 'PC' });
			return undefined;
		});
		const result = await run(server, deviceGet('={{ $json.uid }}'), Array.from({ length: 10 }, (_, n) => ({ uid: `dev-${n}` })));
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(10);
		expect(server.tokenRequests()).toHaveLength(1);
	});

	test('a token expiring during a concurrent Return All is renewed once', async () => {
		const account = await startSimulatedAccount({ simulator: { pageSize: 10, size: { devices: 300 } } });
		try {
			const { sim, harness, credential } = account;
			expect((await harness.runDattoNode({ parameters: ACCOUNT_GET, credential })).error).toBeUndefined();
			const before = sim.counters.tokenExchanges;
			let expired = false;
			sim.beforeRoute = (request) => {
				if (!expired && request.path === '/v2/account/devices' && Number(request.query.page) >= 3) {
					expired = true;
					sim.expireAllTokens();
				}
			};
			const result = await harness.runDattoNode({ parameters: allDevices(), credential });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(sim.state.devices.filter((d) => !d.deleted).length);
			expect(sim.counters.tokenExchanges).toBe(before + 1);
		} finally {
			await account.close();
		}
	});

	test('a token expiring during a fan-out is renewed once', async () => {
		const account = await startSimulatedAccount({ simulator: { size: { devices: 60 } } });
		try {
			const { sim, harness, credential } = account;
			expect((await harness.runDattoNode({ parameters: ACCOUNT_GET, credential })).error).toBeUndefined();
			const before = sim.counters.tokenExchanges;
			let seen = 0;
			sim.beforeRoute = (request) => {
				if (request.path.startsWith('/v2/device/') && ++seen === 10) sim.expireAllTokens();
			};
			const uids = sim.state.devices.filter((d) => !d.deleted).map((d) => ({ uid: d.uid }));
			const result = await harness.runDattoNode({ parameters: deviceGet('={{ $json.uid }}'), credential, inputItems: uids });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(uids.length);
			expect(sim.counters.tokenExchanges).toBe(before + 1);
		} finally {
			await account.close();
		}
	});
});

describe('paging cannot run away', () => {
	test('next-page links that keep coming with the same devices stop with an error at the first repeat', async () => {
		const server = await hostile((req, res) => {
			if (req.path !== '/api/v2/account/devices') return false;
			const n = Number(req.query.get('page') ?? 0);
			json(res, 200, page('devices', devices(0, 250), `${server.url}/api/v2/account/devices?max=250&page=${n + 1}`, 250));
			return undefined;
		});
		const result = await run(server, allDevices());
		expect(errorText(result)).toMatch(/returned only entries already read/);
		expect(server.apiRequests().length).toBeLessThanOrEqual(2);
	});

	test('a server that ignores the page number stops at the first page that repeats', async () => {
		const server = await hostile((req, res) => {
			if (req.path !== '/api/v2/account/devices') return false;
			json(res, 200, page('devices', devices(0, 250), `${server.url}/api/v2/account/devices?max=250&page=1`, 5000));
			return undefined;
		});
		const result = await run(server, allDevices());
		expect(errorText(result)).toMatch(/returned only entries already read/);
		expect(server.apiRequests().length).toBeLessThanOrEqual(1 + 24);
	});

	test('a totalCount far above the real count stops at the first empty page', async () => {
		const server = await hostile((req, res) => {
			if (req.path !== '/api/v2/account/devices') return false;
			const n = Number(req.query.get('page') ?? 0);
			const entries = n < 2 ? devices(n * 250, 250) : n === 2 ? devices(500, 100) : [];
			setTimeout(() => json(res, 200, page('devices', entries, `${server.url}/api/v2/account/devices?max=250&page=${n + 1}`, 1_000_000)), 50);
			return undefined;
		});
		const result = await run(server, allDevices());
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(600);
		// Page 3 is the first empty one; at most the pages already in flight beside it were asked.
		expect(server.apiRequests().length).toBeLessThanOrEqual(3 + 24);
		expect(JSON.stringify(result.taskOf(result.nodeName)?.hints ?? [])).toMatch(/reported 1000000 entries/);
	});
});
