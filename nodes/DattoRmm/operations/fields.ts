import type { INodeProperties } from 'n8n-workflow';

import type { Converter, FieldSpec } from './types';

/** Bad input, caught before any request; the executor turns it into a NodeOperationError. */
export class InputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

/** A required UID/ID that goes into the path. */
export const requiredText: Converter = (value, label) => {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!text) throw new InputError(label, `${label} is empty: enter a value or pick one from the list`);
	return text;
};

/** A picker: "From list" with search, or the UID typed in. */
export function locator(options: {
	name: string;
	displayName: string;
	searchListMethod: string;
	entity: string;
	idLabel?: string;
	placeholder?: string;
	description?: string;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{
				displayName: options.idLabel ?? 'By UID',
				name: 'id',
				type: 'string',
				placeholder: options.placeholder ?? `e.g. 1f2e3d4c-...`,
			},
		],
	};
}

export function pathLocator(options: Parameters<typeof locator>[0], api?: string): FieldSpec {
	return { property: locator(options), in: 'path', api, convert: requiredText };
}

export const returnAllProperty: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitProperty: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

/** Node-wide options, shown for every operation. */
export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Add ISO Dates',
			name: 'isoDates',
			type: 'boolean',
			default: false,
			description:
				'Whether to add an ISO-8601 copy beside each epoch timestamp (e.g. lastSeenIso beside lastSeen), so later nodes can read dates without a Code node',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 4,
			description:
				'How often to retry a read after a rate limit (429), a server error (5xx) or a network failure, with growing waits. Writes that create are only retried when Datto surely did not process them.',
		},
	],
};
