/**
 * Token endpoint: each wrong part of the exchange is rejected the way Spring OAuth does, special
 * characters survive URL-encoding, tokens expire, and the counters count.
 */
import { DattoSimulator } from './index.cjs';
import { BASIC_PUBLIC, SimClient, exchangeToken, form, raw } from './client.cjs';

const SPECIAL_KEY = 'key with space+plus';
const SPECIAL_SECRET = 'p&ss=w+rd%20 ünï€/?#';

let sim: DattoSimulator;
const tokenUrl = (): string => `${sim.url}/auth/oauth/token`;

beforeAll(async () => {
	sim = await DattoSimulator.start({ apiKey: SPECIAL_KEY, apiSecret: SPECIAL_SECRET });
});
afterAll(() => sim.close());
beforeEach(() => sim.resetCounters());

test('a correct exchange answers the bearer token body and counts one exchange', async () => {
	const r = await exchangeToken(sim);
	expect(r.status).toBe(200);
	expect(r.json).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 360000, scope: 'default' });
	expect(r.json.access_token.length).toBeGreaterThanOrEqual(20);
	expect(sim.counters).toMatchObject({ tokenExchanges: 1, failedTokenExchanges: 0 });
	// The token works on the API.
	const c = new SimClient(sim);
	c.token = r.json.access_token;
	expect((await c.get('/v2/account')).status).toBe(200);
	// Each exchange issues a new opaque token.
	const again = await exchangeToken(sim);
	expect(again.json.access_token).not.toBe(r.json.access_token);
	expect(sim.counters.tokenExchanges).toBe(2);
});

test('key and secret with & = + % / ? # and non-ASCII are accepted when URL-encoded', async () => {
	const body = form({ grant_type: 'password', username: SPECIAL_KEY, password: SPECIAL_SECRET });
	expect(body).toContain('%26'); // & encoded
	const r = await raw(tokenUrl(), { method: 'POST', headers: { Authorization: BASIC_PUBLIC, 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' }, body });
	expect(r.status).toBe(200);
	// encodeURIComponent (%20 for spaces) decodes the same way.
	const body2 = `grant_type=password&username=${encodeURIComponent(SPECIAL_KEY)}&password=${encodeURIComponent(SPECIAL_SECRET)}`;
	expect((await raw(tokenUrl(), { method: 'POST', headers: { Authorization: BASIC_PUBLIC, 'Content-Type': 'application/x-www-form-urlencoded' }, body: body2 })).status).toBe(200);
});

test('an unencoded secret is decoded like a form ("+" is a space, "&" splits) and so rejected', async () => {
	const body = `grant_type=password&username=${encodeURIComponent(SPECIAL_KEY)}&password=${SPECIAL_SECRET}`;
	const r = await raw(tokenUrl(), { method: 'POST', headers: { Authorization: BASIC_PUBLIC, 'Content-Type': 'application/x-www-form-urlencoded' }, body });
	expect(r.status).toBe(400);
	expect(r.json).toEqual({ error: 'invalid_grant', error_description: 'Bad credentials' });
});

describe('each wrong part is rejected', () => {
	const good = (): { method: string; headers: Record<string, string>; body: string } => ({
		method: 'POST',
		headers: { Authorization: BASIC_PUBLIC, 'Content-Type': 'application/x-www-form-urlencoded' },
		body: form({ grant_type: 'password', username: SPECIAL_KEY, password: SPECIAL_SECRET }),
	});

	test('GET instead of POST → 405', async () => {
		const r = await raw(tokenUrl(), { method: 'GET', headers: good().headers });
		expect(r.status).toBe(405);
		expect(r.json.error).toBe('method_not_allowed');
	});

	test('no Basic client header → 401 unauthorized', async () => {
		const g = good();
		delete g.headers.Authorization;
		const r = await raw(tokenUrl(), g);
		expect(r.status).toBe(401);
		expect(r.json).toEqual({ error: 'unauthorized', error_description: 'Full authentication is required to access this resource' });
	});

	test('wrong public client → 401 unauthorized', async () => {
		const g = good();
		g.headers.Authorization = `Basic ${Buffer.from('public-client:secret').toString('base64')}`;
		expect((await raw(tokenUrl(), g)).status).toBe(401);
		g.headers.Authorization = `Bearer ${Buffer.from('public-client:public').toString('base64')}`;
		expect((await raw(tokenUrl(), g)).status).toBe(401);
	});

	test('JSON instead of a form body → 400 invalid_request (the form is never read)', async () => {
		const r = await raw(tokenUrl(), {
			method: 'POST',
			headers: { Authorization: BASIC_PUBLIC, 'Content-Type': 'application/json' },
			body: JSON.stringify({ grant_type: 'password', username: SPECIAL_KEY, password: SPECIAL_SECRET }),
		});
		expect(r.status).toBe(400);
		expect(r.json.error).toBe('invalid_request');
	});

	test('another grant type → 400 unsupported_grant_type', async () => {
		const g = good();
		g.body = form({ grant_type: 'client_credentials', username: SPECIAL_KEY, password: SPECIAL_SECRET });
		const r = await raw(tokenUrl(), g);
		expect(r.status).toBe(400);
		expect(r.json.error).toBe('unsupported_grant_type');
	});

	test('wrong key or wrong secret → 400 invalid_grant "Bad credentials"', async () => {
		for (const [k, s] of [['nope', SPECIAL_SECRET], [SPECIAL_KEY, 'nope'], [SPECIAL_KEY, ''], ['', '']]) {
			const g = good();
			g.body = form({ grant_type: 'password', username: k, password: s });
			const r = await raw(tokenUrl(), g);
			expect(r.status).toBe(400);
			expect(r.json).toEqual({ error: 'invalid_grant', error_description: 'Bad credentials' });
		}
	});

	afterAll(() => {
		// 1 + 1 + 2 + 1 + 1 + 4 rejected exchanges in this block, none accepted.
		expect(sim.counters.tokenExchanges).toBe(0);
	});
});

test('failed exchanges are counted separately', async () => {
	await exchangeToken(sim, 'wrong', 'wrong');
	await exchangeToken(sim, 'wrong', 'wrong');
	await exchangeToken(sim);
	expect(sim.counters).toMatchObject({ tokenExchanges: 1, failedTokenExchanges: 2 });
	expect(sim.log.filter((l) => l.path === '/auth/oauth/token').map((l) => l.status)).toEqual([400, 400, 200]);
});

describe('bearer checks on /api', () => {
	test('missing token → 401 unauthorized; unknown token → invalid_token without echoing it', async () => {
		const none = await raw(`${sim.url}/api/v2/account`);
		expect(none.status).toBe(401);
		expect(none.json.error).toBe('unauthorized');
		const fake = 'abcdefghijklmnopqrstuvwxyz0123456789';
		const bad = await raw(`${sim.url}/api/v2/account`, { headers: { Authorization: `Bearer ${fake}` } });
		expect(bad.status).toBe(401);
		expect(bad.json.error).toBe('invalid_token');
		expect(bad.json.error_description).toMatch(/^Invalid access token: abcd/);
		expect(bad.text).not.toContain(fake);
	});

	test('GET /v2/system/status needs no token', async () => {
		expect((await raw(`${sim.url}/api/v2/system/status`)).status).toBe(200);
	});

	test('expireAllTokens() makes every issued token answer 401 "Access token expired"; a new exchange works', async () => {
		const c = await new SimClient(sim).login();
		expect((await c.get('/v2/account')).status).toBe(200);
		sim.expireAllTokens();
		const r = await c.get('/v2/account');
		expect(r.status).toBe(401);
		expect(r.json.error).toBe('invalid_token');
		expect(r.json.error_description).toMatch(/^Access token expired: /);
		await c.login();
		expect((await c.get('/v2/account')).status).toBe(200);
	});
});

test('a token with a 1 s lifetime reports expires_in 1 and answers 401 after it', async () => {
	const short = await DattoSimulator.start({ tokenLifetimeSeconds: 1, timeScale: 100 });
	try {
		const c = new SimClient(short);
		const t = await exchangeToken(short);
		expect(t.json.expires_in).toBe(1);
		c.token = t.json.access_token;
		expect((await c.get('/v2/account')).status).toBe(200);
		// Lifetime is real seconds: timeScale does not shorten it.
		await new Promise((r) => setTimeout(r, 1100));
		const r = await c.get('/v2/account');
		expect(r.status).toBe(401);
		expect(r.json.error_description).toMatch(/expired/);
	} finally {
		await short.close();
	}
});

test('resetApiKeys: new pair for the caller, old pair refused for new exchanges, issued tokens stay valid', async () => {
	const s = await DattoSimulator.start();
	try {
		s.addCredentials('other-key', 'other-secret', 'sam.garcia');
		const c = await new SimClient(s).login();
		const oldKey = s.apiKey;
		const oldSecret = s.apiSecret;
		const r = await c.call('POST', '/v2/user/resetApiKeys');
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ apiAccessKey: expect.any(String), apiSecretKey: expect.any(String), userName: 'demo.api' });
		expect(s.apiKey).toBe(r.json.apiAccessKey);
		expect(s.apiSecret).toBe(r.json.apiSecretKey);
		expect((await exchangeToken(s, oldKey, oldSecret)).status).toBe(400);
		expect((await exchangeToken(s, r.json.apiAccessKey, r.json.apiSecretKey)).status).toBe(200);
		// Only the caller's key changed.
		expect((await exchangeToken(s, 'other-key', 'other-secret')).status).toBe(200);
		expect((await c.get('/v2/account')).status).toBe(200);
	} finally {
		await s.close();
	}
});
