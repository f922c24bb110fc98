/** Sites: list (siteName LIKE), get, create (PUT), update (POST), settings, proxy settings. */
import { emptyReply, validationError } from '../errors.cjs';
import { type Ctx, type Reply, parseJsonBody } from '../http.cjs';
import type { ProxySettingsRec, SiteRec } from '../model.cjs';
import { isReply, pageOf } from '../paging.cjs';
import type { Route } from '../router.cjs';
import { renderSite, renderSiteSettings } from '../views.cjs';
import { findSite, like } from './common.cjs';

type Obj = Record<string, unknown>;

function objectBody(ctx: Ctx): Obj | Reply {
	const b = parseJsonBody(ctx);
	if (b === undefined || b instanceof Error || typeof b !== 'object' || b === null || Array.isArray(b)) {
		return validationError('INVALID_REQUEST_BODY', b instanceof Error ? `Malformed JSON request body: ${b.message}` : 'Request body must be a JSON object', {});
	}
	return b as Obj;
}

/** Shared checks of CreateSiteRequest / SiteRequest fields. */
function checkSiteFields(b: Obj): Reply | undefined {
	if (typeof b.name !== 'string' || b.name.trim() === '') {
		return validationError('INVALID_SITE_NAME', "Field 'name' is required and must not be blank", { field: 'name' });
	}
	if (b.name.length > 100) return validationError('INVALID_SITE_NAME', "Field 'name' must be at most 100 characters", { field: 'name' });
	for (const k of ['description', 'notes']) {
		if (b[k] !== undefined && b[k] !== null && typeof b[k] !== 'string') return validationError('INVALID_FIELD', `Field '${k}' must be a string`, { field: k });
	}
	for (const k of ['onDemand', 'splashtopAutoInstall']) {
		if (b[k] !== undefined && b[k] !== null && typeof b[k] !== 'boolean') return validationError('INVALID_FIELD', `Field '${k}' must be a boolean`, { field: k });
	}
	return undefined;
}

function readProxy(p: unknown): ProxySettingsRec | Reply {
	if (typeof p !== 'object' || p === null || Array.isArray(p)) return validationError('INVALID_PROXY_SETTINGS', 'Proxy settings must be a JSON object', {});
	const o = p as Obj;
	if (o.type !== undefined && !['http', 'socks4', 'socks5'].includes(o.type as string)) {
		return validationError('INVALID_PROXY_SETTINGS', `Invalid proxy type '${String(o.type)}': expected http, socks4 or socks5`, { field: 'type' });
	}
	if (o.port !== undefined && (!Number.isInteger(o.port) || (o.port as number) < 1 || (o.port as number) > 65535)) {
		return validationError('INVALID_PROXY_SETTINGS', `Invalid proxy port '${String(o.port)}'`, { field: 'port' });
	}
	if (typeof o.host !== 'string' || o.host.trim() === '') return validationError('INVALID_PROXY_SETTINGS', "Field 'host' is required", { field: 'host' });
	for (const k of ['username', 'password']) {
		if (o[k] !== undefined && o[k] !== null && typeof o[k] !== 'string') return validationError('INVALID_PROXY_SETTINGS', `Field '${k}' must be a string`, { field: k });
	}
	const out: ProxySettingsRec = { host: o.host, type: (o.type as ProxySettingsRec['type']) ?? 'http' };
	if (o.port !== undefined) out.port = o.port as number;
	if (typeof o.username === 'string') out.username = o.username;
	if (typeof o.password === 'string') out.password = o.password;
	return out;
}

function applySiteFields(s: SiteRec, b: Obj): void {
	s.name = (b.name as string).trim();
	if (b.description !== undefined) s.description = (b.description as string | null) ?? undefined;
	if (b.notes !== undefined) s.notes = (b.notes as string | null) ?? undefined;
	if (typeof b.onDemand === 'boolean') s.onDemand = b.onDemand;
	if (typeof b.splashtopAutoInstall === 'boolean') s.splashtopAutoInstall = b.splashtopAutoInstall;
}

export const siteRoutes: Route[] = [
	{
		method: 'GET',
		pattern: '/v2/account/sites',
		operationId: 'getSites',
		handler: (ctx) => {
			const st = ctx.sim.state;
			const name = ctx.query.get('siteName');
			const list = name ? st.sites.filter((s) => like(s.name, name)) : st.sites;
			const counts = st.siteDeviceCounts();
			return pageOf(ctx, 'sites', list, (s) => renderSite(st, s, counts.get(s.uid)));
		},
	},
	{
		method: 'GET',
		pattern: '/v2/site/{siteUid}',
		operationId: 'getSite',
		handler: (ctx) => {
			const s = findSite(ctx);
			return isReply(s) ? s : { status: 200, body: renderSite(ctx.sim.state, s) };
		},
	},
	{
		method: 'PUT',
		pattern: '/v2/site',
		operationId: 'create',
		handler: (ctx) => {
			const b = objectBody(ctx);
			if (isReply(b)) return b;
			const bad = checkSiteFields(b);
			if (bad) return bad;
			let proxy: ProxySettingsRec | undefined;
			if (b.proxySettings !== undefined && b.proxySettings !== null) {
				const p = readProxy(b.proxySettings);
				if (isReply(p)) return p;
				proxy = p;
			}
			// Not idempotent, as live: the same body twice creates two sites.
			const s = ctx.sim.state.addSite({ name: (b.name as string).trim() });
			applySiteFields(s, b);
			s.proxy = proxy;
			return { status: 200, body: renderSite(ctx.sim.state, s) };
		},
	},
	{
		method: 'POST',
		pattern: '/v2/site/{siteUid}',
		operationId: 'update',
		handler: (ctx) => {
			const s = findSite(ctx);
			if (isReply(s)) return s;
			const b = objectBody(ctx);
			if (isReply(b)) return b;
			const bad = checkSiteFields(b);
			if (bad) return bad;
			applySiteFields(s, b);
			return { status: 200, body: renderSite(ctx.sim.state, s) };
		},
	},
	{
		method: 'GET',
		pattern: '/v2/site/{siteUid}/settings',
		operationId: 'getSiteSettings',
		handler: (ctx) => {
			const s = findSite(ctx);
			return isReply(s) ? s : { status: 200, body: renderSiteSettings(ctx.sim.state, s) };
		},
	},
	{
		method: 'POST',
		pattern: '/v2/site/{siteUid}/settings/proxy',
		operationId: 'updateProxy',
		handler: (ctx) => {
			const s = findSite(ctx);
			if (isReply(s)) return s;
			const b = objectBody(ctx);
			if (isReply(b)) return b;
			const p = readProxy(b);
			if (isReply(p)) return p;
			s.proxy = p;
			return { status: 200, body: renderSiteSettings(ctx.sim.state, s) };
		},
	},
	{
		method: 'DELETE',
		pattern: '/v2/site/{siteUid}/settings/proxy',
		operationId: 'deleteProxy',
		handler: (ctx) => {
			const s = findSite(ctx);
			if (isReply(s)) return s;
			// Spec: 204 "Nothing was done because the proxy data doesn't exist".
			if (!s.proxy) return emptyReply(204);
			delete s.proxy;
			return { status: 200 };
		},
	},
];
