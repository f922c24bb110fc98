import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { epochMsOf } from '../shared/dates';
import { matches, shape, timeOf } from './eventItem';
import { ACTIVITY_SAMPLE_MS, activityDate } from './pollActivity';
import type { TriggerSettings } from './settings';
import { walkActivities, walkPages, type PollBudget } from './walk';

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
