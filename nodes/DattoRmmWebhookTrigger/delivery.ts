/**
 * Reading one webhook delivery: the secret it presents, its body, and the alert it is about.
 * Pure functions over what n8n hands the node, so each rule is tested on its own.
 */
import type { IDataObject } from 'n8n-workflow';

import type { WebhookEvent } from './bodies';

/** The header that carries the shared secret: the recommended form, for senders that can set headers. */
export const SECRET_HEADER = 'x-webhook-secret';
/** The URL's query parameter that carries it for senders that send only a URL and a body (Datto). */
export const SECRET_QUERY = 'secret';

/** The secret a delivery presents: the header, else `?secret=` in the URL; undefined when neither. */
export function presentedSecret(query: unknown, headers: Record<string, unknown>): string | undefined {
	const fromHeader = headers[SECRET_HEADER];
	if (typeof fromHeader === 'string') return fromHeader;
	const fromQuery = query && typeof query === 'object' ? (query as IDataObject)[SECRET_QUERY] : undefined;
	return typeof fromQuery === 'string' ? fromQuery : undefined;
}

/**
 * Whether the presented secret is the expected one, in a time that depends only on the expected
 * secret's length (every character is compared, whatever matched before), so response times say
 * nothing about how much of a guess was right.
 */
export function secretMatches(expected: string, presented: string | undefined): boolean {
	if (!expected || presented === undefined) return false;
	let difference = expected.length ^ presented.length;
	for (let i = 0; i < expected.length; i++) {
		// Past the presented value's end charCodeAt gives NaN, which `| 0` makes 0.
		difference |= expected.charCodeAt(i) ^ (presented.charCodeAt(i) | 0);
	}
	return difference === 0;
}

export type Readout<T> = { value: T; problem?: undefined } | { problem: string; value?: undefined };
/** A body's problem comes with its answer: 413 when it is too large, else 400. */
export type BodyReadout = { value: IDataObject; problem?: undefined } | { problem: string; status: 400 | 413; value?: undefined };

/** The raw body as n8n read it (a Buffer), when there is one. */
function rawText(raw: unknown): { text: string; bytes: number } | undefined {
	if (!raw || typeof raw !== 'object') return undefined;
	const buffer = raw as { length?: unknown; toString(encoding?: string): string };
	if (typeof buffer.length !== 'number' || typeof buffer.toString !== 'function') return undefined;
	return { text: buffer.toString('utf8'), bytes: buffer.length };
}

/**
 * The delivery's body as a JSON object. n8n has read the request's bytes into `rawBody` (and
 * parsed a JSON content type already); the node parses the bytes itself, so a body sent as
 * text/plain is read the same way and the size limit counts what was sent.
 */
export function readBody(request: { rawBody?: unknown; body?: unknown }, maxBytes: number): BodyReadout {
	const raw = rawText(request.rawBody);
	let text: string | undefined = raw?.text;
	const bytes = raw?.bytes ?? (typeof request.body === 'string' ? request.body.length : JSON.stringify(request.body ?? '').length);
	if (bytes > maxBytes) {
		return { status: 413, problem: `The body has ${bytes} bytes, more than the ${maxBytes} this trigger accepts (Options > Max Body Size)` };
	}
	if (text === undefined && typeof request.body === 'string') text = request.body;
	let parsed: unknown = request.body;
	if (text !== undefined) {
		if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		if (!text.trim()) return { status: 400, problem: 'The body is empty: paste the body shown in the trigger into the Datto RMM webhook' };
		try {
			parsed = JSON.parse(text) as unknown;
		} catch {
			return { status: 400, problem: 'The body is not JSON: paste the body shown in the trigger into the Datto RMM webhook' };
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		return { status: 400, problem: 'The body is not a JSON object: paste the body shown in the trigger into the Datto RMM webhook' };
	}
	return { value: parsed as IDataObject };
}

/** A field name reduced for matching: `alert_uid`, `alertUID` and `AlertUid` all give `alertuid`. */
export function keyOf(name: string): string {
	return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A value Datto left as written: the variable's name in square brackets, e.g. "[site_uid]". */
export function isUnfilledVariable(value: unknown): boolean {
	return typeof value === 'string' && /^\s*\[[A-Za-z0-9_. -]+\]\s*$/.test(value);
}

/** Names the trigger accepts for each fact, compared with keyOf (so `alert_uid` counts as alertUid). */
const ALIASES = {
	event: ['event', 'eventtype'],
	alertUid: ['alertuid', 'alertid'],
	priority: ['priority', 'alertpriority'],
	siteUid: ['siteuid'],
	deviceUid: ['deviceuid'],
};

const EVENT_WORDS: Record<string, WebhookEvent> = {
	opened: 'opened',
	open: 'opened',
	raised: 'opened',
	triggered: 'opened',
	created: 'opened',
	alertopened: 'opened',
	alertraised: 'opened',
	alerttriggered: 'opened',
	resolved: 'resolved',
	closed: 'resolved',
	cleared: 'resolved',
	alertresolved: 'resolved',
};

/** What a delivery says, read from its body. */
export interface Delivery {
	event: WebhookEvent;
	alertUid: string;
	priority?: string;
	siteUid?: string;
	deviceUid?: string;
	/** The body's fields as sent, without the values Datto left as [variables]. */
	fields: IDataObject;
	/** Fields whose value Datto left as a [variable], with that variable. */
	unfilled: Record<string, string>;
}

function pick(body: IDataObject, aliases: string[]): { field: string; value: unknown } | undefined {
	for (const [field, value] of Object.entries(body)) {
		if (aliases.includes(keyOf(field))) return { field, value };
	}
	return undefined;
}

function text(found: { value: unknown } | undefined): string | undefined {
	const value = found?.value;
	if (typeof value === 'number') return String(value);
	if (typeof value !== 'string' || isUnfilledVariable(value)) return undefined;
	return value.trim() || undefined;
}

/** An alert UID as Datto makes them (a UUID), or at least a plain token fit for a URL path. */
const UID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

function eventOf(body: IDataObject): WebhookEvent | undefined {
	const named = text(pick(body, ALIASES.event));
	if (named) return EVENT_WORDS[keyOf(named)];
	// Bodies written for other integrations flag the resolved one with "resolvedAlert": "true".
	const flag = pick(body, ['resolvedalert'])?.value;
	if (flag === true || flag === 'true') return 'resolved';
	if (flag === false || flag === 'false') return 'opened';
	return undefined;
}

/** The delivery a body describes, or what is wrong with it (named so the sender can fix it). */
export function readDelivery(body: IDataObject): Readout<Delivery> {
	const event = eventOf(body);
	if (!event) {
		const sent = pick(body, ALIASES.event);
		return {
			problem: sent
				? `The body's "${sent.field}" is ${JSON.stringify(sent.value)}: use "opened" in the "alert raised" body and "resolved" in the "alert resolved" body`
				: 'The body has no "event": add "event": "opened" to the "alert raised" body and "event": "resolved" to the "alert resolved" body',
		};
	}
	const uidField = pick(body, ALIASES.alertUid);
	if (!uidField) return { problem: 'The body has no "alertUid": add "alertUid": "[alert_uid]" to the Datto RMM webhook body' };
	if (isUnfilledVariable(uidField.value)) {
		return { problem: `The body's "${uidField.field}" is ${JSON.stringify(uidField.value)}: Datto RMM did not fill in that variable; use [alert_uid]` };
	}
	const alertUid = text(uidField);
	if (!alertUid || !UID.test(alertUid)) {
		return { problem: `The body's "${uidField.field}" is not an alert UID: ${JSON.stringify(uidField.value)?.slice(0, 80)}` };
	}
	const fields: IDataObject = {};
	const unfilled: Record<string, string> = {};
	for (const [field, value] of Object.entries(body)) {
		if (isUnfilledVariable(value)) unfilled[field] = String(value).trim();
		else fields[field] = value;
	}
	return {
		value: {
			event,
			alertUid,
			priority: text(pick(body, ALIASES.priority)),
			siteUid: text(pick(body, ALIASES.siteUid)),
			deviceUid: text(pick(body, ALIASES.deviceUid)),
			fields,
			unfilled,
		},
	};
}
