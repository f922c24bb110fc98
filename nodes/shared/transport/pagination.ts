import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getBaseUrl } from './account';
import { isCancellation } from './errors';
import { dattoRequest, type RequestOptions } from './request';
import type { DattoContext } from './requestTypes';
import { RunawayGuard } from './runawayGuard';

/** No Datto list needs more pages than this; more means the API is looping. */
const MAX_PAGES = 10_000;
/** Pages of one list requested at once (the governor bounds the whole account's concurrency too). */
const PAGE_CONCURRENCY = 24;

interface PageDetails {
	count?: number;
	totalCount?: number;
	nextPageUrl?: string | null;
}

const pageSizes = new WeakMap<object, Promise<number>>();

/** The account's page size (`GET /v2/system/pagination`), fetched once per execution. */
export function getPageSize(ctx: DattoContext, options: RequestOptions = {}): Promise<number> {
	let pending = pageSizes.get(ctx);
	if (!pending) {
		pending = dattoRequest<IDataObject>(ctx, { method: 'GET', path: '/v2/system/pagination' }, options).then(
			(answer) => {
				const max = Number(answer?.max);
				return Number.isInteger(max) && max > 0 ? max : 250;
			},
		);
		// A failed lookup must not stay cached for later items of the execution.
		pending.catch(() => pageSizes.delete(ctx));
		pageSizes.set(ctx, pending);
	}
	return pending;
}

export interface ListRequest {
	path: string;
	qs?: IDataObject;
	/** The array's key in each page (`devices`, `sites`, ...). */
	key: string;
	/** Stop after this many items; undefined walks every page. */
	limit?: number;
	/** Follow nextPageUrl one page at a time even when the total is known. */
	sequential?: boolean;
	notFoundHint?: string;
}

/**
 * Checks a `nextPageUrl` before the bearer token follows it: same origin as the credential's
 * base URL, and carrying the filters of the first request (Datto has been seen to drop them).
 */
export function nextPageTarget(
	ctx: DattoContext,
	nextPageUrl: string,
	base: string,
	firstQuery: IDataObject,
	itemIndex?: number,
): string {
	let next: URL;
	try {
		next = new URL(nextPageUrl, base);
	} catch {
		throw new NodeOperationError(ctx.getNode(), `Datto RMM sent an invalid next-page link: "${nextPageUrl}"`, {
			itemIndex,
		});
	}
	if (next.origin !== new URL(base).origin) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Datto RMM's next-page link points at another server (${next.origin}); it was not followed`,
			{
				itemIndex,
				description: `The credential's token is only ever sent to ${new URL(base).origin}. If your Datto RMM traffic goes through a proxy, set the credential's Platform to Custom URL with the proxy's address.`,
			},
		);
	}
	for (const [name, value] of Object.entries(firstQuery)) {
		if (value === undefined || value === null || name === 'page') continue;
		if (!next.searchParams.has(name)) next.searchParams.set(name, String(value));
	}
	return next.toString();
}

/** Tells the user, in the output pane, something they should know about the data. */
function warn(ctx: DattoContext, message: string): void {
	if ('addExecutionHints' in ctx) ctx.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
}

function entriesOf(ctx: DattoContext, page: IDataObject, list: ListRequest, itemIndex?: number): IDataObject[] {
	const entries = page?.[list.key];
	if (!Array.isArray(entries)) {
		throw new NodeOperationError(ctx.getNode(), `Datto RMM's answer for ${list.path} has no "${list.key}" list`, {
			itemIndex,
		});
	}
	return entries as IDataObject[];
}

/**
 * Pages 1..pages-1 by number, PAGE_CONCURRENCY at a time and in order of page number. The first
 * empty page ends the list (whatever `totalCount` promised): no later page is started and those
 * under way are abandoned. One page failing stops the others and fails the list.
 */
async function fetchCountedPages(
	ctx: DattoContext,
	list: ListRequest,
	firstQuery: IDataObject,
	pages: number,
	guard: RunawayGuard,
	options: RequestOptions,
): Promise<IDataObject[]> {
	const results: IDataObject[] = [];
	const running = new Map<number, AbortController>();
	const failed = new AbortController();
	let end = pages;
	let next = 1;
	let failure: unknown;

	const worker = async () => {
		while (next < end && failure === undefined) {
			const n = next++;
			const own = new AbortController();
			running.set(n, own);
			const signals = [own.signal, failed.signal, options.signal].filter((s): s is AbortSignal => s !== undefined);
			try {
				const page = await dattoRequest<IDataObject>(
					ctx,
					{ method: 'GET', path: list.path, qs: { ...firstQuery, page: n }, notFoundHint: list.notFoundHint },
					{ ...options, signal: AbortSignal.any(signals) },
				);
				const entries = entriesOf(ctx, page, list, options.itemIndex);
				if (entries.length === 0) {
					// The list ends here: pages after this one are not needed.
					end = Math.min(end, n);
					for (const [m, controller] of running) if (m > n) controller.abort();
				}
				results[n] = page;
			} catch (error) {
				// A page abandoned because the list ended earlier is no failure of the list.
				if (!(n >= end && isCancellation(error)) && failure === undefined) {
					failure = error;
					failed.abort();
				}
			} finally {
				running.delete(n);
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(PAGE_CONCURRENCY, pages - 1) }, worker));
	if (failure !== undefined) throw failure;
	const pagesRead = results.slice(1, end);
	pagesRead.forEach((page, i) => guard.check(entriesOf(ctx, page, list, options.itemIndex), i + 1));
	return pagesRead;
}

/**
 * Items of a paged Datto list, one per entity, never the page wrappers. Page 0 first; when it
 * gives `totalCount`, the pages still needed are fetched concurrently (within the governor's
 * bounds) and assembled in page order — the same pages, in the same order, as walking
 * `nextPageUrl`. Otherwise, and for anything after the counted pages, `nextPageUrl` is followed
 * (checked). Paging that runs away stops with an error; a final count that disagrees with
 * `totalCount` is reported, not hidden. Datto's `totalCount` comes back too (undefined when the
 * first page gives none), so a caller that stops at a limit can say how many exist.
 */
export async function getList(
	ctx: DattoContext,
	list: ListRequest,
	options: RequestOptions = {},
): Promise<{ items: IDataObject[]; totalCount?: number }> {
	const base = await getBaseUrl(ctx);
	const pageSize = await getPageSize(ctx, options);
	const max = list.limit !== undefined ? Math.min(list.limit, pageSize) : pageSize;
	const firstQuery: IDataObject = { ...list.qs, max, page: 0 };
	const wanted = list.limit ?? Infinity;
	const guard = new RunawayGuard(ctx, list.path, options.itemIndex);

	const first = await dattoRequest<IDataObject>(ctx, { method: 'GET', path: list.path, qs: firstQuery, notFoundHint: list.notFoundHint }, options);
	const items = entriesOf(ctx, first, list, options.itemIndex);
	guard.check(items, 0);
	let last = first;
	const totalCount = Number((first.pageDetails as PageDetails | undefined)?.totalCount);
	const nextLink = (page: IDataObject) => (page.pageDetails as PageDetails | undefined)?.nextPageUrl;

	if (items.length > 0 && items.length < wanted && nextLink(first)) {
		// The first link is checked even when pages are fetched by number: a foreign one stops here.
		nextPageTarget(ctx, String(nextLink(first)), base, firstQuery, options.itemIndex);
		if (!list.sequential && Number.isInteger(totalCount) && totalCount > items.length) {
			const pages = Math.ceil(Math.min(totalCount, wanted) / max);
			if (pages > MAX_PAGES) {
				throw new NodeOperationError(ctx.getNode(), `Datto RMM reported ${totalCount} entries for ${list.path}, more than ${MAX_PAGES} pages; stopped`, {
					itemIndex: options.itemIndex,
					description: 'This count is not plausible for a Datto account. Use a filter or a Limit.',
				});
			}
			const rest = await fetchCountedPages(ctx, list, firstQuery, pages, guard, options);
			for (const page of rest) for (const entry of entriesOf(ctx, page, list, options.itemIndex)) items.push(entry);
			// An empty page ended the list early: nothing follows it.
			last = rest.length < pages - 1 ? { pageDetails: { nextPageUrl: null } } : (rest[rest.length - 1] ?? first);
		}
		await walkNextPages(ctx, list, base, firstQuery, items, last, wanted, guard, options);
	}

	if (items.length > wanted) items.length = wanted;
	if (list.limit === undefined && Number.isInteger(totalCount) && items.length !== totalCount) {
		warn(
			ctx,
			`Datto RMM reported ${totalCount} entries for ${list.path} but returned ${items.length}: the list changed while it was read, or Datto's count is off. Run again for a consistent snapshot.`,
		);
	}
	return { items, totalCount: Number.isInteger(totalCount) ? totalCount : undefined };
}

/** The items of a paged Datto list (getList without the count). */
export async function getListItems(ctx: DattoContext, list: ListRequest, options: RequestOptions = {}): Promise<IDataObject[]> {
	return (await getList(ctx, list, options)).items;
}

/** Follows `nextPageUrl` from the last page read until the list ends or `wanted` is reached. */
async function walkNextPages(
	ctx: DattoContext,
	list: ListRequest,
	base: string,
	firstQuery: IDataObject,
	items: IDataObject[],
	from: IDataObject,
	wanted: number,
	guard: RunawayGuard,
	options: RequestOptions,
): Promise<void> {
	const visited = new Set<string>();
	let last = from;
	for (let pages = 0; items.length < wanted; pages++) {
		const next = (last.pageDetails as PageDetails | undefined)?.nextPageUrl;
		if (!next) return;
		if (pages >= MAX_PAGES) {
			throw new NodeOperationError(ctx.getNode(), `Datto RMM returned more than ${MAX_PAGES} pages for ${list.path}; stopped`, {
				itemIndex: options.itemIndex,
				description: 'This looks like a paging fault on the API side. Use a filter or a Limit.',
			});
		}
		const target = nextPageTarget(ctx, next, base, firstQuery, options.itemIndex);
		if (visited.has(target)) {
			throw new NodeOperationError(ctx.getNode(), `Datto RMM's paging for ${list.path} went in a circle; stopped`, {
				itemIndex: options.itemIndex,
				description: `The next-page link repeated a page already read (${target.replace(/^https?:\/\/[^/]+/, '')}).`,
			});
		}
		visited.add(target);
		const page = await dattoRequest<IDataObject>(ctx, { method: 'GET', path: target, notFoundHint: list.notFoundHint }, options);
		const entries = entriesOf(ctx, page, list, options.itemIndex);
		if (entries.length === 0) return;
		guard.check(entries, new URL(target).searchParams.get('page') ?? pages + 1);
		for (const entry of entries) items.push(entry);
		last = page;
	}
}
