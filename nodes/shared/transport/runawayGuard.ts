import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DattoContext } from './requestTypes';

/** What identifies an entity in a list: its UID or ID, else the whole entry. */
function entityKey(entry: IDataObject): string {
	for (const key of ['uid', 'id', 'alertUid', 'deviceUid', 'siteUid']) {
		const value = entry?.[key];
		if (typeof value === 'string' || typeof value === 'number') return `${key}:${value}`;
	}
	return JSON.stringify(entry);
}

/**
 * Stops paging that runs away: a page with entries, none of them new, means the API is handing
 * the same entities out again (a link or a page number that does not move), however its links look.
 */
export class RunawayGuard {
	private readonly seen = new Set<string>();

	constructor(
		private readonly ctx: DattoContext,
		private readonly what: string,
		private readonly itemIndex?: number,
	) {}

	/** Records a page's entities; throws when a page with entries brings none not read before. */
	check(entries: IDataObject[], page: string | number): void {
		let fresh = 0;
		for (const entry of entries) {
			const key = entityKey(entry);
			if (!this.seen.has(key)) {
				this.seen.add(key);
				fresh++;
			}
		}
		if (entries.length > 0 && fresh === 0) {
			throw new NodeOperationError(this.ctx.getNode(), `Datto RMM's paging for ${this.what} returned only entries already read (page ${page}); stopped`, {
				itemIndex: this.itemIndex,
				description: 'The API kept sending pages without new entries, so paging stopped instead of running on. Run the workflow again; if it persists, use a filter or a Limit.',
			});
		}
	}
}
