import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { matches, shape, tagged } from './eventItem';
import type { PollOutcome } from './pollOutcome';
import type { TriggerSettings } from './settings';
import { SEEN_CAP, Watermark, type WatermarkState } from './state';
import { walkPages, type PollBudget } from './walk';

/** How much older than the newest item a late-listed alert or device may be and still fire. */
const LIST_HORIZON_MS = 6 * 3_600_000;

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
