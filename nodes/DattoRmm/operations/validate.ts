import type { INodeProperties } from 'n8n-workflow';

/** Bad input, caught before any request; the executor turns it into a NodeOperationError. */
export class InputError extends Error {
	constructor(
		readonly field: string,
		message: string,
		/** The n8n parameter it came from (`filters.hostname`), when known: names the AI tool's input. */
		public parameter?: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

/** Longer texts are never repeated in a message: a model's 10 KB input must not come back three times. */
const ECHO_MAX = 40;

/** A value for an error message: short ones in quotes, long ones by their length only. */
export function shown(value: unknown): string {
	const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
	return text.length <= ECHO_MAX ? `"${text}"` : `a text of ${text.length.toLocaleString('en-US')} characters`;
}

/** The longest text an AI tool's input may be: more than any name, filter or note Datto keeps. */
export const MAX_TOOL_TEXT = 1000;

/** Throws InputError when `value` holds (at any depth) a text longer than `max`. */
export function checkTextLength(value: unknown, label: string, max = MAX_TOOL_TEXT): void {
	if (typeof value === 'string') {
		if (value.length > max) {
			throw new InputError(label, `${label} is too long: ${value.length.toLocaleString('en-US')} characters, at most ${max.toLocaleString('en-US')}`);
		}
	} else if (value && typeof value === 'object') {
		for (const inner of Object.values(value as object)) checkTextLength(inner, label, max);
	}
}

/** Datto's UIDs (devices, sites, alerts, jobs, components): UUIDs, 36 characters. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Datto's numeric IDs (devices, variables, sites, users): int64, so at most 19 digits. */
const NUMERIC_ID = /^[1-9]\d{0,18}$/;

export const EXAMPLE_UID = '1f2e3d4c-5b6a-4789-9012-3456789abcde';

/** No Datto UID, ID or MAC address is longer than this; a longer path value is refused unread. */
const MAX_PATH_VALUE = 100;

/**
 * A value that goes into the URL path. Always (editor and tool): not empty, not "." or ".." (they
 * would name another endpoint: /v2/device/.. is /v2/), nothing a proxy could read as path or query
 * syntax (/ \ ? # %, spaces, control characters), not longer than any Datto identifier. As an AI
 * tool (`strict`) it must also have the form Datto gives that field: a UUID for `*Uid`, a whole
 * number for `*Id`. The editor keeps the looser rule so a typed value still reaches Datto's own
 * "not found".
 */
export function checkPathValue(name: string, value: unknown, label: string, strict: boolean): string {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	const kind = name.endsWith('Uid') ? 'uid' : name.endsWith('Id') ? 'id' : 'other';
	const wanted =
		kind === 'uid'
			? `a UID: a UUID such as ${EXAMPLE_UID}`
			: kind === 'id'
				? 'a numeric ID: a whole number such as 123456'
				: 'the value itself';
	if (!text) throw new InputError(label, `${label} is empty: give ${wanted}`);
	if (text === '.' || text === '..') throw new InputError(label, `${label} cannot be ${shown(text)}: give ${wanted}`);
	if (text.length > MAX_PATH_VALUE) throw new InputError(label, `${label} must be ${wanted}, not ${shown(text)}`);
	const pathSyntax = /[/\\?#%\s]/.test(text) || [...text].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);
	const badForm = strict && ((kind === 'uid' && !UUID.test(text)) || (kind === 'id' && !NUMERIC_ID.test(text)));
	if (pathSyntax || badForm) throw new InputError(label, `${label} must be ${wanted}, not ${shown(text)}`);
	return text;
}

/** An options parameter's value must be one of its options: anything else would pick another endpoint silently. */
export function checkOption(property: INodeProperties, value: unknown): void {
	const values = (property.options ?? []).map((o) => ('value' in o ? o.value : undefined));
	if (!values.includes(value as never)) {
		throw new InputError(property.displayName, `${property.displayName} must be one of ${values.map((v) => `"${String(v)}"`).join(', ')}, not ${shown(value)}`);
	}
}
