/**
 * HTTP front: reads each request, records it, then runs the live API's order of checks:
 * IP block → faults → token endpoint or (bearer auth → route → rate limits → handler), and finally
 * slow-down / latency delays before answering.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleTokenRequest } from './auth.cjs';
import { reason, springError } from './errors.cjs';
import type { FaultEngine } from './faults.cjs';
import type { Ctx, Reply, SimCore } from './http.cjs';
import type { Router } from './router.cjs';
import type { RecordedRequest, ScriptedFault, SimulatorCounters } from './types.cjs';

export interface Engine {
	core: SimCore;
	router: Router;
	counters: SimulatorCounters;
	faultEngine: FaultEngine;
	record(r: RecordedRequest): void;
	control(ctx: Ctx): Promise<Reply> | Reply;
	/** Called just before an authorised API request is handled: lets a test change the world at that moment. */
	beforeRoute?(request: { method: string; path: string; query: Record<string, string> }): void;
}

const MAX_BODY = 10 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size <= MAX_BODY) chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function lowerHeaders(req: IncomingMessage): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(req.headers)) {
		if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
	}
	return out;
}

function send(res: ServerResponse, reply: Reply, extra: Record<string, string> = {}): void {
	if (res.writableEnded || res.destroyed) return;
	let body: string | undefined;
	let type = reply.contentType;
	if (reply.raw !== undefined) {
		body = reply.raw;
		type ??= 'application/json';
	} else if (reply.body !== undefined) {
		body = typeof reply.body === 'string' && reply.contentType ? reply.body : JSON.stringify(reply.body);
		type ??= 'application/json';
	}
	const headers: Record<string, string | number> = { ...extra, ...(reply.headers ?? {}) };
	if (body !== undefined) {
		headers['Content-Type'] = type!;
		headers['Content-Length'] = Buffer.byteLength(body);
	} else {
		headers['Content-Length'] = 0;
	}
	res.writeHead(reply.status, reason(reply.status), headers);
	res.end(body);
}

function isLoopback(addr: string | undefined): boolean {
	return addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';
}

/** A scripted fault's replacement answer. */
function scriptedReply(f: ScriptedFault, path: string): Reply {
	const status = f.status ?? 500;
	if (f.body === undefined) return { ...springError(status, reason(status), path), headers: f.headers };
	if (typeof f.body === 'string') return { status, raw: f.body, headers: f.headers, contentType: f.headers?.['Content-Type'] ?? f.headers?.['content-type'] ?? 'application/json' };
	return { status, body: f.body, headers: f.headers };
}

export function createHandler(engine: Engine): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		handle(engine, req, res).catch((err: unknown) => {
			send(res, springError(500, `Simulator error: ${err instanceof Error ? err.message : String(err)}`, req.url ?? ''));
		});
	};
}

async function handle(engine: Engine, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const { core, counters } = engine;
	const body = await readBody(req);
	const method = (req.method ?? 'GET').toUpperCase();
	const rawUrl = req.url ?? '/';
	const url = new URL(rawUrl, 'http://sim.invalid');
	const path = url.pathname;
	const headers = lowerHeaders(req);
	const ip = req.socket.remoteAddress ?? 'unknown';
	const ctx: Ctx = {
		req,
		method,
		path,
		apiPath: path.startsWith('/api/') ? path.slice(4) : path,
		query: url.searchParams,
		body,
		headers,
		host: headers['host'] ?? `${core.opts.host}:${core.opts.port}`,
		params: {},
		sim: core,
	};

	// Control API for tests in other processes: loopback only, unauthenticated, not recorded.
	if (path.startsWith('/__sim/')) {
		const reply = isLoopback(ip) ? await engine.control(ctx) : springError(403, 'Control API is loopback-only', path);
		send(res, reply);
		return;
	}

	counters.requests++;
	const query: Record<string, string> = {};
	for (const [k, v] of url.searchParams) query[k] = v;
	const rec: RecordedRequest = { at: Date.now(), method, url: rawUrl, path, query, headers, body, status: 0 };
	engine.record(rec);

	const isApi = path.startsWith('/api/');
	const isToken = path === '/auth/oauth/token';
	const finish = async (reply: Reply, delayMs = 0, extra: Record<string, string> = {}): Promise<void> => {
		if (delayMs > 0) await sleep(delayMs);
		rec.status = reply.status;
		send(res, reply, extra);
	};
	const drop = async (delayMs = 0): Promise<void> => {
		if (delayMs > 0) await sleep(delayMs);
		rec.status = 0;
		req.socket.destroy();
	};

	// 1. A blocked IP gets 403 for everything, token endpoint included.
	const blocked = core.rate.blockedFor(ip);
	if (blocked > 0) {
		counters.blockedRequests++;
		const secs = Math.ceil(blocked / 1000);
		await finish(
			springError(403, `Your IP address ${ip} has been temporarily blocked because of too many requests over the rate limit. Try again in ${secs} seconds.`, path, { 'Retry-After': String(secs) }),
		);
		return;
	}

	const match = isApi ? engine.router.match(method, ctx.apiPath) : { allowed: [] as string[] };
	if (match.hit) {
		const op = match.hit.route.operationId;
		counters.byOperation[op] = (counters.byOperation[op] ?? 0) + 1;
	}
	const latency = isApi ? core.faults.latencyMs : 0;

	// 2. Faults, before anything is processed.
	const scripted = engine.faultEngine.take(method, path);
	if (scripted) {
		counters.faultsInjected++;
		if (scripted.drop === 'before') return drop(scripted.delayMs);
		if (scripted.status !== undefined && scripted.drop !== 'after') {
			await finish(scriptedReply(scripted, path), (scripted.delayMs ?? 0) + latency);
			return;
		}
	} else if (isApi) {
		const rf = engine.faultEngine.draw(core.faults, path);
		if (rf) {
			counters.faultsInjected++;
			if (rf.kind === 'drop') return drop();
			await finish(rf.reply, latency);
			return;
		}
	}

	// 3. Process.
	let reply: Reply;
	let extra: Record<string, string> = {};
	let delay = latency + (scripted?.delayMs ?? 0);
	if (isToken) {
		const out = handleTokenRequest(ctx);
		if (out.ok) counters.tokenExchanges++;
		else counters.failedTokenExchanges++;
		reply = out.reply;
	} else if (isApi) {
		const route = match.hit?.route;
		let authorised = true;
		if (!route?.public) {
			const cred = core.tokens.check(headers['authorization']);
			if ('status' in cred) {
				reply = cred;
				authorised = false;
			} else {
				ctx.credential = cred;
			}
		}
		if (route?.public) {
			// No token, so no account to count against (GET /v2/system/status).
			ctx.params = match.hit!.params;
			reply = route.handler(ctx);
		} else if (authorised) {
			// Every authenticated /api request counts against the account, unknown paths included.
			const adm = core.rate.admit(ip, match.hit?.route.rate ?? { write: false });
			counters.peakWindow = Math.max(counters.peakWindow, core.rate.windowCount);
			extra = adm.headers;
			if (!adm.ok) {
				counters.http429++;
				if (adm.blockedNow) counters.ipBlocks++;
				reply = springError(429, adm.message, path, { 'Retry-After': String(Math.ceil(adm.retryAfterMs / 1000)) });
			} else {
				if (adm.slowed) {
					counters.slowedResponses++;
					delay += core.rate.slowDelayMs;
				}
				if (!match.hit) {
					reply =
						match.allowed.length > 0
							? springError(405, `Request method '${method}' is not supported`, path, { Allow: match.allowed.join(', ') })
							: springError(404, `No static resource ${ctx.apiPath.slice(1)}.`, path);
				} else {
					ctx.params = match.hit.params;
					engine.beforeRoute?.({ method, path: ctx.apiPath, query: Object.fromEntries(ctx.query) });
					reply = match.hit.route.handler(ctx);
				}
			}
		}
	} else {
		reply = springError(404, `No static resource ${path.slice(1)}.`, path);
	}

	// 4. Answer, or (scripted 'after') process-then-drop: the ambiguous write.
	if (scripted?.drop === 'after') return drop(delay);
	await finish(reply!, delay, extra);
}
