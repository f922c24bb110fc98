import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { RunawayGuard } from '../../shared/transport/runawayGuard';
import { getBaseUrl } from '../../shared/transport/account';
import { dattoRequest, type RequestOptions } from '../../shared/transport/request';
import type { DattoContext } from '../../shared/transport/requestTypes';
import { parseDate, toActivityLogDate, toCommaList } from './fields';
import { listLimit } from './limits';
import { InputError } from './validate';
import type { BuiltRequest, Converter, OperationSpec } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
const PATH = '/v2/activity-logs';
/** No activity log needs more pages than this; more means the cursor is looping. */
const MAX_PAGES = 10_000;

/** Comma-separated numeric IDs (site or user IDs), or InputError naming the field. */
const toIdList: Converter = (value, label) => {
	const list = toCommaList(value, label) as string | undefined;
	if (list === undefined) return undefined;
	const bad = list.split(',').find((id) => !/^\d+$/.test(id));
	if (bad !== undefined) {
		throw new InputError(label, `${label} must be numeric IDs separated by commas (e.g. 4,8), not "${bad}"`);
	}
	return list;
};

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** The window: Until defaults to now, From to 24 hours before Until. */
function timeWindow(ctx: IExecuteFunctions, itemIndex: number): { from: string; until: string } {
	const fromRaw = ctx.getNodeParameter('from', itemIndex, '');
	const untilRaw = ctx.getNodeParameter('until', itemIndex, '');
	const timeZone = ctx.getTimezone();
	const until = isEmpty(untilRaw) ? new Date() : parseDate(untilRaw, 'Until', timeZone);
	const from = isEmpty(fromRaw) ? new Date(until.getTime() - DAY_MS) : parseDate(fromRaw, 'From', timeZone);
	if (from.getTime() > until.getTime()) {
		throw new InputError('From', `From (${from.toISOString()}) is after Until (${until.toISOString()}): pick an earlier From or a later Until`);
	}
	return { from: toActivityLogDate(from, 'From') as string, until: toActivityLogDate(until, 'Until') as string };
}

/** The cursor in a next-page link (`searchAfter`), read but never followed with the token. */
function cursorOf(nextPageUrl: unknown, base: string): string | undefined {
	if (typeof nextPageUrl !== 'string' || nextPageUrl.trim() === '') return undefined;
	try {
		const values = new URL(nextPageUrl, base).searchParams.getAll('searchAfter').filter(Boolean);
		return values.length ? values.join(',') : undefined;
	} catch {
		return undefined;
	}
}

function withParsedDetails(entry: IDataObject): IDataObject {
	if (typeof entry.details !== 'string' || entry.details.trim() === '') return entry;
	try {
		const details = JSON.parse(entry.details) as unknown;
		return details !== null && typeof details === 'object' ? { ...entry, details: details as IDataObject } : entry;
	} catch {
		return entry;
	}
}

/**
 * Activity logs page with a cursor, not page numbers: the first request carries the window and the
 * filters; each further one the same plus `searchAfter` (from the answer's next-page link) and
 * `page=next`, until a page is empty, there is no next link, or the limit is reached.
 */
async function getActivities(
	ctx: DattoContext,
	itemIndex: number,
	request: BuiltRequest,
	options: RequestOptions,
): Promise<IDataObject[]> {
	const exec = ctx as IExecuteFunctions;
	const { from, until } = timeWindow(exec, itemIndex);
	const limit = listLimit(exec, itemIndex) ?? Infinity;
	const nodeOptions = exec.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const pageSize = Math.max(1, Math.floor(Number(nodeOptions.pageSize ?? 100)) || 100);
	const parseDetails = nodeOptions.parseDetails !== false;
	const base = await getBaseUrl(exec);

	const firstQuery: IDataObject = { ...request.qs, from, until };
	const items: IDataObject[] = [];
	const seen = new Set<string>();
	const guard = new RunawayGuard(exec, PATH, itemIndex);
	let cursor: string | undefined;

	for (let pages = 0; items.length < limit; pages++) {
		if (pages >= MAX_PAGES) {
			throw new NodeOperationError(exec.getNode(), `Datto RMM returned more than ${MAX_PAGES} activity-log pages; stopped`, {
				itemIndex,
				description: 'This looks like a paging fault on the API side. Use a shorter window, filters or a Limit.',
			});
		}
		const size = Math.min(pageSize, limit - items.length);
		const qs: IDataObject = cursor ? { ...firstQuery, size, searchAfter: cursor, page: 'next' } : { ...firstQuery, size };
		const page = await dattoRequest<IDataObject>(exec, { method: 'GET', path: PATH, qs }, options);
		if (page && typeof page.error === 'string' && page.error.trim() !== '') {
			throw new NodeOperationError(exec.getNode(), `Datto RMM could not read the activity logs: ${page.error}`, {
				itemIndex,
				description: 'Datto reported a failure at its database layer. Run the workflow again, or narrow the window or the search.',
			});
		}
		const entries = page?.activities;
		if (!Array.isArray(entries)) {
			throw new NodeOperationError(exec.getNode(), `Datto RMM's answer for ${PATH} has no "activities" list`, { itemIndex });
		}
		guard.check(entries as IDataObject[], pages);
		for (const entry of entries as IDataObject[]) {
			items.push(parseDetails ? withParsedDetails(entry) : entry);
			if (items.length >= limit) break;
		}
		if (entries.length === 0) break;
		const details = (page.pageDetails ?? {}) as IDataObject;
		cursor = cursorOf(details.nextPageUrl, base);
		if (!cursor) break;
		if (seen.has(cursor)) {
			throw new NodeOperationError(exec.getNode(), "Datto RMM's activity-log paging went in a circle; stopped", {
				itemIndex,
				description: `The next-page cursor repeated one already read (searchAfter=${cursor}).`,
			});
		}
		seen.add(cursor);
	}
	return items;
}

/** The activity log's own entries in the node's Options collection. */
const activityLogOptions: INodeProperties[] = [
	{
		displayName: 'Page Size',
		name: 'pageSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1000 },
		default: 100,
		description: 'How many entries to ask for per request (Datto pages activity logs with a cursor)',
	},
	{
		displayName: 'Parse Details',
		name: 'parseDetails',
		type: 'boolean',
		default: true,
		description:
			"Whether to turn each entry's details (a JSON text in Datto's answer) into an object, so later nodes can read its fields",
	},
];

export const activityLogOperations: OperationSpec[] = [
	{
		resource: 'activityLog',
		value: 'getMany',
		name: 'Get Many',
		action: 'Get many activity log entries',
		description:
			'List who did what and when (jobs, device changes, remote sessions, logins...) in a time window, the last 24 hours by default, with filters. Each entry\'s date is epoch seconds.',
		operationIds: ['getActivities'],
		method: 'GET',
		path: PATH,
		list: { key: 'activities' },
		run: getActivities,
		options: activityLogOptions,
		fields: [
			{
				in: 'none',
				property: {
					displayName: 'From',
					name: 'from',
					type: 'dateTime',
					default: '',
					description:
						'Start of the time window, as ISO 8601 (e.g. 2026-05-31T08:00:00Z; without a zone, the workflow\'s time zone). Empty: 24 hours before Until (so with both empty, the last 24 hours).',
				},
			},
			{
				in: 'none',
				property: {
					displayName: 'Until',
					name: 'until',
					type: 'dateTime',
					default: '',
					description: 'End of the time window, as ISO 8601 (e.g. 2026-05-31T18:00:00Z; without a zone, the workflow\'s time zone). Empty: now.',
				},
			},
			{
				in: 'query',
				toolHint: 'Whether the newest or the oldest entries of the window come first, and so which ones an answer cut short holds',
				property: {
					displayName: 'Order',
					name: 'order',
					type: 'options',
					default: 'desc',
					options: [
						{ name: 'Newest First', value: 'desc' },
						{ name: 'Oldest First', value: 'asc' },
					],
					description: 'Whether to return the newest or the oldest entries of the window first (with a Limit, which ones you get)',
				},
			},
			{
				in: 'query',
				optionConverters: {
					entities: toCommaList,
					categories: toCommaList,
					actions: toCommaList,
					siteIds: toIdList,
					userIds: toIdList,
				},
				property: {
					displayName: 'Filters',
					name: 'filters',
					type: 'collection',
					placeholder: 'Add Filter',
					default: {},
					options: [
						{
							displayName: 'Actions',
							name: 'actions',
							type: 'string',
							default: '',
							placeholder: 'e.g. deployment,note',
							description: 'Only entries with one of these actions, separated by commas (e.g. deployment, create, note, login)',
						},
						{
							displayName: 'Categories',
							name: 'categories',
							type: 'string',
							default: '',
							placeholder: 'e.g. job,device',
							description: 'Only entries of these categories, separated by commas (e.g. job, device, remote, user)',
						},
						{
							displayName: 'Entities',
							name: 'entities',
							type: 'multiOptions',
							default: [],
							options: [
								{ name: 'Device', value: 'device', description: 'Things done on or to devices (jobs, notes, remote sessions...)' },
								{ name: 'User', value: 'user', description: 'Things users did in the account (logins, API keys...)' },
							],
							description: 'Only entries about devices or about users',
						},
						{
							displayName: 'Search Query',
							name: 'searchQuery',
							type: 'string',
							default: '',
							placeholder: 'e.g. device.hostname : "DESKTOP-01"',
							description:
								"Datto's activity-log search: words, phrases, wildcards, boolean operators (AND, OR), field queries",
						},
						{
							displayName: 'Site IDs',
							name: 'siteIds',
							type: 'string',
							default: '',
							placeholder: 'e.g. 4,8',
							description: 'Only entries of these sites: numeric site IDs (the ID field of a site, not its UID), separated by commas',
						},
						{
							displayName: 'User IDs',
							name: 'userIds',
							type: 'string',
							default: '',
							placeholder: 'e.g. 1,4',
							description: 'Only entries of these users: numeric user IDs (the ID field of a user), separated by commas',
						},
					],
				},
			},
		],
	},
];
