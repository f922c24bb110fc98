/**
 * What one poll does for each event, and the test event of "Fetch Test Event".
 *
 * Every poll builds its new state in memory and returns it; the node stores it only when the
 * whole poll succeeded, so a poll that fails half way (it throws) changes nothing and the next one
 * covers the same ground again. Items that the failed poll had seen fire then, once.
 *
 * Requests per poll (page sizes: alerts 1,000, the most Datto allows them; devices the account's
 * page size, 250 on typical accounts; activity entries 1,000):
 * - Alert Opened: every page of the open-alert list of the scope. Datto has no time filter on
 *   alert lists and does not order them by time, so nothing shorter is safe: ceil(open / 1000).
 * - Alert Resolved: every page of the resolved-alert list of the scope, ceil(resolved / 1000).
 *   (Watching the open list for alerts that disappear would be cheaper but misses alerts opened
 *   and resolved between two polls, and needs one more request per resolved alert.)
 * - Device Added / Went Offline / Came Online: every page of the device list, ceil(devices / 250).
 * - Activity Log Entry: one request (`from` = the stored floor, `order=asc`), plus one per further
 *   1,000 entries.
 * A list too long for the poll's time budget is read over several polls (the page to resume at is
 * stored); the first walk of a new configuration fires nothing.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { activityDateMs, addIsoDates, epochMsOf } from '../DattoRmm/output';
import { alertMessage } from './alertMessage';
import { ALERT_EVENTS, DEVICE_EVENTS, PRIORITIES, type TriggerEvent } from './description';
import {
	decodeIds,
	encodeIds,
	SEEN_CAP,
	tagOf as tagFor,
	Watermark,
	type DeviceState,
	type WatermarkState,
} from './state';
import { walkActivities, walkPages, type PagedList, type PollBudget } from './walk';

/** Alert lists accept a page size above the account's (Datto exempts them from its cap). */
export const ALERT_PAGE_SIZE = 1000;
/** Activity logs answer at most 1,000 entries per request. */
export const ACTIVITY_PAGE_SIZE = 1000;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** How much older than the newest item a late-listed alert or device may be and still fire. */
const LIST_HORIZON_MS = 6 * HOUR;
/** Activity entries re-read each poll, so late-indexed entries still fire (once). */
const ACTIVITY_LOOKBACK_MS = 5 * MINUTE;
/** Window of the first activity poll, which only notes where the log stands. */
const ACTIVITY_BASELINE_MS = 24 * HOUR;
/** Window searched for a test event of the activity log. */
const ACTIVITY_SAMPLE_MS = 7 * 24 * HOUR;

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

export interface PollOutcome<S> {
	items: IDataObject[];
	state: S;
	requests: number;
	/** Page the next poll resumes at, when this one ran out of time. */
	resumeAt?: number;
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

/**
 * When the item happened, for the event watched (undefined: the item cannot be placed). Every
 * time is read as an epoch-ms number or an ISO string, so comparisons and the stored floor work
 * whichever form Datto sends.
 */
function timeOf(event: TriggerEvent, item: IDataObject): number | undefined {
	switch (event) {
		case 'alertOpened':
			return epochMsOf(item.timestamp);
		case 'alertResolved':
			return epochMsOf(item.resolvedOn) ?? epochMsOf(item.timestamp);
		case 'deviceAdded':
			return epochMsOf(item.creationDate);
		case 'activity':
			// Epoch seconds, with the milliseconds as a fraction.
			return activityDateMs(item.date);
		default:
			return epochMsOf(item.lastSeen);
	}
}

function idOf(event: TriggerEvent, item: IDataObject): string | undefined {
	const id = ALERT_EVENTS.includes(event) ? item.alertUid : event === 'activity' ? item.id : item.uid;
	return typeof id === 'string' && id ? id : typeof id === 'number' ? String(id) : undefined;
}

function matches(settings: TriggerSettings, item: IDataObject): boolean {
	if (ALERT_EVENTS.includes(settings.event) && settings.priorities.size > 0) {
		return settings.priorities.has(String(item.priority));
	}
	return true;
}

/** The item as output: the entity, with the extras the options ask for. */
export function shape(settings: TriggerSettings, item: IDataObject): IDataObject {
	let json: IDataObject = { ...item };
	if (ALERT_EVENTS.includes(settings.event) && settings.alertMessage) json.alertMessage = alertMessage(item);
	if (settings.event === 'activity' && settings.parseDetails && typeof json.details === 'string' && json.details.trim()) {
		try {
			const details = JSON.parse(json.details) as unknown;
			if (details !== null && typeof details === 'object') json.details = details as IDataObject;
		} catch {
			// Not JSON after all: keep Datto's text as it came.
			json.details = item.details;
		}
	}
	if (settings.isoDates) json = addIsoDates(json);
	return json;
}

function tagged(event: TriggerEvent, item: IDataObject): { time: number; tag: string } | undefined {
	const time = timeOf(event, item);
	const id = idOf(event, item);
	return time === undefined || id === undefined ? undefined : { time, tag: tagFor(id) };
}

/**
 * Alert Opened, Alert Resolved, Device Added: walk the list, fire what is at or after the floor
 * and not yet seen.
 */
export async function pollWatermarkList(
	ctx: IPollFunctions,
	settings: TriggerSettings,
	budget: PollBudget,
	stored: WatermarkState | undefined,
): Promise<PollOutcome<WatermarkState>> {
	const baseline = stored ? stored.baseline : true;
	const mark = stored ? Watermark.decode(stored.floor, stored.seen) : new Watermark(0);
	const fresh: Array<{ time: number; item: IDataObject }> = [];
	const walk = await walkPages(ctx, settings.list!, stored?.page ?? 0, budget, (entries) => {
		for (const item of entries) {
			const t = tagged(settings.event, item);
			if (!t || !mark.isNew(t.tag, t.time)) continue;
			mark.add(t.tag, t.time);
			if (!baseline && matches(settings, item)) fresh.push({ time: t.time, item });
		}
	});
	mark.prune(LIST_HORIZON_MS, SEEN_CAP);
	fresh.sort((a, b) => a.time - b.time);
	return {
		items: fresh.map((f) => shape(settings, f.item)),
		state: {
			floor: mark.floor,
			seen: mark.encode(),
			page: walk.nextPage ?? 0,
			baseline: baseline && walk.nextPage !== undefined,
		},
		requests: walk.requests,
		resumeAt: walk.nextPage,
	};
}

/**
 * Device Went Offline / Came Online: a device fires when its `online` flag differs from the last
 * time it was seen. Only offline devices are remembered (a device not remembered is taken as
 * online), in three sets: seen offline in this walk (a), in the last complete walk and not yet in
 * this one (b), and two walks ago but not since (c, dropped at the end of this walk: the device was
 * deleted or left the scope). Remembering b and c for a walk more keeps a device that a shifting
 * page skipped once from firing again.
 */
export async function pollDeviceStatus(
	ctx: IPollFunctions,
	settings: TriggerSettings,
	budget: PollBudget,
	stored: DeviceState | undefined,
): Promise<PollOutcome<DeviceState>> {
	const baseline = stored ? stored.baseline : true;
	const a = decodeIds(stored?.a);
	const b = decodeIds(stored?.b);
	const c = decodeIds(stored?.c);
	const fresh: IDataObject[] = [];
	const wantOnline = settings.event === 'deviceOnline';
	const walk = await walkPages(ctx, settings.list!, stored?.page ?? 0, budget, (entries) => {
		for (const device of entries) {
			const id = Number(device.id);
			if (!Number.isInteger(id) || id < 0 || typeof device.online !== 'boolean') continue;
			const knownOffline = a.has(id) || b.has(id) || c.has(id);
			b.delete(id);
			c.delete(id);
			if (device.online) {
				a.delete(id);
				if (knownOffline && !baseline && wantOnline) fresh.push(device);
			} else {
				a.add(id);
				if (!knownOffline && !baseline && !wantOnline) fresh.push(device);
			}
		}
	});
	const complete = walk.nextPage === undefined;
	const state: DeviceState = complete
		? { a: '', b: encodeIds(a), c: encodeIds(b), page: 0, baseline: false }
		: { a: encodeIds(a), b: encodeIds(b), c: encodeIds(c), page: walk.nextPage!, baseline };
	return { items: fresh.map((d) => shape(settings, d)), state, requests: walk.requests, resumeAt: walk.nextPage };
}

function activityDate(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Activity Log Entry: `from` = the floor, oldest first. The first poll asks for the newest
 * entries (one request) and only notes them.
 */
export async function pollActivity(
	ctx: IPollFunctions,
	settings: TriggerSettings,
	budget: PollBudget,
	stored: WatermarkState | undefined,
): Promise<PollOutcome<WatermarkState>> {
	if (!stored) {
		const start = Date.now() - ACTIVITY_BASELINE_MS;
		const mark = new Watermark(start);
		let count = 0;
		let oldest: number | undefined;
		const walk = await walkActivities(
			ctx,
			{ qs: { ...settings.activityFilters, from: activityDate(start), order: 'desc' }, size: ACTIVITY_PAGE_SIZE },
			budget,
			(entries) => {
				for (const item of entries) {
					count++;
					const t = tagged('activity', item);
					if (!t) continue;
					mark.add(t.tag, t.time);
					if (oldest === undefined || t.time < oldest) oldest = t.time;
				}
			},
			1,
		);
		// A full page may leave older entries unread: they must stay below the floor.
		if (count >= ACTIVITY_PAGE_SIZE && oldest !== undefined) mark.raiseFloor(oldest + 1);
		mark.prune(ACTIVITY_LOOKBACK_MS, SEEN_CAP);
		return { items: [], state: { floor: mark.floor, seen: mark.encode(), page: 0, baseline: false }, requests: walk.requests };
	}

	const mark = Watermark.decode(stored.floor, stored.seen);
	const fresh: Array<{ time: number; item: IDataObject }> = [];
	const walk = await walkActivities(
		ctx,
		{ qs: { ...settings.activityFilters, from: activityDate(mark.floor), order: 'asc' }, size: ACTIVITY_PAGE_SIZE },
		budget,
		(entries) => {
			for (const item of entries) {
				const t = tagged('activity', item);
				if (!t || !mark.isNew(t.tag, t.time)) continue;
				mark.add(t.tag, t.time);
				fresh.push({ time: t.time, item });
			}
		},
	);
	mark.prune(ACTIVITY_LOOKBACK_MS, SEEN_CAP);
	fresh.sort((x, y) => x.time - y.time);
	return {
		items: fresh.map((f) => shape(settings, f.item)),
		state: { floor: mark.floor, seen: mark.encode(), page: 0, baseline: false },
		requests: walk.requests,
	};
}

/** "Fetch Test Event": the most recent item of the event, read without touching the state. */
export async function sampleItem(ctx: IPollFunctions, settings: TriggerSettings, budget: PollBudget): Promise<IDataObject | undefined> {
	if (settings.event === 'activity') {
		let newest: IDataObject | undefined;
		await walkActivities(
			ctx,
			{
				qs: { ...settings.activityFilters, from: activityDate(Date.now() - ACTIVITY_SAMPLE_MS), order: 'desc' },
				size: 1,
			},
			budget,
			(entries) => {
				newest = newest ?? entries[0];
			},
			1,
		);
		return newest ? shape(settings, newest) : undefined;
	}

	let best: { time: number; item: IDataObject } | undefined;
	const consider = (item: IDataObject, time: number | undefined) => {
		if (time !== undefined && (!best || time > best.time)) best = { time, item };
	};
	let page = 0;
	for (;;) {
		const walk = await walkPages(ctx, settings.list!, page, budget, (entries) => {
			for (const item of entries) {
				if (settings.event === 'deviceOffline' || settings.event === 'deviceOnline') {
					if (item.online !== (settings.event === 'deviceOnline')) continue;
					consider(item, epochMsOf(item.lastSeen) ?? 0);
				} else if (matches(settings, item)) {
					consider(item, timeOf(settings.event, item));
				}
			}
		});
		// A test event need not be the newest of a list too long for one poll: stop at the budget.
		if (walk.nextPage === undefined || Date.now() >= budget.deadline) break;
		page = walk.nextPage;
	}
	return best ? shape(settings, best.item) : undefined;
}

/** What to say when "Fetch Test Event" finds nothing. */
export function nothingToSample(settings: TriggerSettings): { message: string; description: string } {
	switch (settings.event) {
		case 'alertOpened':
			return {
				message: 'No open alert matches this trigger yet',
				description: 'There is no open alert in this scope with the chosen priorities and muted state. Widen the filters to fetch a test event, or wait for an alert.',
			};
		case 'alertResolved':
			return {
				message: 'No resolved alert matches this trigger yet',
				description: 'Datto has no resolved alert in this scope with the chosen priorities and muted state. Widen the filters, or resolve an alert.',
			};
		case 'deviceAdded':
			return { message: 'No device found in this scope', description: 'Install the Datto RMM agent on a device in this site or account, or pick another site.' };
		case 'deviceOffline':
			return { message: 'No device is offline in this scope', description: 'A test event needs a device that is offline now. Pick another site, or try again when a device is offline.' };
		case 'deviceOnline':
			return { message: 'No device is online in this scope', description: 'A test event needs a device that is online now. Pick another site, or try again when a device is online.' };
		default:
			return {
				message: 'No activity log entry matches this trigger in the last 7 days',
				description: 'Clear or widen the Entities, Categories and Actions filters to fetch a test event.',
			};
	}
}
