/**
 * Alerts: open/resolved lists at account, site and device scope (only page, max and muted; `max`
 * is not capped by the account page size), single alert, resolve. mute/unmute are dead on the live
 * API ("can no longer be muted, as of the 8.9.0 release"): they answer 404 with Spring's
 * "No static resource" body, as for a removed endpoint.
 */
import { springError, validationError } from '../errors.cjs';
import type { Ctx, Reply } from '../http.cjs';
import type { AlertRec } from '../model.cjs';
import { isReply, pageOf } from '../paging.cjs';
import type { Route } from '../router.cjs';
import { renderAlert } from '../views.cjs';
import { findDevice, findSite } from './common.cjs';

function list(ctx: Ctx, resolved: boolean, scope: (a: AlertRec) => boolean): Reply {
	const raw = ctx.query.get('muted');
	let muted: boolean | undefined;
	if (raw !== null && raw !== '') {
		if (raw !== 'true' && raw !== 'false') return validationError('INVALID_PARAMETER', `Invalid value '${raw}' for parameter 'muted': must be true or false`, { parameter: 'muted' });
		muted = raw === 'true';
	}
	const st = ctx.sim.state;
	const items = st.alerts.filter((a) => a.resolved === resolved && (muted === undefined || a.muted === muted) && scope(a));
	return pageOf(ctx, 'alerts', items, (a) => renderAlert(st, a), { uncapped: true });
}

function siteScope(ctx: Ctx, resolved: boolean): Reply {
	const s = findSite(ctx);
	if (isReply(s)) return s;
	const st = ctx.sim.state;
	return list(ctx, resolved, (a) => st.deviceByUid.get(a.deviceUid)?.siteUid === s.uid);
}

function deviceScope(ctx: Ctx, resolved: boolean): Reply {
	const d = findDevice(ctx);
	if (isReply(d)) return d;
	return list(ctx, resolved, (a) => a.deviceUid === d.uid);
}

const dead = (ctx: Ctx): Reply => springError(404, `No static resource ${ctx.apiPath.slice(1)}.`, ctx.path);

export const alertRoutes: Route[] = [
	{ method: 'GET', pattern: '/v2/account/alerts/open', operationId: 'getUserAccountOpenAlerts', handler: (ctx) => list(ctx, false, () => true) },
	{ method: 'GET', pattern: '/v2/account/alerts/resolved', operationId: 'getUserAccountClosedAlerts', handler: (ctx) => list(ctx, true, () => true) },
	{ method: 'GET', pattern: '/v2/site/{siteUid}/alerts/open', operationId: 'getSiteOpenAlerts', handler: (ctx) => siteScope(ctx, false) },
	{ method: 'GET', pattern: '/v2/site/{siteUid}/alerts/resolved', operationId: 'getSiteResolvedAlerts', handler: (ctx) => siteScope(ctx, true) },
	{ method: 'GET', pattern: '/v2/device/{deviceUid}/alerts/open', operationId: 'getDeviceOpenAlerts', handler: (ctx) => deviceScope(ctx, false) },
	{ method: 'GET', pattern: '/v2/device/{deviceUid}/alerts/resolved', operationId: 'getDeviceResolvedAlerts', handler: (ctx) => deviceScope(ctx, true) },
	{
		method: 'GET',
		pattern: '/v2/alert/{alertUid}',
		operationId: 'getAlert',
		handler: (ctx) => {
			const a = ctx.sim.state.alertByUid.get(ctx.params.alertUid);
			return a ? { status: 200, body: renderAlert(ctx.sim.state, a) } : springError(404, `Alert with uid ${ctx.params.alertUid} was not found`, ctx.path);
		},
	},
	{
		method: 'POST',
		pattern: '/v2/alert/{alertUid}/resolve',
		operationId: 'resolveAlert',
		handler: (ctx) => {
			const a = ctx.sim.state.alertByUid.get(ctx.params.alertUid);
			if (!a) return springError(404, `Alert with uid ${ctx.params.alertUid} was not found`, ctx.path);
			// Resolving an already resolved alert is accepted and changes nothing.
			ctx.sim.state.resolveAlert(a.alertUid, ctx.credential?.userName ?? 'API');
			return { status: 200 };
		},
	},
	{ method: 'POST', pattern: '/v2/alert/{alertUid}/mute', operationId: 'muteAlert', handler: dead },
	{ method: 'POST', pattern: '/v2/alert/{alertUid}/unmute', operationId: 'unmuteAlert', handler: dead },
];
