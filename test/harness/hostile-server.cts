/**
 * A Datto RMM impostor on loopback that misbehaves on purpose, for the fault suite: it hands out
 * tokens like Datto, then answers API calls through a test's handler, which gets the raw response
 * and can cut a body after its header, trickle it a byte at a time, redirect, echo what it was
 * sent, or page forever. Every request is recorded (also those that arrive after an execution
 * ended, which is the point of several tests).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { listenOnFreshPort } from '../simulator/listen.cjs';

export interface HostileRequest {
	at: number;
	method: string;
	url: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingMessage['headers'];
	body: string;
}

/** Answers one request; return false to let the default (a valid token, or 404) answer instead. */
export type HostileHandler = (req: HostileRequest, res: ServerResponse) => void | boolean | Promise<void | boolean>;

export interface HostileServer {
	url: string;
	host: string;
	requests: HostileRequest[];
	/** API requests (under /api/, without the node's page-size and rate-view lookups), in arrival order. */
	apiRequests(): HostileRequest[];
	tokenRequests(): HostileRequest[];
	/** The token this server hands out. */
	token: string;
	handle: HostileHandler;
	close(): Promise<void>;
}

export const HOSTILE_TOKEN = 'hostile-token-7f3a9c2e4b6d8f1a';

/** A server that gives tokens and delegates the rest to `handle` (replaceable per test). */
export async function startHostileServer(handle: HostileHandler = () => false): Promise<HostileServer> {
	const requests: HostileRequest[] = [];
	const state = { handle };
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://hostile.invalid');
			const recorded: HostileRequest = {
				at: Date.now(),
				method: req.method ?? '',
				url: req.url ?? '',
				path: url.pathname,
				query: url.searchParams,
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			requests.push(recorded);
			void (async () => {
				const handled = await state.handle(recorded, res);
				if (handled !== false || res.headersSent || res.destroyed) return;
				if (recorded.path === '/auth/oauth/token') return json(res, 200, { access_token: HOSTILE_TOKEN, token_type: 'bearer', expires_in: 360000 });
				// Datto's own answers that the node needs along the way: page size and the rate view.
				if (recorded.path === '/api/v2/system/pagination') return json(res, 200, { max: 250 });
				if (recorded.path === '/api/v2/system/request_rate') {
					const since = Date.now() - 60_000;
					const count = requests.filter((r) => r.path.startsWith('/api/') && r.at > since).length;
					return json(res, 200, { slidingTimeWindowSizeSeconds: 60, accountCount: count, accountRateLimit: 600, accountCutOffRatio: 0.9 });
				}
				json(res, 404, { message: `No route ${recorded.path}` });
			})().catch(() => res.destroy());
		});
	});
	server.keepAliveTimeout = 1000;
	const { port } = await listenOnFreshPort(server, '127.0.0.1');
	return {
		url: `http://127.0.0.1:${port}`,
		host: `127.0.0.1:${port}`,
		requests,
		apiRequests: () => requests.filter((r) => r.path.startsWith('/api/') && r.path !== '/api/v2/system/pagination' && r.path !== '/api/v2/system/request_rate'),
		tokenRequests: () => requests.filter((r) => r.path === '/auth/oauth/token'),
		token: HOSTILE_TOKEN,
		get handle() {
			return state.handle;
		},
		set handle(h: HostileHandler) {
			state.handle = h;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

/** A 200 header promising the whole body, then only its first `keep` bytes and a closed connection. */
export function cutBody(res: ServerResponse, body: unknown, keep = 20): void {
	const text = JSON.stringify(body);
	res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
	res.write(text.slice(0, keep));
	setTimeout(() => res.destroy(), 20);
}

/** The body one byte every `everyMs`, for as long as the client listens. */
export function trickle(res: ServerResponse, body: unknown, everyMs: number): void {
	const text = JSON.stringify(body);
	res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
	let n = 0;
	const timer = setInterval(() => {
		if (res.destroyed || n >= text.length) {
			clearInterval(timer);
			if (!res.destroyed) res.end();
			return;
		}
		res.write(text[n++]);
	}, everyMs);
	res.on('close', () => clearInterval(timer));
}

/** A page of a Datto list. */
export function page(key: string, entries: unknown[], next: string | null, totalCount = entries.length): Record<string, unknown> {
	return { pageDetails: { count: entries.length, totalCount, prevPageUrl: null, nextPageUrl: next }, [key]: entries };
}

export function devices(from: number, count: number): Array<Record<string, unknown>> {
	return Array.from({ length: count }, (_, n) => ({ id: from + n, uid: `dev-${from + n}`, hostname: `PC-${from + n}` }));
}
