/** Test helper: a tiny HTTP client for the simulator (global fetch), with the token exchange. */
import type { DattoSimulator } from './simulator.cjs';

export interface Res {
	status: number;
	headers: Headers;
	text: string;
	/** Parsed JSON, or undefined when the body is empty or not JSON. */
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
	ms: number;
}

export const BASIC_PUBLIC = `Basic ${Buffer.from('public-client:public').toString('base64')}`;

export function form(fields: Record<string, string>): string {
	return new URLSearchParams(fields).toString();
}

export async function raw(url: string, init: RequestInit = {}): Promise<Res> {
	const t0 = Date.now();
	const r = await fetch(url, init);
	const text = await r.text();
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: r.status, headers: r.headers, text, json, ms: Date.now() - t0 };
}

export async function exchangeToken(sim: DattoSimulator, key = sim.apiKey, secret = sim.apiSecret): Promise<Res> {
	return raw(`${sim.url}/auth/oauth/token`, {
		method: 'POST',
		headers: { Authorization: BASIC_PUBLIC, 'Content-Type': 'application/x-www-form-urlencoded' },
		body: form({ grant_type: 'password', username: key, password: secret }),
	});
}

export class SimClient {
	token = '';

	constructor(readonly sim: DattoSimulator) {}

	async login(): Promise<this> {
		const r = await exchangeToken(this.sim);
		if (r.status !== 200) throw new Error(`token exchange failed: ${r.status} ${r.text}`);
		this.token = r.json.access_token;
		return this;
	}

	/** Call the API: `p` is below /api (e.g. /v2/account) or an absolute URL. */
	call(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
		const url = p.startsWith('http') ? p : `${this.sim.url}/api${p}`;
		const h: Record<string, string> = { Authorization: `Bearer ${this.token}`, ...headers };
		let payload: string | undefined;
		if (body !== undefined) {
			payload = typeof body === 'string' ? body : JSON.stringify(body);
			h['Content-Type'] ??= 'application/json';
		}
		return raw(url, { method, headers: h, body: payload });
	}

	get(p: string): Promise<Res> {
		return this.call('GET', p);
	}
}
