/**
 * The trigger's parameters and its secret (from its credential), read and checked once per
 * delivery (and at activation), and the filters that decide whether a delivery starts the workflow.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PRIORITIES } from '../shared/alertPriorities';
import type { WebhookEvent } from './bodies';

/** The credential type that holds the trigger's secret (credentials/DattoRmmWebhookSecretApi.credentials.ts). */
export const SECRET_CREDENTIAL = 'dattoRmmWebhookSecretApi';
/** Shortest secret accepted: a guess must not be feasible over the network. */
export const MIN_SECRET_LENGTH = 16;
/** Largest body accepted by default; Datto's alert webhooks are well under 1 KB. */
export const DEFAULT_MAX_BODY_KB = 64;

export type Enrichment = 'none' | 'alert' | 'alertAndDevice';
export type Scope = 'account' | 'site' | 'device';

export interface WebhookSettings {
	events: Set<WebhookEvent>;
	/** Lower-case priorities; empty: all. */
	priorities: Set<string>;
	scope: Scope;
	/** The site's or device's UID when the scope is a site or a device. */
	scopeUid?: string;
	enrich: Enrichment;
	isoDates: boolean;
	maxBodyBytes: number;
	maxRetries: number;
}

type ParameterContext = IWebhookFunctions | IHookFunctions;

function locatorUid(ctx: ParameterContext, name: string): string | undefined {
	const value = ctx.getNodeParameter(name, '', { extractValue: true }) as unknown;
	const uid = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	return uid || undefined;
}

/** What is wrong with a secret, in words; undefined when it is usable. */
export function secretProblem(secret: unknown): string | undefined {
	if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
		return `The Datto RMM Webhook Secret must have at least ${MIN_SECRET_LENGTH} characters`;
	}
	return undefined;
}

/**
 * The secret, from the trigger's Datto RMM Webhook Secret API credential; throws a NodeOperationError
 * saying what to do when there is none or it is too short. Nothing it throws carries the secret.
 */
export async function readSecret(ctx: ParameterContext): Promise<string> {
	const node = ctx.getNode();
	let data: ICredentialDataDecryptedObject;
	try {
		data = await ctx.getCredentials(SECRET_CREDENTIAL);
	} catch (error) {
		throw new NodeOperationError(node, 'The trigger has no usable Datto RMM Webhook Secret API credential', {
			description: `Create a Datto RMM Webhook Secret API credential (a long random value, e.g. the output of openssl rand -hex 24), pick it in the trigger and publish the workflow again. (${(error as Error).message})`,
		});
	}
	const problem = secretProblem(data.secret);
	if (problem) {
		throw new NodeOperationError(node, problem, {
			description: `Edit the credential: use a long random value (e.g. the output of openssl rand -hex 24), and send the same value with every delivery.`,
		});
	}
	return data.secret as string;
}

/** Reads the parameters; throws a NodeOperationError naming the field when one is unusable. */
export function readSettings(ctx: ParameterContext): WebhookSettings {
	const node = ctx.getNode();
	const events = (ctx.getNodeParameter('events', ['opened', 'resolved']) as WebhookEvent[]) ?? [];
	if (events.length === 0) {
		throw new NodeOperationError(node, 'No event chosen in "Events"', {
			description: 'Pick Alert Raised, Alert Resolved or both.',
		});
	}
	const priorities = (ctx.getNodeParameter('priorities', []) as string[]) ?? [];
	const unknown = priorities.filter((p) => !PRIORITIES.includes(p));
	if (unknown.length) {
		throw new NodeOperationError(node, `Unknown alert priority "${unknown[0]}" in "Priorities"`, {
			description: `Pick priorities among ${PRIORITIES.join(', ')}.`,
		});
	}
	const scope = ctx.getNodeParameter('scope', 'account') as Scope;
	let scopeUid: string | undefined;
	if (scope === 'site' || scope === 'device') {
		scopeUid = locatorUid(ctx, scope === 'site' ? 'siteUid' : 'deviceUid');
		if (!scopeUid) {
			const label = scope === 'site' ? 'Site' : 'Device';
			throw new NodeOperationError(node, `No ${scope} chosen in "${label}"`, {
				description: `Enter the ${scope}'s UID in the "${label}" field (picking it from the list needs the Datto RMM API credential, which Enrich asks for).`,
			});
		}
	}
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const maxKb = Number(options.maxBodyKb ?? DEFAULT_MAX_BODY_KB);
	const retries = Number(options.maxRetries ?? 2);
	return {
		events: new Set(events),
		priorities: new Set(priorities.map((p) => p.toLowerCase())),
		scope,
		scopeUid,
		enrich: ctx.getNodeParameter('enrich', 'none') as Enrichment,
		isoDates: options.isoDates === true,
		maxBodyBytes: Math.round((Number.isFinite(maxKb) && maxKb > 0 ? maxKb : DEFAULT_MAX_BODY_KB) * 1024),
		maxRetries: Number.isInteger(retries) && retries >= 0 ? Math.min(retries, 5) : 2,
	};
}

/** What a filter looks at: from the body, or from the alert the API returned. */
export interface AlertFacts {
	priority?: string;
	siteUid?: string;
	deviceUid?: string;
}

export type Verdict =
	| { outcome: 'start' }
	/** Filtered out: answered 200, nothing starts. */
	| { outcome: 'skip'; reason: string }
	/** A filter needs a fact these facts lack. */
	| { outcome: 'unknown'; field: keyof AlertFacts };

/** Whether the priority and scope filters let an alert through, judged on the facts given. */
export function judge(settings: WebhookSettings, facts: AlertFacts): Verdict {
	if (settings.priorities.size > 0) {
		if (!facts.priority) return { outcome: 'unknown', field: 'priority' };
		if (!settings.priorities.has(facts.priority.toLowerCase())) {
			return { outcome: 'skip', reason: `priority ${facts.priority} is not among the trigger's priorities` };
		}
	}
	if (settings.scope === 'site' || settings.scope === 'device') {
		const field = settings.scope === 'site' ? 'siteUid' : 'deviceUid';
		const uid = facts[field];
		if (!uid) return { outcome: 'unknown', field };
		if (uid.toLowerCase() !== settings.scopeUid!.toLowerCase()) {
			return { outcome: 'skip', reason: `the alert's ${settings.scope} is not the trigger's ${settings.scope}` };
		}
	}
	return { outcome: 'start' };
}
