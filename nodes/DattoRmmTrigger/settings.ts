/** The trigger's parameters, read and checked before a poll sends anything. */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PRIORITIES } from '../shared/alertPriorities';
import { ALERT_EVENTS, DEVICE_EVENTS, type TriggerEvent } from './description';
import type { PagedList } from './walk';

/** Alert lists accept a page size above the account's (Datto exempts them from its cap). */
export const ALERT_PAGE_SIZE = 1000;

export interface TriggerSettings {
	event: TriggerEvent;
	/** Everything that decides which items the stored state is about. */
	key: string;
	list?: PagedList;
	activityFilters?: IDataObject;
	priorities: Set<string>;
	alertMessage: boolean;
	isoDates: boolean;
	parseDetails: boolean;
	maxRetries: number;
}

function commaList(value: unknown): string | undefined {
	const parts = (Array.isArray(value) ? value : String(value ?? '').split(','))
		.map((v) => String(v).trim().toLowerCase())
		.filter(Boolean);
	return parts.length ? [...new Set(parts)].sort().join(',') : undefined;
}

function locatorValue(ctx: IPollFunctions, name: string, label: string): string {
	const value = ctx.getNodeParameter(name, '', { extractValue: true }) as unknown;
	const uid = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (!uid) {
		throw new NodeOperationError(ctx.getNode(), `No ${label} chosen`, {
			description: `Pick a ${label} from the list in the "${label === 'site' ? 'Site' : 'Device'}" field, or enter its UID.`,
		});
	}
	return encodeURIComponent(uid);
}

/** Reads and checks the node's parameters. */
export function readSettings(ctx: IPollFunctions): TriggerSettings {
	const event = ctx.getNodeParameter('event', 'alertOpened') as TriggerEvent;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const retries = Number(options.maxRetries ?? 2);
	const base = {
		event,
		priorities: new Set<string>(),
		alertMessage: false,
		isoDates: options.isoDates === true,
		parseDetails: options.parseDetails !== false,
		maxRetries: Number.isInteger(retries) && retries >= 0 ? Math.min(retries, 10) : 2,
	};

	if (ALERT_EVENTS.includes(event)) {
		const scope = ctx.getNodeParameter('scope', 'account') as string;
		const status = event === 'alertOpened' ? 'open' : 'resolved';
		let path: string;
		let notFoundHint: string | undefined;
		if (scope === 'site') {
			path = `/v2/site/${locatorValue(ctx, 'siteUid', 'site')}/alerts/${status}`;
			notFoundHint = 'the site';
		} else if (scope === 'device') {
			path = `/v2/device/${locatorValue(ctx, 'deviceUid', 'device')}/alerts/${status}`;
			notFoundHint = 'the device';
		} else {
			path = `/v2/account/alerts/${status}`;
		}
		const muted = ctx.getNodeParameter('muted', 'any') as string;
		const qs: IDataObject = muted === 'true' || muted === 'false' ? { muted } : {};
		const chosen = (ctx.getNodeParameter('priorities', []) as string[]) ?? [];
		const unknown = chosen.filter((p) => !PRIORITIES.includes(p));
		if (unknown.length) {
			throw new NodeOperationError(ctx.getNode(), `Unknown alert priority "${unknown[0]}"`, {
				description: `Pick priorities among ${PRIORITIES.join(', ')}.`,
			});
		}
		return {
			...base,
			key: `${event}|${path}|${muted}`,
			list: { path, qs, key: 'alerts', max: ALERT_PAGE_SIZE, notFoundHint },
			priorities: new Set(chosen),
			alertMessage: ctx.getNodeParameter('alertMessage', true) !== false,
		};
	}

	if (DEVICE_EVENTS.includes(event)) {
		const scope = ctx.getNodeParameter('scope', 'account') as string;
		if (scope !== 'account' && scope !== 'site') {
			throw new NodeOperationError(ctx.getNode(), `Device events watch an account or a site, not "${scope}"`, {
				description: 'Set Scope to Account or Site.',
			});
		}
		const path = scope === 'site' ? `/v2/site/${locatorValue(ctx, 'siteUid', 'site')}/devices` : '/v2/account/devices';
		// Went Offline and Came Online share how they track devices, so they share a key prefix.
		const kind = event === 'deviceAdded' ? 'added' : 'status';
		return {
			...base,
			key: `device-${kind}|${path}`,
			list: { path, key: 'devices', notFoundHint: scope === 'site' ? 'the site' : undefined },
		};
	}

	if (event === 'activity') {
		const filters: IDataObject = {};
		const entities = commaList(ctx.getNodeParameter('entities', []));
		const categories = commaList(ctx.getNodeParameter('categories', ''));
		const actions = commaList(ctx.getNodeParameter('actions', ''));
		if (entities) filters.entities = entities;
		if (categories) filters.categories = categories;
		if (actions) filters.actions = actions;
		return { ...base, key: `activity|${entities ?? ''}|${categories ?? ''}|${actions ?? ''}`, activityFilters: filters };
	}

	throw new NodeOperationError(ctx.getNode(), `Unknown event "${String(event)}"`, {
		description: 'Pick an event in the "Event" field.',
	});
}
