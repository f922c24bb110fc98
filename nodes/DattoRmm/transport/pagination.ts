import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { dattoRequest, getBaseUrl, type DattoContext, type RequestOptions } from './request';

/** No Datto list needs more pages than this; more means the API is looping. */
const MAX_PAGES = 10_000;

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
 * Items of a paged Datto list, one per entity, never the page wrappers. Page 0 first; when it
 * gives `totalCount`, the pages still needed are fetched concurrently (the governor bounds how
 * many at once and how fast) and assembled in page order — the same pages, in the same order, as
 * walking `nextPageUrl`. Otherwise, and for anything after the counted pages, `nextPageUrl` is
 * followed (checked). A final count that disagrees with `totalCount` is reported, not hidden.
 */
export async function getListItems(
	ctx: DattoContext,
	list: ListRequest,
	options: RequestOptions = {},
): Promise<IDataObject[]> {
	const base = await getBaseUrl(ctx);
	const pageSize = await getPageSize(ctx, options);
	const max = list.limit !== undefined ? Math.min(list.limit, pageSize) : pageSize;
	const firstQuery: IDataObject = { ...list.qs, max, page: 0 };
	const getPage = (path: string, qs?: IDataObject) =>
		dattoRequest<IDataObject>(ctx, { method: 'GET', path, qs, notFoundHint: list.notFoundHint }, options);
	const wanted = list.limit ?? Infinity;

	const first = await getPage(list.path, firstQuery);
	const items = entriesOf(ctx, first, list, options.itemIndex);
	let last = first;
	const totalCount = Number((first.pageDetails as PageDetails | undefined)?.totalCount);
	const hasNext = () => Boolean((last.pageDetails as PageDetails | undefined)?.nextPageUrl);

	if (items.length > 0 && items.length < wanted && hasNext()) {
		// The first link is checked even when pages are fetched by number: a foreign one stops here.
		nextPageTarget(ctx, String((first.pageDetails as PageDetails).nextPageUrl), base, firstQuery, options.itemIndex);
		if (!list.sequential && Number.isInteger(totalCount) && totalCount > items.length) {
			const pages = Math.ceil(Math.min(totalCount, wanted) / max);
			if (pages > MAX_PAGES) {
				throw new NodeOperationError(ctx.getNode(), `Datto RMM reported ${totalCount} entries for ${list.path}, more than ${MAX_PAGES} pages; stopped`, {
					itemIndex: options.itemIndex,
					description: 'This count is not plausible for a Datto account. Use a filter or a Limit.',
				});
			}
			const rest = await Promise.all(
				Array.from({ length: pages - 1 }, (_, n) => getPage(list.path, { ...firstQuery, page: n + 1 })),
			);
			for (const page of rest) {
				const entries = entriesOf(ctx, page, list, options.itemIndex);
				for (const entry of entries) items.push(entry);
				last = page;
				if (entries.length === 0) break;
			}
		}
		await walkNextPages(ctx, list, base, firstQuery, items, () => last, (page) => (last = page), wanted, options);
	}

	if (items.length > wanted) items.length = wanted;
	if (list.limit === undefined && Number.isInteger(totalCount) && items.length !== totalCount) {
		warn(
			ctx,
			`Datto RMM reported ${totalCount} entries for ${list.path} but returned ${items.length}: the list changed while it was read, or Datto's count is off. Run again for a consistent snapshot.`,
		);
	}
	return items;
}

/** Follows `nextPageUrl` from the last page read until the list ends or `wanted` is reached. */
async function walkNextPages(
	ctx: DattoContext,
	list: ListRequest,
	base: string,
	firstQuery: IDataObject,
	items: IDataObject[],
	lastPage: () => IDataObject,
	setLast: (page: IDataObject) => void,
	wanted: number,
	options: RequestOptions,
): Promise<void> {
	const visited = new Set<string>();
	for (let pages = 0; items.length < wanted; pages++) {
		const next = (lastPage().pageDetails as PageDetails | undefined)?.nextPageUrl;
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
		for (const entry of entries) items.push(entry);
		setLast(page);
		if (entries.length === 0) return;
	}
}
