/**
 * Alert webhooks, as Datto RMM sends them from a monitor's Response (or from Setup > Integrations >
 * Global Webhooks): when an alert is raised, a POST of the administrator's "alert raised" body to
 * the webhook URL, with Datto's [variables] filled in; when it is resolved, the "alert resolved"
 * body (optional in Datto: `resolvedBody: null` sends none). Datto sends only a URL and a body, so
 * the simulator does too (a secret travels in the URL), unless `headers` are set: what a proxy in
 * front of n8n adds (e.g. the x-webhook-secret header). Each delivery is noted on the alert as a
 * response action (`WEBHOOK_EXECUTED` / `WEBHOOK_EXECUTION_ERROR`, the spec's action types).
 *
 * Choices where Datto's help is silent: the body is sent as `application/json`; a variable the
 * simulator does not know is left as written ("[foo]"); a delivery is sent once, not retried
 * (`redeliver` sends a copy, as a retrying sender or proxy would); a delivery waits at most
 * `timeoutMs` for the answer.
 *
 * Control API (see control.cts): GET /__sim/webhooks (settings and deliveries),
 * POST /__sim/webhooks (settings), POST /__sim/webhooks/redeliver {index?}.
 */
import { bodyText } from '../../nodes/DattoRmmWebhookTrigger/bodies';
import { validationError } from './errors.cjs';
import type { Reply } from './http.cjs';
import type { AlertRec } from './model.cjs';
import type { SimulatorState } from './state.cjs';

export interface WebhookOptions {
	/** Where deliveries go, e.g. n8n's production URL with `?secret=…`; none are sent without it. */
	url?: string;
	/** The "alert raised" body; default: the one the Datto RMM Webhook Trigger shows. */
	raisedBody?: string;
	/** The "alert resolved" body; default: the trigger's; null: Datto sends no resolved webhook. */
	resolvedBody?: string | null;
	/** Longest wait for the receiver's answer (default 10 s). */
	timeoutMs?: number;
	/** Headers added to every delivery, as a proxy in front of the receiver would add them. */
	headers?: Record<string, string>;
}

export type AlertChange = 'raised' | 'resolved';

export interface WebhookDelivery {
	/** Position in `deliveries` (what /__sim/webhooks/redeliver takes). */
	index: number;
	at: number;
	event: AlertChange;
	alertUid: string;
	/** The URL without its query (which may hold a secret). */
	target: string;
	body: string;
	/** The receiver's HTTP status; undefined when it did not answer. */
	status?: number;
	/** The answer's content-type and retry-after headers. */
	contentType?: string;
	retryAfter?: string;
	/** The receiver's answer (first 1,000 characters). */
	answer?: string;
	error?: string;
	ms?: number;
	/** A copy of an earlier delivery (index). */
	copyOf?: number;
}

const PLATFORM = 'Simulator';

/** The values of Datto's webhook variables for one alert of the simulated account. */
export function alertVariables(st: SimulatorState, alert: AlertRec): Record<string, string> {
	const device = st.device(alert.deviceUid);
	const site = device ? st.site(device.siteUid) : undefined;
	return {
		alert_uid: alert.alertUid,
		alert_priority: alert.priority,
		alert_message: alert.diagnostics,
		device_uid: alert.deviceUid,
		device_hostname: device?.hostname ?? '',
		site_uid: site?.uid ?? '',
		site_name: site?.name ?? '',
		platform: PLATFORM,
	};
}

/** The body with each known [variable] replaced, escaped for a JSON string; unknown ones stay. */
export function fillVariables(template: string, variables: Record<string, string>): string {
	return template.replace(/\[([A-Za-z0-9_]+)\]/g, (whole, name: string) =>
		Object.prototype.hasOwnProperty.call(variables, name) ? JSON.stringify(variables[name]).slice(1, -1) : whole,
	);
}

function withoutQuery(url: string): string {
	try {
		const u = new URL(url);
		return `${u.origin}${u.pathname}`;
	} catch {
		return url.split('?')[0];
	}
}

export class WebhookSender {
	readonly deliveries: WebhookDelivery[] = [];
	private settings: Required<Omit<WebhookOptions, 'url'>> & { url?: string };
	private readonly inFlight = new Set<Promise<void>>();
	private readonly aborts = new Set<AbortController>();

	constructor(private readonly state: SimulatorState, options: WebhookOptions = {}) {
		this.settings = { raisedBody: bodyText('opened'), resolvedBody: bodyText('resolved'), timeoutMs: 10_000, headers: {} };
		this.configure(options);
	}

	configure(options: WebhookOptions): void {
		for (const [key, value] of Object.entries(options)) {
			if (value !== undefined) (this.settings as unknown as Record<string, unknown>)[key] = value;
		}
	}

	/** The settings, the URL without its query and the headers without their values (either may hold a secret). */
	describe(): Record<string, unknown> {
		return { ...this.settings, url: this.settings.url ? withoutQuery(this.settings.url) : undefined, headers: Object.keys(this.settings.headers) };
	}

	/** Called by the world when an alert is raised or resolved. */
	alertChanged(change: AlertChange, alert: AlertRec): void {
		const url = this.settings.url;
		const template = change === 'raised' ? this.settings.raisedBody : this.settings.resolvedBody;
		if (!url || template === null) return;
		this.send(url, change, alert, fillVariables(template, alertVariables(this.state, alert)));
	}

	/** Sends a copy of delivery `index` (default: the last), as a retrying sender would. */
	redeliver(index = this.deliveries.length - 1): WebhookDelivery | undefined {
		const original = this.deliveries[index];
		const url = this.settings.url;
		const alert = original ? this.state.alerts.find((a) => a.alertUid === original.alertUid) : undefined;
		if (!original || !url || !alert) return undefined;
		return this.send(url, original.event, alert, original.body, original.index);
	}

	/** Resolves when every delivery sent so far has its answer (or failed). */
	async settled(): Promise<void> {
		while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
	}

	/** Abandons deliveries still waiting (the simulator is closing). */
	stop(): void {
		for (const abort of this.aborts) abort.abort();
	}

	private send(url: string, event: AlertChange, alert: AlertRec, body: string, copyOf?: number): WebhookDelivery {
		const delivery: WebhookDelivery = { index: this.deliveries.length, at: Date.now(), event, alertUid: alert.alertUid, target: withoutQuery(url), body, copyOf };
		this.deliveries.push(delivery);
		const abort = new AbortController();
		this.aborts.add(abort);
		const timer = setTimeout(() => abort.abort(), this.settings.timeoutMs);
		const work = (async () => {
			try {
				const headers = { ...this.settings.headers, 'content-type': 'application/json' };
				const response = await fetch(url, { method: 'POST', headers, body, signal: abort.signal });
				delivery.status = response.status;
				delivery.contentType = response.headers.get('content-type') ?? undefined;
				delivery.retryAfter = response.headers.get('retry-after') ?? undefined;
				delivery.answer = (await response.text()).slice(0, 1000);
			} catch (error) {
				delivery.error = error instanceof Error ? error.message : String(error);
			} finally {
				clearTimeout(timer);
				this.aborts.delete(abort);
				delivery.ms = Date.now() - delivery.at;
				const ok = delivery.status !== undefined && delivery.status >= 200 && delivery.status < 300;
				alert.responseActions.push({
					actionTime: Date.now(),
					actionType: ok ? 'WEBHOOK_EXECUTED' : 'WEBHOOK_EXECUTION_ERROR',
					description: ok ? `Webhook sent (HTTP ${delivery.status})` : `Webhook failed: ${delivery.status ? `HTTP ${delivery.status}` : delivery.error}`,
				});
			}
		})();
		this.inFlight.add(work);
		void work.finally(() => this.inFlight.delete(work));
		return delivery;
	}
}

const SETTINGS = ['url', 'raisedBody', 'resolvedBody', 'timeoutMs', 'headers'];

function isHeaders(value: unknown): boolean {
	return !!value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** The /__sim/webhooks routes. */
export function webhookControl(sender: WebhookSender, route: string, body: Record<string, unknown>): Reply | undefined {
	switch (route) {
		case 'GET /__sim/webhooks':
			return { status: 200, body: { settings: sender.describe(), deliveries: sender.deliveries } };
		case 'POST /__sim/webhooks': {
			const bad = Object.entries(body).find(([k, v]) => !SETTINGS.includes(k) || !(k === 'headers' ? isHeaders(v) : v === null || ['string', 'number'].includes(typeof v)));
			if (bad) return validationError('INVALID_WEBHOOK_SETTING', `Unknown or invalid webhook setting '${bad[0]}'`, { settings: SETTINGS });
			sender.configure(body as WebhookOptions);
			return { status: 200, body: sender.describe() };
		}
		case 'POST /__sim/webhooks/redeliver': {
			const index = typeof body.index === 'number' ? body.index : undefined;
			const copy = sender.redeliver(index);
			return copy ? { status: 200, body: copy } : validationError('NOTHING_TO_REDELIVER', 'No such delivery, or no webhook URL set');
		}
		default:
			return undefined;
	}
}
