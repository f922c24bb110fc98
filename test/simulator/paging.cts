/**
 * page/max paging as the live API does it: 0-based `page`, `max` capped at the account's page
 * size (alerts exempt), and absolute prev/next URLs built from the request's Host header that
 * carry only `max` and `page`: the live links drop the request's filters, which the option
 * `keepFiltersInNextPageUrl` puts back for tests that need the friendlier form.
 */
import { validationError } from './errors.cjs';
import type { Ctx, Reply } from './http.cjs';

export interface PageRequest {
	page: number;
	max: number;
}

export interface PageOptions {
	/** Alerts accept a `max` above the account page size. */
	uncapped?: boolean;
	/**
	 * What the last/first page carries instead of a URL. The live API mostly sends null, but some
	 * endpoints send "": the simulator uses "" for GET /v2/account/users and
	 * GET /v2/account/components so clients meet both.
	 */
	noLink?: null | '';
}

/** Read page/max; an invalid number answers 400 (as a type-mismatch would). */
export function readPaging(ctx: Ctx, o: PageOptions = {}): PageRequest | Reply {
	const size = ctx.sim.opts.pageSize;
	const rawPage = ctx.query.get('page');
	const rawMax = ctx.query.get('max');
	let page = 0;
	let max = size;
	if (rawPage !== null && rawPage !== '') {
		if (!/^-?\d+$/.test(rawPage)) {
			return validationError('INVALID_PARAMETER', `Invalid value '${rawPage}' for parameter 'page': must be an integer`, { parameter: 'page' });
		}
		page = Math.max(0, parseInt(rawPage, 10));
	}
	if (rawMax !== null && rawMax !== '') {
		if (!/^-?\d+$/.test(rawMax)) {
			return validationError('INVALID_PARAMETER', `Invalid value '${rawMax}' for parameter 'max': must be an integer`, { parameter: 'max' });
		}
		const m = parseInt(rawMax, 10);
		max = m < 1 ? size : o.uncapped ? m : Math.min(m, size);
	}
	return { page, max };
}

export function isReply(x: unknown): x is Reply {
	return typeof x === 'object' && x !== null && 'status' in x && typeof (x as Reply).status === 'number';
}

/** Whether next/prev links leave out the request's filters (live: yes). */
export function dropsFilters(ctx: Ctx): boolean {
	return !ctx.sim.opts.keepFiltersInNextPageUrl || ctx.sim.faults.nextPageUrlDropsFilters;
}

/** Absolute URL of another page of the same request. */
export function pageUrl(ctx: Ctx, page: number, max: number): string {
	const f = ctx.sim.faults;
	const host = f.nextPageUrlForeignHost ?? ctx.host;
	const q = new URLSearchParams();
	q.set('max', String(max));
	q.set('page', String(page));
	if (!dropsFilters(ctx)) {
		for (const [k, v] of ctx.query) if (k !== 'page' && k !== 'max') q.append(k, v);
	}
	return `http://${host}${ctx.path}?${q.toString()}`;
}

/** Slice one page out of the full (filtered) list and wrap it under `key`. */
export function pageOf<T>(ctx: Ctx, key: string, items: readonly T[], render: (x: T) => unknown, o: PageOptions = {}): Reply {
	const p = readPaging(ctx, o);
	if (isReply(p)) return p;
	const noLink = o.noLink === undefined ? null : o.noLink;
	const start = p.page * p.max;
	const slice = items.slice(start, start + p.max);
	const hasNext = start + p.max < items.length;
	const hasPrev = p.page > 0;
	return {
		status: 200,
		body: {
			pageDetails: {
				count: slice.length,
				totalCount: items.length,
				prevPageUrl: hasPrev ? pageUrl(ctx, Math.min(p.page - 1, Math.max(0, Math.ceil(items.length / p.max) - 1)), p.max) : noLink,
				nextPageUrl: hasNext ? pageUrl(ctx, p.page + 1, p.max) : noLink,
			},
			[key]: slice.map(render),
		},
	};
}
