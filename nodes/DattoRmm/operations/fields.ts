import type { INodeProperties } from 'n8n-workflow';

import { isoDatesOption } from '../../shared/descriptions/isoDatesOption';
import { locator } from '../../shared/descriptions/locator';
import type { Converter, FieldSpec } from './types';
import { EXAMPLE_UID, InputError, shown } from './validate';

/** A required UID/ID that goes into the path. */
export const requiredText: Converter = (value, label) => {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!text) throw new InputError(label, `${label} is empty: give a value`);
	return text;
};

export function pathLocator(options: Parameters<typeof locator>[0], api?: string, toolHint?: string): FieldSpec {
	return { property: locator(options), in: 'path', api, convert: requiredText, toolHint };
}

/** The Device picker (search by hostname); `what` says which device, e.g. "The device whose alerts to list". */
export function devicePicker(what = 'The device', displayName = 'Device'): FieldSpec {
	const toolHint = `${what}: its uid, a UUID such as ${EXAMPLE_UID} (not its numeric id)`;
	const description = `${toolHint}. In the editor, pick it from the list (search by hostname).`;
	return pathLocator({ name: 'deviceUid', displayName, searchListMethod: 'searchDevices', entity: 'device', description }, undefined, toolHint);
}

/** The Site picker (search by name); `what` says which site, e.g. "The site to move the device to". */
export function sitePicker(what = 'The site', displayName = 'Site'): FieldSpec {
	const toolHint = `${what}: its uid, a UUID such as ${EXAMPLE_UID} (not its numeric id)`;
	const description = `${toolHint}. In the editor, pick it from the list (search by name).`;
	return pathLocator({ name: 'siteUid', displayName, searchListMethod: 'searchSites', entity: 'site', description }, undefined, toolHint);
}

/** The same field, shown only when other parameters have these values (e.g. scope = site). */
export function shownWhen(field: FieldSpec, show: Record<string, string[]>): FieldSpec {
	return { ...field, property: { ...field.property, displayOptions: { show } } };
}

/** Options every operation has. */
const maxRetriesOption: INodeProperties = {
	displayName: 'Max Retries',
	name: 'maxRetries',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 10 },
	default: 4,
	description:
		'How often to retry a read after a rate limit (429), a server error (5xx) or a network failure, with growing waits. Writes that create are only retried when Datto surely did not process them.',
};

const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 300 },
	default: 30,
	description:
		'How long one attempt may take for its whole answer, not only until the first byte. All attempts of one request, with the waits between them, take at most four times this.',
};

/** For lists read by page number (Return All): how the pages after the first are fetched. */
export const concurrentPagesOption: INodeProperties = {
	displayName: 'Fetch Pages Concurrently',
	name: 'concurrentPages',
	type: 'boolean',
	default: true,
	description:
		"Whether Return All fetches the remaining pages at once (within the account's budget) once the first page gives the total, instead of one page after another",
};

/**
 * The node's one Options collection for an operation: the options every operation has, plus the
 * operation's own (e.g. the activity log's page size), in alphabetical order as n8n lists them.
 */
export function optionsProperty(own: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [isoDatesOption, maxRetriesOption, timeoutOption, ...own].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** How far a time zone is ahead of UTC at an instant, in ms (Intl only: no library needed). */
function zoneOffsetMs(instant: Date, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(instant);
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** A wall-clock time without zone (what n8n's date picker gives) in the workflow's time zone. */
function wallTimeIn(text: string, timeZone: string): Date | undefined {
	const asUtc = new Date(`${text}Z`).getTime();
	if (Number.isNaN(asUtc)) return undefined;
	try {
		// Twice, so a wall time next to a daylight-saving change uses that side's offset.
		let instant = asUtc - zoneOffsetMs(new Date(asUtc), timeZone);
		instant = asUtc - zoneOffsetMs(new Date(instant), timeZone);
		return new Date(instant);
	} catch {
		return undefined; // an unknown zone name: read the text as it is
	}
}

const ZONELESS_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * A date from n8n's date field (ISO string, Date, Luxon DateTime or epoch ms), or InputError.
 * A date-time without zone is read in `timeZone` (the workflow's), as n8n's own nodes do.
 */
export function parseDate(value: unknown, label: string, timeZone?: string): Date {
	let date: Date | undefined;
	if (value instanceof Date) date = value;
	else if (typeof value === 'number') date = new Date(value);
	else if (typeof value === 'string' && value.trim()) {
		const text = value.trim();
		if (timeZone && ZONELESS_DATE_TIME.test(text)) date = wallTimeIn(text, timeZone);
		date ??= /^\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
	} else if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		date = new Date(String((value as { toISO: () => string }).toISO()));
	}
	if (!date || Number.isNaN(date.getTime())) {
		throw new InputError(label, `${label} is not a valid date: ${shown(value)}. Use e.g. 2026-05-31 or 2026-05-31T08:00:00Z`);
	}
	return date;
}

/**
 * `yyyy-mm-dd` (warranty dates): the calendar day as the user typed it. n8n's date picker gives
 * wall-clock time (`2027-03-31T00:00:00`); converting through UTC would give the day before east of
 * UTC. Days the calendar does not have (2027-02-30) are refused rather than rolled over.
 */
export const toDayDate: Converter = (value, label) => {
	const isLuxon = value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function';
	const text = isLuxon ? String((value as { toISO: () => string }).toISO()) : typeof value === 'string' ? value.trim() : '';
	const typed = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}.*)?$/.exec(text);
	const day = typed ? typed[1] : parseDate(value, label).toISOString().slice(0, 10);
	const check = new Date(`${day}T00:00:00Z`);
	if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== day) {
		throw new InputError(label, `${label} is not a valid date: "${day}" does not exist`);
	}
	return day;
};

/** A whole number above 0 given as text or number (variable IDs, device IDs). */
export const toPositiveId: Converter = (value, label) => {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!text) throw new InputError(label, `${label} is empty: enter the numeric ID`);
	if (!/^\d+$/.test(text) || Number(text) < 1) {
		throw new InputError(label, `${label} must be a whole number above 0, not ${shown(text)}`);
	}
	return text;
};

/** `yyyy-MM-ddTHH:mm:ssZ` in UTC (activity-log `from`/`until`). */
export const toActivityLogDate: Converter = (value, label) =>
	parseDate(value, label).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A MAC address without separators, as Datto expects; InputError when it is not 12 hex digits. */
export const toMacAddress: Converter = (value, label) => {
	const raw = typeof value === 'string' ? value.trim() : '';
	const mac = raw.replace(/[:\-.\s]/g, '');
	if (!/^[0-9a-fA-F]{12}$/.test(mac)) {
		throw new InputError(label, `${label} ${shown(raw)} is not a MAC address: give 12 hex digits, e.g. 00:1A:2B:3C:4D:5E or 001A2B3C4D5E`);
	}
	return mac.toUpperCase();
};

/** Comma-separated list from a string or an array (activity-log filters and the like). */
export const toCommaList: Converter = (value) => {
	const parts = (Array.isArray(value) ? value : String(value ?? '').split(','))
		.map((v) => String(v).trim())
		.filter(Boolean);
	return parts.length ? parts.join(',') : undefined;
};

export const MAX_UDF = 300;

/** Throws InputError unless `n` is a UDF number Datto has (1..300). */
export function checkUdfNumber(n: unknown, label: string): number {
	const num = Number(n);
	if (!Number.isInteger(num) || num < 1 || num > MAX_UDF) {
		throw new InputError(label, `${label} must be a whole number from 1 to ${MAX_UDF}, not ${shown(n)}`);
	}
	return num;
}

/** A MAC address in the path: any separators, sent as 12 hex digits. */
export const macAddressField: FieldSpec = {
	in: 'path',
	convert: toMacAddress,
	property: {
		displayName: 'MAC Address',
		name: 'macAddress',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 00:1A:2B:3C:4D:5E',
		description:
			"MAC address of one of the device's network adapters: 12 hex digits, e.g. 001A2B3C4D5E; separators (:, - or .) are removed, so 00:1A:2B:3C:4D:5E works too",
	},
};
