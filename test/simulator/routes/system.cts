/** /v2/system/*: status (no token needed), the live rate view, the page size. */
import { renderDate } from '../dates.cjs';
import type { Route } from '../router.cjs';

export const systemRoutes: Route[] = [
	{
		method: 'GET',
		pattern: '/v2/system/status',
		operationId: 'getStatus',
		public: true,
		handler: (ctx) => ({ status: 200, body: { version: '2.0.0 (Build 201)', status: 'OK', started: renderDate(ctx.sim.state.unconfirmedDates, ctx.sim.startedAt) } }),
	},
	{
		method: 'GET',
		pattern: '/v2/system/request_rate',
		operationId: 'get',
		handler: (ctx) => ({ status: 200, body: ctx.sim.rate.snapshot(ctx.sim.state.account.uid) }),
	},
	{
		method: 'GET',
		pattern: '/v2/system/pagination',
		operationId: 'getPaginationConfigurations',
		handler: (ctx) => ({ status: 200, body: { max: ctx.sim.opts.pageSize } }),
	},
];
