/** Helpers shared by route files: lookups that answer 404 in the live form, LIKE matching. */
import { springError } from '../errors.cjs';
import type { Ctx, Reply } from '../http.cjs';
import type { DeviceRec, FilterRec, SiteRec } from '../model.cjs';

export function findSite(ctx: Ctx, uid = ctx.params.siteUid): SiteRec | Reply {
	return ctx.sim.state.site(uid) ?? springError(404, `Site with uid ${uid} was not found`, ctx.path);
}

export function findDevice(ctx: Ctx, uid = ctx.params.deviceUid): DeviceRec | Reply {
	const d = ctx.sim.state.device(uid);
	return d && !d.deleted ? d : springError(404, `Device with uid ${uid} was not found`, ctx.path);
}

/** SQL LIKE '%value%' as the API applies it to filters: partial and case-insensitive. */
export function like(field: string | undefined, value: string): boolean {
	return (field ?? '').toLowerCase().includes(value.toLowerCase());
}

/** Resolve ?filterId= for device lists; `siteUid` also admits that site's own filters. */
export function readFilter(ctx: Ctx, siteUid?: string): FilterRec | Reply | undefined {
	const raw = ctx.query.get('filterId');
	if (raw === null || raw === '') return undefined;
	if (!/^\d+$/.test(raw)) {
		return { status: 400, body: { errorCode: 'INVALID_PARAMETER', message: `Invalid value '${raw}' for parameter 'filterId': must be an integer`, details: { parameter: 'filterId' } } };
	}
	const id = Number(raw);
	const f = ctx.sim.state.filters.find((x) => x.id === id && (x.type !== 'site' || x.siteUid === siteUid));
	return f ?? springError(404, `Filter with id ${id} was not found`, ctx.path);
}
