/** Find by Hostname: its fields and its run, an exact or partial match on the account's device list. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { getListItems } from '../../shared/transport/pagination';
import type { RequestOptions } from '../../shared/transport/request';
import type { DattoContext } from '../../shared/transport/requestTypes';
import { fetchToolList } from '../tool-answer';
import { requiredText } from './fields';
import { isToolNode, listLimit } from './limits';
import type { BuiltRequest, FieldSpec, Found } from './types';

const MATCH_EXACT = 'exact';

/** How many devices whose hostname contains the text an exact Find by Hostname reads at most, as an AI tool. */
const TOOL_SCAN_MAX = 1000;

/** The hostname to find, sent as Datto's hostname filter. */
export const hostnameField: FieldSpec = {
	in: 'query',
	convert: requiredText,
	property: {
		displayName: 'Hostname',
		name: 'hostname',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. ACME-DT001',
		description: 'The hostname to look for, e.g. ACME-DT001; case does not matter',
	},
};

/** Whether the hostname must equal the text or only contain it; matched here, after Datto's filter. */
export const matchField: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'Match',
		name: 'match',
		type: 'options',
		options: [
			{ name: 'Exact', value: MATCH_EXACT, description: 'The hostname equals the text' },
			{ name: 'Partial', value: 'partial', description: 'The hostname contains the text' },
		],
		default: MATCH_EXACT,
		description: 'Whether the hostname must equal the text or only contain it',
	},
};

/**
 * Find by Hostname: the account list filtered by hostname (Datto: contains the text), then matched
 * here, case-insensitively. As an AI tool it never reads every page: Partial reads the limit (and
 * one more); Exact reads at most TOOL_SCAN_MAX candidates and says when there were more.
 */
export async function findByHostname(ctx: DattoContext, itemIndex: number, request: BuiltRequest, options: RequestOptions): Promise<IDataObject[] | Found> {
	const exec = ctx as IExecuteFunctions;
	const wanted = String(request.qs.hostname).toLowerCase();
	const exact = exec.getNodeParameter('match', itemIndex, MATCH_EXACT) === MATCH_EXACT;
	// Datto's filter is SQL LIKE, where _ and % are wildcards: check every hostname here too.
	const matches = (device: IDataObject) => {
		const hostname = String(device.hostname ?? '').toLowerCase();
		return exact ? hostname === wanted : hostname.includes(wanted);
	};
	const list = { path: request.path, qs: request.qs, key: 'devices' };
	if (!isToolNode(exec)) return (await getListItems(ctx, list, options)).filter(matches);
	const found = await fetchToolList(ctx, { ...list, limit: exact ? TOOL_SCAN_MAX : listLimit(exec, itemIndex)! }, options);
	const items = found.items.filter(matches);
	if (exact) return { items, total: items.length, more: found.total !== undefined && found.total > found.items.length };
	return { items, total: /[_%]/.test(wanted) ? undefined : found.total };
}
