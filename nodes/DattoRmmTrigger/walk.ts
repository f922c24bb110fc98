/**
 * Reading Datto lists inside a poll: page by page, within the poll's time budget, resumable.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { RunawayGuard } from '../shared/transport/runawayGuard';
import { getBaseUrl } from '../shared/transport/account';
import { dattoRequest, type RequestOptions } from '../shared/transport/request';
import type { RetryPolicy } from '../shared/transport/retryPolicy';

/** Longest a poll spends fetching, whatever the host allows (n8n abandons slow polls). */
export const MAX_POLL_MS = 50_000;
/** No list needs more pages than this in one poll; more means the API is looping. */
const MAX_PAGES = 10_000;
/** Per-request timeout while polling (the budget is checked between requests). */
const REQUEST_TIMEOUT_MS = 30_000;

export interface PollBudget {
	/** Epoch ms after which no further page is requested. */
	deadline: number;
	retry: Partial<RetryPolicy>;
}

/** A poll's requests: background work that gives way to workflows, retried within the poll's budget. */
function pollRequest(budget: PollBudget): RequestOptions {
	return { retry: { ...budget.retry, totalTimeoutMs: Math.max(1000, budget.deadline - Date.now()) }, priority: 'background' };
}

/** The host's poll budget (n8n 2.38+ has getPollBudgetMs), capped at MAX_POLL_MS. */
export function pollBudget(ctx: IPollFunctions, maxRetries: number): PollBudget {
	const host = ctx as { getPollBudgetMs?: () => number };
	const offered = typeof host.getPollBudgetMs === 'function' ? Number(host.getPollBudgetMs()) : NaN;
	const budget = Number.isFinite(offered) && offered > 0 ? Math.min(offered, MAX_POLL_MS) : MAX_POLL_MS;
	return {
		deadline: Date.now() + budget,
		retry: { maxRetries, timeoutMs: REQUEST_TIMEOUT_MS, maxDelayMs: 10_000 },
	};
}

export interface PagedList {
	path: string;
	qs?: IDataObject;
	/** The array's key in each page (`alerts`, `devices`). */
	key: string;
	/** Page size to ask for; undefined lets Datto use the account's (also its maximum). */
	max?: number;
	notFoundHint?: string;
}

export interface WalkResult {
	/** Where to resume next poll when the budget stopped the walk; undefined when the list ended. */
	nextPage?: number;
	requests: number;
}

/**
 * Reads `page=startPage, startPage+1, ...` (0-based, with the list's own filters on every request
 * rather than following `nextPageUrl`, which Datto has been seen to strip of filters), handing each
 * page's entries to `onPage`, until the list ends or the budget is used. At least one page is read
 * per poll, so a walk always progresses; a page is not started when the previous one suggests it
 * would end past the deadline.
 */
export async function walkPages(
	ctx: IPollFunctions,
	list: PagedList,
	startPage: number,
	budget: PollBudget,
	onPage: (entries: IDataObject[]) => void,
): Promise<WalkResult> {
	let page = Math.max(0, Math.floor(startPage) || 0);
	const guard = new RunawayGuard(ctx, list.path);
	for (let requests = 1; ; requests++) {
		const started = Date.now();
		const qs: IDataObject = { ...list.qs, page };
		if (list.max !== undefined) qs.max = list.max;
		const answer = await dattoRequest<IDataObject>(ctx, { method: 'GET', path: list.path, qs, notFoundHint: list.notFoundHint }, pollRequest(budget));
		const entries = answer?.[list.key];
		if (!Array.isArray(entries)) {
			throw new NodeOperationError(ctx.getNode(), `Datto RMM's answer for ${list.path} has no "${list.key}" list`, {
				description: 'The API answered in an unexpected shape. Run the workflow again; if it persists, Datto may have changed this endpoint.',
			});
		}
		guard.check(entries as IDataObject[], page);
		onPage(entries as IDataObject[]);
		const next = (answer.pageDetails as IDataObject | undefined)?.nextPageUrl;
		if (!next || entries.length === 0) return { requests };
		page++;
		if (requests >= MAX_PAGES) {
			throw new NodeOperationError(ctx.getNode(), `Datto RMM returned more than ${MAX_PAGES} pages for ${list.path}; stopped`, {
				description: 'This looks like a paging fault on the API side.',
			});
		}
		const took = Date.now() - started;
		if (Date.now() + took > budget.deadline) return { nextPage: page, requests };
	}
}

export interface ActivityQuery {
	qs: IDataObject;
	size: number;
}

/** The `searchAfter` cursor in an activity-log next-page link (read, never followed with the token). */
async function cursorOf(ctx: IPollFunctions, nextPageUrl: unknown): Promise<string | undefined> {
	if (typeof nextPageUrl !== 'string' || nextPageUrl.trim() === '') return undefined;
	let url: URL;
	try {
		url = new URL(nextPageUrl, await getBaseUrl(ctx));
	} catch {
		throw new NodeOperationError(ctx.getNode(), `Datto RMM sent an invalid activity-log next-page link: "${nextPageUrl}"`);
	}
	const values = url.searchParams.getAll('searchAfter').filter(Boolean);
	return values.length ? values.join(',') : undefined;
}

/**
 * Reads the activity log (cursor paging: `searchAfter` + `page=next`) from the query given,
 * handing each page to `onPage`, until the log ends, `maxPages` pages were read, or the budget is
 * used. Returns whether the end was reached.
 */
export async function walkActivities(
	ctx: IPollFunctions,
	query: ActivityQuery,
	budget: PollBudget,
	onPage: (entries: IDataObject[]) => void,
	maxPages = MAX_PAGES,
): Promise<{ complete: boolean; requests: number }> {
	const visited = new Set<string>();
	const guard = new RunawayGuard(ctx, '/v2/activity-logs');
	let cursor: string | undefined;
	for (let requests = 1; ; requests++) {
		const started = Date.now();
		const qs: IDataObject = cursor
			? { ...query.qs, size: query.size, searchAfter: cursor, page: 'next' }
			: { ...query.qs, size: query.size };
		const answer = await dattoRequest<IDataObject>(ctx, { method: 'GET', path: '/v2/activity-logs', qs }, pollRequest(budget));
		if (answer && typeof answer.error === 'string' && answer.error.trim() !== '') {
			throw new NodeOperationError(ctx.getNode(), `Datto RMM could not read the activity log: ${answer.error}`, {
				description: 'Datto reported a failure at its database layer. This is usually transient: the next poll tries again.',
			});
		}
		const entries = answer?.activities;
		if (!Array.isArray(entries)) {
			throw new NodeOperationError(ctx.getNode(), 'Datto RMM\'s answer for /v2/activity-logs has no "activities" list', {
				description: 'The API answered in an unexpected shape. Run the workflow again; if it persists, Datto may have changed this endpoint.',
			});
		}
		guard.check(entries as IDataObject[], requests);
		onPage(entries as IDataObject[]);
		cursor = entries.length ? await cursorOf(ctx, (answer.pageDetails as IDataObject | undefined)?.nextPageUrl) : undefined;
		if (!cursor) return { complete: true, requests };
		if (visited.has(cursor)) {
			throw new NodeOperationError(ctx.getNode(), "Datto RMM's activity-log paging went in a circle; stopped", {
				description: `The next-page cursor repeated one already read (searchAfter=${cursor}).`,
			});
		}
		visited.add(cursor);
		if (requests >= maxPages) return { complete: false, requests };
		const took = Date.now() - started;
		if (Date.now() + took > budget.deadline) return { complete: false, requests };
	}
}
