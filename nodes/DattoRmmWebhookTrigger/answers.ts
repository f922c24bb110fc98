/**
 * Every answer the trigger gives a delivery, in one place (docs/webhook-trigger.md lists them).
 *
 * A delivery that starts the workflow is answered by n8n, with the node's `webhookResponse`, once
 * n8n has created the execution: so a 200 "started" means the execution exists, and a failure of
 * n8n's own before that (its database, its queue) is answered 5xx and the sender retries. That
 * needs the webhook's `responseData` to be empty (WEBHOOK_RESPONSE_DATA): without it n8n 2.x
 * answers with the name of its default response data, the text "firstEntryJson".
 * Every other answer starts nothing, and the trigger writes it itself (`noWebhookResponse`) as
 * JSON. Only a failure that throws (enrichment) is answered by n8n: 500.
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

/** The webhook description's `responseData`: empty, so n8n answers with the node's `webhookResponse`. */
export const WEBHOOK_RESPONSE_DATA = '';

/** 200 from n8n once the execution with these items exists. */
export function started(workflowData: INodeExecutionData[][], about: { event: string; alertUid: string }): IWebhookResponseData {
	return { workflowData, webhookResponse: { started: true, event: about.event, alertUid: about.alertUid } };
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
