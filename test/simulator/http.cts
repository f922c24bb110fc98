/** Request context and reply shapes shared by the server and the route handlers. */
import type { IncomingMessage } from 'node:http';
import type { ApiCredential } from './model.cjs';
import type { SimulatorState } from './state.cjs';
import type { FaultSettings, ResolvedOptions } from './types.cjs';
import type { RateLimiter } from './rate.cjs';
import type { TokenStore } from './auth.cjs';

/** What handlers can reach of the simulator. */
export interface SimCore {
	opts: ResolvedOptions;
	state: SimulatorState;
	faults: FaultSettings;
	rate: RateLimiter;
	tokens: TokenStore;
	/** Simulator start time (for /v2/system/status). */
	startedAt: number;
}

export interface Ctx {
	req: IncomingMessage;
	method: string;
	/** Full path as received, e.g. /api/v2/account/devices. */
	path: string;
	/** Path below /api, e.g. /v2/account/devices. */
	apiPath: string;
	query: URLSearchParams;
	body: string;
	headers: Record<string, string>;
	/** Host header as received (used to build absolute paging URLs). */
	host: string;
	params: Record<string, string>;
	sim: SimCore;
	/** Credential whose token authorised this request. */
	credential?: ApiCredential;
}

export interface Reply {
	status: number;
	/** JSON-serialised unless `raw` is given; omitted = empty body. */
	body?: unknown;
	raw?: string;
	contentType?: string;
	headers?: Record<string, string>;
}

export function json(body: unknown, status = 200): Reply {
	return { status, body };
}

/** Parse a JSON request body; undefined when absent, Error when malformed. */
export function parseJsonBody(ctx: Ctx): unknown {
	if (!ctx.body.trim()) return undefined;
	try {
		return JSON.parse(ctx.body);
	} catch (e) {
		return e instanceof Error ? e : new Error(String(e));
	}
}
