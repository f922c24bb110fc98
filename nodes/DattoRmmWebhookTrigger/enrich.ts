/**
 * Enrichment: the alert (and its device) fetched from the Datto RMM API through the package's
 * transport, so the requests share the credential's governor with every other Datto RMM node.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { addIsoDates } from '../shared/dates';
import { dattoRequest } from '../shared/transport/request';
import type { WebhookSettings } from './settings';

/** Datto waits for the answer to its delivery: keep each attempt short. */
const REQUEST_TIMEOUT_MS = 20_000;
const MAX_DELAY_MS = 5_000;

async function get(ctx: IWebhookFunctions, path: string, notFoundHint: string, settings: WebhookSettings): Promise<IDataObject> {
	const answer = await dattoRequest<IDataObject>(
		ctx,
		{ method: 'GET', path, notFoundHint },
		{ retry: { maxRetries: settings.maxRetries, timeoutMs: REQUEST_TIMEOUT_MS, totalTimeoutMs: 2 * REQUEST_TIMEOUT_MS, maxDelayMs: MAX_DELAY_MS } },
	);
	const json = answer && typeof answer === 'object' ? answer : {};
	return settings.isoDates ? addIsoDates(json) : json;
}

export interface Enriched {
	/** The alert as Alert > Get returns it (with the same Add ISO Dates option). */
	alert: IDataObject;
	/** The device as Device > Get returns it; null when Datto no longer has it. */
	device?: IDataObject | null;
}

/** One request for the alert, and one more for its device when asked. */
export async function enrich(ctx: IWebhookFunctions, settings: WebhookSettings, alertUid: string): Promise<Enriched> {
	const alert = await get(ctx, `/v2/alert/${encodeURIComponent(alertUid)}`, `the alert "${alertUid}"`, settings);
	if (settings.enrich !== 'alertAndDevice') return { alert };
	const deviceUid = (alert.alertSourceInfo as IDataObject | undefined)?.deviceUid;
	if (typeof deviceUid !== 'string' || !deviceUid) return { alert, device: null };
	// A device deleted since its alert was raised (404): the alert still starts the workflow. The
	// transport's errors are NodeApiErrors already, so any other one goes on as it is.
	const device = await get(ctx, `/v2/device/${encodeURIComponent(deviceUid)}`, `the device "${deviceUid}"`, settings).catch(
		async (error: unknown) => {
			if (error instanceof NodeApiError && error.httpCode === '404') return null;
			return await Promise.reject(error);
		},
	);
	return { alert, device };
}

/** What the filters look at, from the alert the API returned. */
export function factsOf(alert: IDataObject): { priority?: string; siteUid?: string; deviceUid?: string } {
	const source = (alert.alertSourceInfo ?? {}) as IDataObject;
	const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
	return { priority: text(alert.priority), siteUid: text(source.siteUid), deviceUid: text(source.deviceUid) };
}
