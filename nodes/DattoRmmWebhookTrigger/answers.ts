/**
 * Every answer the trigger gives a delivery, in one place (docs/webhook-trigger.md lists them).
 *
 * The trigger writes each answer itself and tells n8n it did (`noWebhookResponse`), so every
 * answer is JSON and the same on every n8n version: n8n 2.x answers an `onReceived` webhook that
 * starts a workflow with its default response data (the text "firstEntryJson"), not with the
 * node's `webhookResponse`. Only a failure that throws (enrichment) is answered by n8n: 500.
 */
import type { INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
/** How long a sender should wait before retrying a copy that arrived while another was in flight. */
export const RETRY_AFTER_SECONDS = 10;

export type Refusal = 400 | 401 | 413;

function send(ctx: IWebhookFunctions, status: number, body: object, headers: Record<string, string> = {}): void {
	const response = ctx.getResponseObject();
	response.writeHead(status, { 'content-type': JSON_CONTENT_TYPE, ...headers });
	response.end(JSON.stringify(body));
}

/** 200: the workflow starts with these items. */
export function started(ctx: IWebhookFunctions, workflowData: INodeExecutionData[][], about: { event: string; alertUid: string }): IWebhookResponseData {
	send(ctx, 200, { started: true, event: about.event, alertUid: about.alertUid });
	return { noWebhookResponse: true, workflowData };
}

/** 200, nothing starts, and there is nothing to retry: filtered out, or a copy of a delivery that started. */
export function notStarted(ctx: IWebhookFunctions, reason: string): IWebhookResponseData {
	send(ctx, 200, { started: false, reason });
	return { noWebhookResponse: true };
}

/** A copy of a delivery that started the workflow already. */
export const DUPLICATE_REASON = 'duplicate: this delivery already started the workflow';

/**
 * 503 with Retry-After: a copy of this delivery is being handled by another request right now.
 * Not a 2xx, so a sender that stops at 2xx retries: if that other request fails, the retry starts
 * the workflow; if it started, the retry is answered as a duplicate.
 */
export function inFlight(ctx: IWebhookFunctions): IWebhookResponseData {
	send(
		ctx,
		503,
		{ started: false, error: 'A copy of this delivery is being handled right now: retry later', retryAfterSeconds: RETRY_AFTER_SECONDS },
		{ 'retry-after': String(RETRY_AFTER_SECONDS) },
	);
	return { noWebhookResponse: true };
}

/** 400, 401 or 413 naming the problem; nothing starts. */
export function refused(ctx: IWebhookFunctions, status: Refusal, error: string): IWebhookResponseData {
	send(ctx, status, { error });
	return { noWebhookResponse: true };
}
