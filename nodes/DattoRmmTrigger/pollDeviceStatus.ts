import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { shape } from './eventItem';
import type { PollOutcome } from './pollOutcome';
import type { TriggerSettings } from './settings';
import { decodeIds, encodeIds, type DeviceState } from './state';
import { walkPages, type PollBudget } from './walk';

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
