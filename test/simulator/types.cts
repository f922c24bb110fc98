/**
 * Public option and record types of the Datto RMM simulator. Other test code imports these
 * through index.ts: names here are a contract (add fields, never rename).
 */
import type { DateForm } from './dates.cjs';
import type { WebhookOptions } from './webhooks.cjs';

export interface SimulatorSize {
	sites?: number;
	devices?: number;
	openAlerts?: number;
	resolvedAlerts?: number;
	components?: number;
	activities?: number;
}

export interface RateLimitOptions {
	/** Account requests per sliding window (live: 600 per 60 s). */
	account?: number;
	/** Share of `account` from which every answer is delayed by 1 s (scaled). */
	cutOffRatio?: number;
	/** Account write budget per window; null = older account: one bucket, no write fields. */
	write?: number | null;
	/** Per-operation write limits by write-operation name (default 100, 600 for device-udf-set). */
	operationWrite?: Record<string, number>;
	/** This many 429s inside one window get the caller's IP blocked. */
	ipBlockAfter429s?: number;
	/** How long an IP block lasts, in unscaled seconds (divided by timeScale). */
	ipBlockSeconds?: number;
	/** false = no counting, no 429, no slow-down (the request_rate endpoint still answers). */
	enabled?: boolean;
	/** Send X-RateLimit-* headers (default true). The live API may or may not send them. */
	headers?: boolean;
}

export interface SimulatorOptions {
	host?: string;
	port?: number;
	apiKey?: string;
	apiSecret?: string;
	tokenLifetimeSeconds?: number;
	timeScale?: number;
	pageSize?: number;
	seed?: number;
	size?: SimulatorSize;
	rateLimit?: RateLimitOptions;
	jobRunMs?: number;
	/**
	 * The compact form a test may ask for: absent values left out and only set UDFs sent. Default
	 * false: the live form, null for every absent value (device description/warrantyDate, site
	 * notes, alert resolvedOn, …) and udf1..udf300 with null for unset UDFs.
	 */
	compact?: boolean;
	/**
	 * Next-page links keep the request's filters. Default false: as live, `nextPageUrl` and
	 * `prevPageUrl` carry only `max` and `page` (activity logs: only the cursor and `size`).
	 */
	keepFiltersInNextPageUrl?: boolean;
	/**
	 * Form of the date fields whose live form nobody has shown (dates.cts): 'iso' (the spec's
	 * ISO 8601 strings, default) or 'epochMs'. Confirmed ones (device, alert, user) are always
	 * epoch ms. Also switchable at run time: `sim.state.unconfirmedDates`.
	 */
	unconfirmedDates?: DateForm;
	/** Extra: alert webhooks to send when alerts are raised or resolved (webhooks.cts). */
	webhooks?: WebhookOptions;
}

export interface RecordedRequest {
	at: number;
	method: string;
	url: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: string;
	status: number;
}

export interface FaultSettings {
	latencyMs: number;
	serverErrorRate: number;
	dropConnectionRate: number;
	malformedBodyRate: number;
	/** Drop filters from next-page links even when `keepFiltersInNextPageUrl` is set (the live default). */
	nextPageUrlDropsFilters: boolean;
	nextPageUrlForeignHost: string | null;
}

export interface ScriptedFault {
	method?: string;
	path?: string | RegExp;
	status?: number;
	headers?: Record<string, string>;
	body?: unknown | string;
	drop?: 'before' | 'after';
	delayMs?: number;
	times?: number;
}

export interface SimulatorCounters {
	tokenExchanges: number;
	failedTokenExchanges: number;
	requests: number;
	http429: number;
	ipBlocks: number;
	slowedResponses: number;
	byOperation: Record<string, number>;
	/** Extra: requests answered 403 because the IP was blocked. */
	blockedRequests: number;
	/** Extra: the most requests the account's sliding window held at any moment (see rate.cts). */
	peakWindow: number;
	/** Extra: requests answered by a random or scripted fault. */
	faultsInjected: number;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
	host: string;
	port: number;
	apiKey: string;
	apiSecret: string;
	tokenLifetimeSeconds: number;
	timeScale: number;
	pageSize: number;
	seed: number;
	size: Required<SimulatorSize>;
	rateLimit: {
		account: number;
		cutOffRatio: number;
		write: number | null;
		operationWrite: Record<string, number>;
		ipBlockAfter429s: number;
		ipBlockSeconds: number;
		enabled: boolean;
		headers: boolean;
	};
	jobRunMs: number;
	compact: boolean;
	keepFiltersInNextPageUrl: boolean;
	unconfirmedDates: DateForm;
}

export const DEFAULT_FAULTS: FaultSettings = {
	latencyMs: 0,
	serverErrorRate: 0,
	dropConnectionRate: 0,
	malformedBodyRate: 0,
	nextPageUrlDropsFilters: false,
	nextPageUrlForeignHost: null,
};

export function resolveOptions(o: SimulatorOptions = {}): ResolvedOptions {
	const rl = o.rateLimit ?? {};
	return {
		host: o.host ?? '127.0.0.1',
		port: o.port ?? 0,
		apiKey: o.apiKey ?? 'demo-api-key',
		apiSecret: o.apiSecret ?? 'demo-api-secret',
		tokenLifetimeSeconds: o.tokenLifetimeSeconds ?? 360000,
		timeScale: o.timeScale && o.timeScale > 0 ? o.timeScale : 1,
		pageSize: o.pageSize ?? 250,
		seed: o.seed ?? 1,
		size: {
			sites: o.size?.sites ?? 8,
			devices: o.size?.devices ?? 300,
			openAlerts: o.size?.openAlerts ?? 120,
			resolvedAlerts: o.size?.resolvedAlerts ?? 60,
			components: o.size?.components ?? 20,
			activities: o.size?.activities ?? 300,
		},
		rateLimit: {
			account: rl.account ?? 600,
			cutOffRatio: rl.cutOffRatio ?? 0.9,
			write: rl.write === undefined ? 600 : rl.write,
			operationWrite: { ...(rl.operationWrite ?? {}) },
			ipBlockAfter429s: rl.ipBlockAfter429s ?? 30,
			ipBlockSeconds: rl.ipBlockSeconds ?? 300,
			enabled: rl.enabled ?? true,
			headers: rl.headers ?? true,
		},
		jobRunMs: o.jobRunMs ?? 1500,
		compact: o.compact ?? false,
		keepFiltersInNextPageUrl: o.keepFiltersInNextPageUrl ?? false,
		unconfirmedDates: o.unconfirmedDates ?? 'iso',
	};
}
