import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { shape, tagged } from './eventItem';
import type { PollOutcome } from './pollOutcome';
import type { TriggerSettings } from './settings';
import { SEEN_CAP, Watermark, type WatermarkState } from './state';
import { walkActivities, type PollBudget } from './walk';

/** Activity logs answer at most 1,000 entries per request. */
export const ACTIVITY_PAGE_SIZE = 1000;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Activity entries re-read each poll, so late-indexed entries still fire (once). */
const ACTIVITY_LOOKBACK_MS = 5 * MINUTE;
/** Window of the first activity poll, which only notes where the log stands. */
const ACTIVITY_BASELINE_MS = 24 * HOUR;
/** Window searched for a test event of the activity log. */
export const ACTIVITY_SAMPLE_MS = 7 * 24 * HOUR;

/** Datto's `from` for activity logs: whole seconds, no milliseconds. */
export function activityDate(ms: number): string {
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
