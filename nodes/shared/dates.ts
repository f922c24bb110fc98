import type { IDataObject } from 'n8n-workflow';

/**
 * Datto fields holding a date. The spec calls them all date-time strings; live sweeps show epoch
 * milliseconds for device, alert and user times, and nobody has shown the live form of the others
 * (job, job result, filter, audit, response action, alert context and status times), so each
 * may come as an epoch-ms number or as an ISO 8601 string.
 */
const DATE_FIELDS = new Set([
	// device
	'lastSeen',
	'lastReboot',
	'lastAuditDate',
	'creationDate',
	// alert, its response actions and contexts
	'timestamp',
	'resolvedOn',
	'actionTime',
	'lastTriggered',
	'alertTime',
	'metaAlertTime',
	// user
	'created',
	'lastAccess',
	// job and job result
	'dateCreated',
	'ranOn',
	// filter
	'dateCreate',
	'lastUpdated',
	// audit
	'releaseDate',
	'driverFileLastModified',
	// system status
	'started',
	// not named by the spec's schemas; kept for answers that carry them
	'lastRun',
	'lastSeenOnline',
	'runTime',
	'completedTime',
]);

/** Activity-log `date` is epoch seconds. */
const EPOCH_SECONDS_FIELDS = new Set(['date']);

/** Text that can only be a date: starts like an ISO 8601 date (`2026-05-31`, `2026-05-31T08:00:00Z`). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]|$)/;

/**
 * Epoch ms of a Datto date given as an epoch-ms number, numeric text, or an ISO 8601 string;
 * undefined when it is none of these. Every date the nodes compare or convert goes through here.
 */
export function epochMsOf(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value) : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text));
	if (!ISO_DATE.test(text)) return undefined;
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? undefined : ms;
}

/** Epoch ms of an activity-log `date`: epoch seconds (number or numeric text), or an ISO string. */
export function activityDateMs(value: unknown): number | undefined {
	if (typeof value === 'string' && ISO_DATE.test(value.trim())) return epochMsOf(value);
	const seconds = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
	return Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined;
}

function iso(ms: number | undefined): string | undefined {
	if (ms === undefined) return undefined;
	const d = new Date(ms);
	return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A Datto date (epoch ms, numeric text or ISO text) as UTC ISO 8601 text; undefined when it is none. */
export function isoDate(value: unknown): string | undefined {
	return iso(epochMsOf(value));
}

/**
 * A copy of `value` with `<field>Iso` beside every Datto date, at any depth: always a UTC ISO 8601
 * string, whether Datto sent the date as a number or as text.
 */
export function addIsoDates<T>(value: T): T {
	if (Array.isArray(value)) return value.map((v) => addIsoDates(v)) as T;
	if (!value || typeof value !== 'object') return value;
	const out: IDataObject = {};
	for (const [key, field] of Object.entries(value as IDataObject)) {
		out[key] = addIsoDates(field);
		const text = DATE_FIELDS.has(key)
			? iso(epochMsOf(field))
			: EPOCH_SECONDS_FIELDS.has(key)
				? iso(activityDateMs(field))
				: undefined;
		if (text) out[`${key}Iso`] = text;
	}
	return out as T;
}
