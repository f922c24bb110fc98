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

/**
 * Items of a paged Datto list: page 0 first, then each `nextPageUrl` (checked), until the last
 * page or `limit`. One array of entities, never the page wrappers.
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
	const items: IDataObject[] = [];
	const visited = new Set<string>();
	let target: string = list.path;
	let query: IDataObject | undefined = firstQuery;

	for (let pages = 0; ; pages++) {
		if (pages >= MAX_PAGES) {
			throw new NodeOperationError(ctx.getNode(), `Datto RMM returned more than ${MAX_PAGES} pages for ${list.path}; stopped`, {
				itemIndex: options.itemIndex,
				description: 'This looks like a paging fault on the API side. Use a filter or a Limit.',
			});
		}
		const page = await dattoRequest<IDataObject>(
			ctx,
			{ method: 'GET', path: target, qs: query, notFoundHint: list.notFoundHint },
			options,
		);
		const entries = page?.[list.key];
		if (!Array.isArray(entries)) {
			throw new NodeOperationError(ctx.getNode(), `Datto RMM's answer for ${list.path} has no "${list.key}" list`, {
				itemIndex: options.itemIndex,
			});
		}
		for (const entry of entries as IDataObject[]) {
			items.push(entry);
			if (list.limit !== undefined && items.length >= list.limit) return items;
		}
		const details = (page.pageDetails ?? {}) as PageDetails;
		if (!details.nextPageUrl || entries.length === 0) return items;
		target = nextPageTarget(ctx, details.nextPageUrl, base, firstQuery, options.itemIndex);
		if (visited.has(target)) {
			throw new NodeOperationError(ctx.getNode(), `Datto RMM's paging for ${list.path} went in a circle; stopped`, {
				itemIndex: options.itemIndex,
				description: `The next-page link repeated a page already read (${target.replace(/^https?:\/\/[^/]+/, '')}).`,
			});
		}
		visited.add(target);
		query = undefined;
	}
}
