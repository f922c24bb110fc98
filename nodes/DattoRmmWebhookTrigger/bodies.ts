/**
 * The webhook bodies a Datto RMM administrator pastes into a monitor's Response > Webhook (or
 * Setup > Integrations > Global Webhooks): one for "alert raised", one for "alert resolved".
 * Datto replaces each [variable] with the alert's value when it sends the webhook.
 *
 * Where the variable names come from (see docs/webhook-trigger.md):
 * [alert_uid], [alert_message] and [platform] are in the bodies of public Datto webhook
 * integrations (lwhitelock/DattoRMM-Alert-HaloPSA and its forks). The others appear in public
 * integration templates but could not be confirmed in Datto's own help: the trigger works
 * without them, reports any that Datto left unfilled, and can take them from the API instead.
 */

export interface BodyVariable {
	/** The field of the body that carries it. */
	field: string;
	/** Datto's variable, as written in the body. */
	variable: string;
	/** Whether a public Datto integration uses it in a webhook body (else: unconfirmed). */
	confirmed: boolean;
	/** What the trigger uses it for. */
	use: string;
}

export const BODY_VARIABLES: BodyVariable[] = [
	{ field: 'alertUid', variable: '[alert_uid]', confirmed: true, use: 'required: which alert (and what Enrich fetches)' },
	{ field: 'priority', variable: '[alert_priority]', confirmed: false, use: 'the Priorities filter without Enrich' },
	{ field: 'message', variable: '[alert_message]', confirmed: true, use: 'passed on' },
	{ field: 'deviceUid', variable: '[device_uid]', confirmed: false, use: 'the Device scope without Enrich' },
	{ field: 'deviceHostname', variable: '[device_hostname]', confirmed: false, use: 'passed on' },
	{ field: 'siteUid', variable: '[site_uid]', confirmed: false, use: 'the Site scope without Enrich' },
	{ field: 'siteName', variable: '[site_name]', confirmed: false, use: 'passed on' },
	{ field: 'platform', variable: '[platform]', confirmed: true, use: 'passed on' },
];

export type WebhookEvent = 'opened' | 'resolved';

/** The body for one event, as an object (`event` is written literally, not a Datto variable). */
export function bodyFor(event: WebhookEvent): Record<string, string> {
	const body: Record<string, string> = { event };
	for (const v of BODY_VARIABLES) body[v.field] = v.variable;
	return body;
}

/** The body as text to paste: JSON on one line, spaced for reading. */
export function bodyText(event: WebhookEvent): string {
	return JSON.stringify(bodyFor(event), null, 1).replace(/\n\s*/g, ' ');
}
