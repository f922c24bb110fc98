/** Device filters: default (rmm_default), custom, and a site's own filters. */
import { isReply, pageOf } from '../paging.cjs';
import type { Route } from '../router.cjs';
import { renderFilter } from '../views.cjs';
import { findSite } from './common.cjs';

export const filterRoutes: Route[] = [
	{
		method: 'GET',
		pattern: '/v2/filter/default-filters',
		operationId: 'getDefaultsFilters',
		handler: (ctx) => pageOf(ctx, 'filters', ctx.sim.state.filters.filter((f) => f.type === 'rmm_default'), (f) => renderFilter(ctx.sim.state, f)),
	},
	{
		method: 'GET',
		pattern: '/v2/filter/custom-filters',
		operationId: 'getCustomFilters',
		handler: (ctx) => pageOf(ctx, 'filters', ctx.sim.state.filters.filter((f) => f.type === 'custom'), (f) => renderFilter(ctx.sim.state, f)),
	},
	{
		method: 'GET',
		pattern: '/v2/site/{siteUid}/filters',
		operationId: 'getSiteDeviceFilters',
		handler: (ctx) => {
			const s = findSite(ctx);
			if (isReply(s)) return s;
			return pageOf(ctx, 'filters', ctx.sim.state.filters.filter((f) => f.type === 'site' && f.siteUid === s.uid), (f) => renderFilter(ctx.sim.state, f));
		},
	},
];
