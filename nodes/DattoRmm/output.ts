import type { IDataObject } from 'n8n-workflow';

/** Datto fields holding epoch milliseconds (the spec calls them date-time strings; the live API sends numbers). */
const EPOCH_MS_FIELDS = new Set([
	'lastSeen',
	'lastReboot',
	'lastAuditDate',
	'creationDate',
	'timestamp',
	'resolvedOn',
	'lastRun',
	'lastSeenOnline',
	'dateCreated',
	'lastAccess',
	'runTime',
	'completedTime',
]);

/** Activity-log `date` is epoch seconds. */
const EPOCH_SECONDS_FIELDS = new Set(['date']);

function iso(ms: number): string | undefined {
	const d = new Date(ms);
	return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A copy of `value` with `<field>Iso` beside every epoch timestamp, at any depth. */
export function addIsoDates<T>(value: T): T {
	if (Array.isArray(value)) return value.map((v) => addIsoDates(v)) as T;
	if (!value || typeof value !== 'object') return value;
	const out: IDataObject = {};
	for (const [key, field] of Object.entries(value as IDataObject)) {
		out[key] = addIsoDates(field);
		if (typeof field !== 'number') continue;
		const text = EPOCH_MS_FIELDS.has(key) ? iso(field) : EPOCH_SECONDS_FIELDS.has(key) ? iso(field * 1000) : undefined;
		if (text) out[`${key}Iso`] = text;
	}
	return out as T;
}
