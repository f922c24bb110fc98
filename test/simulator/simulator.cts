/** The DattoSimulator class: wires state, auth, rate model, faults, router and the HTTP server. */
import { createServer, type Server } from 'node:http';
import { TokenStore } from './auth.cjs';
import { controlHandler } from './control.cjs';
import { FaultEngine } from './faults.cjs';
import { listenOnFreshPort } from './listen.cjs';
import type { SimCore } from './http.cjs';
import { RateLimiter } from './rate.cjs';
import { Router } from './router.cjs';
import { allRoutes } from './routes/index.cjs';
import { generateAccount } from './seed.cjs';
import { createHandler } from './server.cjs';
import type { SimulatorState } from './state.cjs';
import {
	DEFAULT_FAULTS,
	type FaultSettings,
	type RecordedRequest,
	type ResolvedOptions,
	type ScriptedFault,
	type SimulatorCounters,
	type SimulatorOptions,
	resolveOptions,
} from './types.cjs';
import { WebhookSender } from './webhooks.cjs';

const LOG_LIMIT = 5000;

function freshCounters(): SimulatorCounters {
	return { tokenExchanges: 0, failedTokenExchanges: 0, requests: 0, http429: 0, ipBlocks: 0, slowedResponses: 0, byOperation: {}, blockedRequests: 0, faultsInjected: 0, peakWindow: 0 };
}

export class DattoSimulator {
	readonly options: ResolvedOptions;
	readonly state: SimulatorState;
	readonly counters: SimulatorCounters = freshCounters();
	readonly log: RecordedRequest[] = [];
	readonly router = new Router();
	/** Alert webhooks sent when alerts are raised or resolved (webhooks.cts). */
	readonly webhooks: WebhookSender;
	/**
	 * Test hook, called just before each authorised API request is handled (path below /api,
	 * e.g. /v2/account/devices): change the world at an exact point, e.g. between two pages.
	 */
	beforeRoute?: (request: { method: string; path: string; query: Record<string, string> }) => void;
	private readonly core: SimCore;
	private readonly faultEngine: FaultEngine;
	private server?: Server;
	private _url = '';

	private constructor(options: SimulatorOptions = {}) {
		this.options = resolveOptions(options);
		this.state = generateAccount(this.options);
		this.router.add(allRoutes);
		this.webhooks = new WebhookSender(this.state, options.webhooks);
		this.state.onAlertChange = (change, alert) => this.webhooks.alertChanged(change, alert);
		this.faultEngine = new FaultEngine(this.options.seed);
		this.core = {
			opts: this.options,
			state: this.state,
			faults: { ...DEFAULT_FAULTS },
			rate: new RateLimiter(this.options),
			tokens: new TokenStore(this.options.tokenLifetimeSeconds),
			startedAt: Date.now(),
		};
	}

	static async start(options: SimulatorOptions = {}): Promise<DattoSimulator> {
		const sim = new DattoSimulator(options);
		await sim.listen();
		return sim;
	}

	private async listen(): Promise<void> {
		const handler = createHandler({
			core: this.core,
			router: this.router,
			counters: this.counters,
			faultEngine: this.faultEngine,
			record: (r) => {
				this.log.push(r);
				if (this.log.length > LOG_LIMIT) this.log.shift();
			},
			control: (ctx) => controlHandler(this, ctx),
			beforeRoute: (request) => this.beforeRoute?.(request),
		});
		const server = createServer(handler);
		server.keepAliveTimeout = 5000;
		this.server = server;
		const addr = await listenOnFreshPort(server, this.options.host, this.options.port);
		this.options.port = addr.port;
		const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
		this._url = `http://${host}:${addr.port}`;
	}

	/** Server root, e.g. http://127.0.0.1:PORT (API under /api, token at /auth/oauth/token). */
	get url(): string {
		return this._url;
	}

	/** The demo user's current API key (changes when the API's resetApiKeys is called). */
	get apiKey(): string {
		return this.state.credentials[0].key;
	}

	get apiSecret(): string {
		return this.state.credentials[0].secret;
	}

	get faults(): FaultSettings {
		return this.core.faults;
	}

	set faults(f: FaultSettings) {
		this.core.faults = { ...DEFAULT_FAULTS, ...f };
	}

	setFaults(f: Partial<FaultSettings>): void {
		Object.assign(this.core.faults, f);
	}

	/** Random faults off and the scripted queue emptied. */
	clearFaults(): void {
		this.core.faults = { ...DEFAULT_FAULTS };
		this.faultEngine.clearScripted();
	}

	inject(f: ScriptedFault): void {
		this.faultEngine.inject(f);
	}

	pendingFaults(): number {
		return this.faultEngine.pending;
	}

	expireAllTokens(): void {
		this.core.tokens.expireAll();
	}

	/** Counters and the request log (not the data, not the rate window). */
	resetCounters(): void {
		Object.assign(this.counters, freshCounters());
		this.log.length = 0;
	}

	resetRateLimits(): void {
		this.core.rate.reset();
	}

	/** Extra: another API user's key and secret on the same account (shares the rate budget). */
	addCredentials(key: string, secret: string, userName = 'second.api'): void {
		this.state.credentials.push({ key, secret, userName });
	}

	/** One line saying which shapes this simulator serves (the CLI, the bench and the demo print it). */
	describeShapes(): string {
		const objects = this.state.compact ? 'compact objects (absent values left out)' : 'live objects (nulls, udf1..udf300)';
		const links = this.options.keepFiltersInNextPageUrl ? 'next-page links keep filters' : 'next-page links drop filters (live)';
		const dates = this.state.unconfirmedDates === 'iso' ? 'ISO strings' : 'epoch ms';
		return `${objects}; ${links}; unconfirmed dates as ${dates}`;
	}

	/** Extra: the live rate view, as GET /v2/system/request_rate reports it. */
	rateStatus(): Record<string, unknown> {
		return this.core.rate.snapshot(this.state.account.uid);
	}

	close(): Promise<void> {
		const server = this.server;
		if (!server) return Promise.resolve();
		this.server = undefined;
		this.webhooks.stop();
		return new Promise((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}
}
