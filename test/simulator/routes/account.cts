/** Account-level reads: account info (with device counts), users, components, DNet site mappings. */
import { pageOf } from '../paging.cjs';
import type { Route } from '../router.cjs';
import { PORTAL, renderComponent, renderUser } from '../views.cjs';

export const accountRoutes: Route[] = [
	{
		method: 'GET',
		pattern: '/v2/account',
		operationId: 'getUserAccount',
		handler: (ctx) => {
			const st = ctx.sim.state;
			const onDemandSites = new Set(st.sites.filter((s) => s.onDemand).map((s) => s.uid));
			let total = 0;
			let online = 0;
			let onDemand = 0;
			for (const d of st.devices) {
				if (d.deleted) continue;
				total++;
				if (d.online) online++;
				if (onDemandSites.has(d.siteUid)) onDemand++;
			}
			const a = st.account;
			return {
				status: 200,
				body: {
					id: a.id,
					name: a.name,
					descriptor: { bilingEmail: a.billingEmail, deviceLimit: a.deviceLimit, timeZone: a.timeZone },
					uid: a.uid,
					currency: a.currency,
					devicesStatus: {
						numberOfDevices: total,
						numberOfOnlineDevices: online,
						numberOfOfflineDevices: total - online,
						numberOfOnDemandDevices: onDemand,
						numberOfManagedDevices: total - onDemand,
					},
				},
			};
		},
	},
	{
		method: 'GET',
		pattern: '/v2/account/users',
		operationId: 'getUsers',
		// This endpoint sends "" (not null) for absent prev/next links, as some live endpoints do.
		handler: (ctx) => pageOf(ctx, 'users', ctx.sim.state.users, (u) => renderUser(ctx.sim.state, u), { noLink: '' }),
	},
	{
		method: 'GET',
		pattern: '/v2/account/components',
		operationId: 'getComponents',
		// "" for absent links here too (see paging.ts).
		handler: (ctx) => pageOf(ctx, 'components', ctx.sim.state.components, renderComponent, { noLink: '' }),
	},
	{
		method: 'GET',
		pattern: '/v2/account/dnet-site-mappings',
		operationId: 'getDnetSiteMappings',
		handler: (ctx) => {
			const st = ctx.sim.state;
			const mapped = st.sites.filter((s) => s.dnetNetworkIds.length > 0);
			return pageOf(ctx, 'dnetSiteMappings', mapped, (s) => {
				const o: Record<string, unknown> = {
					id: s.id,
					uid: s.uid,
					accountUid: st.account.uid,
					name: s.name,
					dattoNetworkingNetworkIds: [...s.dnetNetworkIds],
					portalUrl: `${PORTAL}/csm/site/${s.id}`,
				};
				if (s.description !== undefined) o.description = s.description;
				return o;
			});
		},
	},
];
