import type { INodeProperties } from 'n8n-workflow';

/** Adds `<field>Iso` beside Datto's dates (dates.ts); the action node and both triggers offer it. */
export const isoDatesOption: INodeProperties = {
	displayName: 'Add ISO Dates',
	name: 'isoDates',
	type: 'boolean',
	default: false,
	description:
		'Whether to add a UTC ISO-8601 copy beside each date (e.g. lastSeenIso beside lastSeen), whether Datto sent it as epoch milliseconds or as text, so later nodes can read dates without a Code node',
};
