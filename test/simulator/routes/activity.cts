/**
 * GET /v2/activity-logs: cursor paging, unlike every other list.
 * - `size` (default 50, at most 1000: larger values are clamped), `order` asc|desc (default desc);
 * - `from`/`until` as yyyy-MM-ddTHH:mm:ssZ (400 with an errorCode body otherwise); without `from`
 *   only the last 15 minutes are searched;
 * - comma-separated `entities`, `categories`, `actions`, `siteIds`, `userIds`; `searchQuery`
 *   (free text, or `field : "value"` clauses joined by AND, `*` wildcards);
 * - `searchAfter=<epoch ms>,<id>` with `page=next|previous`; the prev/next URLs carry them, with
 *   `size` and `order` but (as live, unless `keepFiltersInNextPageUrl`) without the filters.
 */
import { validationError } from '../errors.cjs';
import type { Ctx, Reply } from '../http.cjs';
import type { ActivityRec } from '../model.cjs';
import { dropsFilters } from '../paging.cjs';
import type { Route } from '../router.cjs';
import { renderActivity } from '../views.cjs';

const DEFAULT_SIZE = 50;
const MAX_SIZE = 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
const FILTER_PARAMS = ['from', 'until', 'entities', 'categories', 'actions', 'siteIds', 'userIds', 'searchQuery'];

function bad(param: string, value: string, expected: string): Reply {
	return validationError('INVALID_REQUEST_PARAMETER', `Invalid value '${value}' for parameter '${param}': ${expected}`, { parameter: param, rejectedValue: value });
}

function parseDate(param: string, v: string): number | Reply {
	const m = DATE_RE.exec(v);
	const t = m ? Date.parse(v) : NaN;
	if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 19) + 'Z' !== v) return bad(param, v, 'expected format yyyy-MM-ddTHH:mm:ssZ');
	return t;
}

function list(ctx: Ctx, name: string): string[] | undefined {
	const all = ctx.query.getAll(name);
	if (all.length === 0) return undefined;
	const items = all.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
	return items.length ? items : undefined;
}

function intList(ctx: Ctx, name: string): Set<number> | Reply | undefined {
	const items = list(ctx, name);
	if (!items) return undefined;
	for (const i of items) if (!/^\d+$/.test(i)) return bad(name, i, 'expected comma-separated integers');
	return new Set(items.map(Number));
}

const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null && !(x instanceof Set) && typeof (x as Reply).status === 'number';

/** Values searchQuery fields can address. */
function fieldsOf(ctx: Ctx, a: ActivityRec): Record<string, string> {
	const u = a.userId !== undefined ? ctx.sim.state.users.find((x) => x.id === a.userId) : undefined;
	const out: Record<string, string> = {
		entity: a.entity,
		category: a.category,
		action: a.action,
		'device.hostname': a.hostname ?? '',
		'device.id': a.deviceId !== undefined ? String(a.deviceId) : '',
		'site.name': a.siteName ?? '',
		'site.id': a.siteId !== undefined ? String(a.siteId) : '',
		'user.userName': u?.username ?? '',
		'user.username': u?.username ?? '',
	};
	for (const [k, v] of Object.entries(a.details)) out[`data.${k}`] = String(v);
	return out;
}

function wildcard(pattern: string): RegExp {
	return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
}

/** A small subset of the live query syntax: enough to filter by a field or by text. */
function searchMatcher(ctx: Ctx, q: string): (a: ActivityRec) => boolean {
	const clauses = q.split(/\s+AND\s+/);
	const tests = clauses.map((c) => {
		const m = /^\s*([\w.]+)\s*:\s*(?:"([^"]*)"|(\S+))\s*$/.exec(c);
		if (m) {
			const re = wildcard(m[2] ?? m[3]);
			return (a: ActivityRec) => re.test(fieldsOf(ctx, a)[m[1]] ?? '');
		}
		const text = c.trim().replace(/^"|"$/g, '').toLowerCase();
		return (a: ActivityRec) => Object.values(fieldsOf(ctx, a)).some((v) => v.toLowerCase().includes(text));
	});
	return (a) => tests.every((t) => t(a));
}

function cmp(a: ActivityRec, ms: number, id: string): number {
	return a.dateMs - ms || (a.id < id ? -1 : a.id > id ? 1 : 0);
}

function linkUrl(ctx: Ctx, cursor: ActivityRec, page: 'next' | 'previous'): string {
	const f = ctx.sim.faults;
	const q = new URLSearchParams();
	for (const [k, v] of ctx.query) {
		if (k === 'searchAfter' || k === 'page') continue;
		if (dropsFilters(ctx) && FILTER_PARAMS.includes(k)) continue;
		q.append(k, v);
	}
	q.set('searchAfter', `${cursor.dateMs},${cursor.id}`);
	q.set('page', page);
	return `http://${f.nextPageUrlForeignHost ?? ctx.host}${ctx.path}?${q.toString()}`;
}

function getActivities(ctx: Ctx): Reply {
	const q = ctx.query;
	const rawSize = q.get('size');
	let size = DEFAULT_SIZE;
	if (rawSize !== null && rawSize !== '') {
		if (!/^\d+$/.test(rawSize) || Number(rawSize) < 1) return bad('size', rawSize, 'expected a positive integer');
		size = Math.min(MAX_SIZE, Number(rawSize));
	}
	const order = q.get('order') ?? 'desc';
	if (order !== 'asc' && order !== 'desc') return bad('order', order, 'expected asc or desc');
	const page = q.get('page');
	if (page !== null && page !== '' && page !== 'next' && page !== 'previous') return bad('page', page, 'expected next or previous');

	const now = Date.now();
	let from = now - 15 * 60_000;
	let until = Number.POSITIVE_INFINITY;
	const rawFrom = q.get('from');
	const rawUntil = q.get('until');
	if (rawFrom) {
		const t = parseDate('from', rawFrom);
		if (isReply(t)) return t;
		from = t;
	}
	if (rawUntil) {
		const t = parseDate('until', rawUntil);
		if (isReply(t)) return t;
		until = t;
	}
	if (until < from) return validationError('INVALID_REQUEST_PARAMETER', "'until' must not be before 'from'", { parameter: 'until' });

	const entities = list(ctx, 'entities')?.map((e) => e.toUpperCase());
	if (entities) for (const e of entities) if (e !== 'DEVICE' && e !== 'USER') return bad('entities', e.toLowerCase(), 'expected device or user');
	const categories = list(ctx, 'categories')?.map((c) => c.toLowerCase());
	const actions = list(ctx, 'actions')?.map((c) => c.toLowerCase());
	const siteIds = intList(ctx, 'siteIds');
	if (isReply(siteIds)) return siteIds;
	const userIds = intList(ctx, 'userIds');
	if (isReply(userIds)) return userIds;
	const sq = q.get('searchQuery');
	const search = sq ? searchMatcher(ctx, sq) : undefined;

	let cursor: { ms: number; id: string } | undefined;
	const rawAfter = q.getAll('searchAfter').join(',');
	if (rawAfter) {
		const i = rawAfter.indexOf(',');
		const ms = Number(i < 0 ? rawAfter : rawAfter.slice(0, i));
		if (i < 0 || !Number.isFinite(ms)) return bad('searchAfter', rawAfter, 'expected <epoch ms>,<id> as given in nextPageUrl');
		cursor = { ms, id: rawAfter.slice(i + 1) };
	}

	// Filtered set in the requested order.
	const matching = ctx.sim.state.activities.filter(
		(a) =>
			a.dateMs >= from &&
			a.dateMs <= until &&
			(!entities || entities.includes(a.entity)) &&
			(!categories || categories.includes(a.category.toLowerCase())) &&
			(!actions || actions.includes(a.action.toLowerCase())) &&
			(!siteIds || (a.siteId !== undefined && siteIds.has(a.siteId))) &&
			(!userIds || (a.userId !== undefined && userIds.has(a.userId))) &&
			(!search || search(a)),
	);
	if (order === 'desc') matching.reverse();
	const dir = order === 'asc' ? 1 : -1;

	let start = 0;
	let end = Math.min(size, matching.length);
	if (cursor) {
		const c = cursor;
		// First index strictly after the cursor in the requested order.
		let after = matching.findIndex((a) => dir * cmp(a, c.ms, c.id) > 0);
		if (after < 0) after = matching.length;
		if (page === 'previous') {
			// Entries strictly before the cursor: the `size` closest to it.
			let before = after;
			while (before > 0 && dir * cmp(matching[before - 1], c.ms, c.id) >= 0) before--;
			end = before;
			start = Math.max(0, end - size);
		} else {
			start = after;
			end = Math.min(matching.length, start + size);
		}
	}
	const slice = matching.slice(start, end);
	const st = ctx.sim.state;
	return {
		status: 200,
		body: {
			pageDetails: {
				count: slice.length,
				totalCount: matching.length,
				prevPageUrl: slice.length > 0 && start > 0 ? linkUrl(ctx, slice[0], 'previous') : null,
				nextPageUrl: slice.length > 0 && end < matching.length ? linkUrl(ctx, slice[slice.length - 1], 'next') : null,
			},
			activities: slice.map((a) => renderActivity(st, a)),
		},
	};
}

export const activityRoutes: Route[] = [{ method: 'GET', pattern: '/v2/activity-logs', operationId: 'getActivities', handler: getActivities }];
