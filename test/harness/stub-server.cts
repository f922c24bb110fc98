/**
 * A tiny loopback HTTP server answering every request with one fixed reply, recording what it got:
 * for token endpoints that misbehave (HTML, JSON without a token, 403, ...).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';

import { listenOnFreshPort } from '../simulator/listen.cjs';

export interface StubReply {
	status: number;
	body: string;
	headers?: Record<string, string>;
}

export interface StubRequest {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	body: string;
}

export interface StubServer {
	/** Server root, e.g. http://127.0.0.1:40123 */
	url: string;
	host: string;
	requests: StubRequest[];
	close(): Promise<void>;
}

export async function startStubServer(reply: StubReply | ((req: StubRequest) => StubReply)): Promise<StubServer> {
	const requests: StubRequest[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const recorded: StubRequest = {
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			requests.push(recorded);
			const r = typeof reply === 'function' ? reply(recorded) : reply;
			res.writeHead(r.status, { 'Content-Type': 'text/html; charset=utf-8', ...r.headers });
			res.end(r.body);
		});
	});
	const { port } = await listenOnFreshPort(server, '127.0.0.1');
	return {
		url: `http://127.0.0.1:${port}`,
		host: `127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** A loopback address where nothing listens (a port that was just free; no later test server takes it). */
export async function unusedLocalUrl(): Promise<{ url: string; host: string }> {
	const server = createServer();
	const { port } = await listenOnFreshPort(server, '127.0.0.1');
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` };
}
