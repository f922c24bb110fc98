import type { INodeProperties } from 'n8n-workflow';

/**
 * The picker mode for a typed-in UID. Not named `id`: n8n's editor labels a mode named `id` "By ID"
 * whatever its displayName, which here would be confused with the numeric IDs of "Get by ID".
 * Workflows saved with the earlier mode name `id` still run: n8n reads the value of an unknown mode as it is.
 */
export const UID_MODE = 'uid';

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
				name: UID_MODE,
				type: 'string',
				placeholder: options.placeholder ?? `e.g. 1f2e3d4c-...`,
			},
		],
	};
}
