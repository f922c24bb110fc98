/**
 * What the trigger keeps in workflow static data between polls, kept small and bounded.
 *
 * Two shapes:
 * - a watermark (alerts opened/resolved, devices added, activity entries): a floor time and the
 *   items seen at or after it. An item is new when its time is at or after the floor and it is not
 *   in the set. The floor only rises (to `newest - horizon`, and higher when the set would pass
 *   SEEN_CAP entries), and only entries below it are dropped, so an item can never fire twice:
 *   anything below the floor is old, anything at or above it that was seen is in the set.
 *   Bound: at most SEEN_CAP entries of at most 17 bytes (`<ms after floor, base 36>:<10-char tag>,`)
 *   plus about 100 bytes of fields: under 9 KB per trigger node, whatever the account's size or age.
 * - device online state (went offline / came online): the numeric IDs of the devices last seen
 *   offline, as delta-encoded base-36 text. Bound: at most 7 bytes per device that is offline (or
 *   went offline and disappeared from the list within the last two walks), typically 2 to 3, plus
 *   about 100 bytes: 2,000 offline devices take under 14 KB, and nothing grows with time.
 */
import type { IDataObject } from 'n8n-workflow';

/** Most items a watermark remembers at or after its floor. */
export const SEEN_CAP = 500;

/** Format version of what is stored; another version (or none) starts afresh. */
const VERSION = 1;

/** Items seen at or after `floor`, by tag. */
export class Watermark {
	private readonly times = new Map<string, number>();

	constructor(public floor = 0) {}

	static decode(floor: unknown, seen: unknown): Watermark {
		const mark = new Watermark(typeof floor === 'number' && Number.isFinite(floor) ? floor : 0);
		if (typeof seen === 'string' && seen) {
			for (const entry of seen.split(',')) {
				const at = entry.indexOf(':');
				if (at < 1) continue;
				const offset = parseInt(entry.slice(0, at), 36);
				const tag = entry.slice(at + 1);
				if (Number.isFinite(offset) && tag) mark.times.set(tag, mark.floor + offset);
			}
		}
		return mark;
	}

	/** Whether an item with this tag and time has not been seen and is not older than the floor. */
	isNew(tag: string, time: number): boolean {
		return time >= this.floor && !this.times.has(tag);
	}

	add(tag: string, time: number): void {
		if (time >= this.floor) this.times.set(tag, time);
	}

	get size(): number {
		return this.times.size;
	}

	get newest(): number | undefined {
		let newest: number | undefined;
		for (const time of this.times.values()) if (newest === undefined || time > newest) newest = time;
		return newest;
	}

	/** Raises the floor to a time; entries below it are forgotten. */
	raiseFloor(time: number): void {
		if (!(time > this.floor)) return;
		this.floor = time;
		for (const [tag, at] of this.times) if (at < time) this.times.delete(tag);
	}

	/** Keeps what is within `horizonMs` of the newest item, and at most `cap` items. */
	prune(horizonMs: number, cap = SEEN_CAP): void {
		const newest = this.newest;
		if (newest === undefined) return;
		this.raiseFloor(newest - horizonMs);
		if (this.times.size <= cap) return;
		const sorted = [...this.times.values()].sort((x, y) => y - x);
		// Everything at the (cap+1)-th newest time goes too, so ties never straddle the floor.
		this.raiseFloor(sorted[cap] + 1);
	}

	encode(): string {
		return [...this.times]
			.sort((x, y) => x[1] - y[1])
			.map(([tag, time]) => `${Math.max(0, Math.round(time - this.floor)).toString(36)}:${tag}`)
			.join(',');
	}
}

/** Sorted non-negative integers as base-36 deltas joined by commas ("2,1,a" = 2, 3, 13). */
export function encodeIds(ids: Iterable<number>): string {
	const sorted = [...new Set(ids)].filter((n) => Number.isInteger(n) && n >= 0).sort((x, y) => x - y);
	let previous = 0;
	return sorted
		.map((n) => {
			const delta = n - previous;
			previous = n;
			return delta.toString(36);
		})
		.join(',');
}

export function decodeIds(text: unknown): Set<number> {
	const ids = new Set<number>();
	if (typeof text !== 'string' || !text) return ids;
	let value = 0;
	for (const part of text.split(',')) {
		const delta = parseInt(part, 36);
		if (!Number.isFinite(delta)) continue;
		value += delta;
		ids.add(value);
	}
	return ids;
}

export interface WatermarkState {
	floor: number;
	seen: string;
	/** Page to resume the list walk at (0: the walk starts over). */
	page: number;
	/** The first walk (the baseline: nothing fires) is still under way. */
	baseline: boolean;
}

export interface DeviceState {
	/** Devices seen offline in the walk under way. */
	a: string;
	/** Devices seen offline in the last complete walk, not yet seen in this one. */
	b: string;
	/** Devices seen offline two walks ago and not since (deleted or moved out, most likely). */
	c: string;
	page: number;
	baseline: boolean;
}

/** The stored state of this node for this configuration, or undefined (start afresh). */
export function loadState<T extends object>(staticData: IDataObject, key: string): T | undefined {
	if (staticData.v !== VERSION || staticData.key !== key || typeof staticData.s !== 'object' || !staticData.s) {
		return undefined;
	}
	return staticData.s as T;
}

/** Replaces what is stored; called only once a poll has succeeded. */
export function saveState(staticData: IDataObject, key: string, state: object): void {
	for (const name of Object.keys(staticData)) delete staticData[name];
	staticData.v = VERSION;
	staticData.key = key;
	staticData.s = { ...state } as IDataObject;
}
