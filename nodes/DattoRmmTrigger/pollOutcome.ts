/**
 * What one poll returns, and what each event's poll costs.
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
import type { IDataObject } from 'n8n-workflow';

export interface PollOutcome<S> {
	items: IDataObject[];
	state: S;
	requests: number;
	/** Page the next poll resumes at, when this one ran out of time. */
	resumeAt?: number;
}
