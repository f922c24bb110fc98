/** Devices: account and site lists (with filters), single device by uid/id/MAC, moves, UDFs, warranty. */
import { springError, validationError } from '../errors.cjs';
import { type Ctx, type Reply, parseJsonBody } from '../http.cjs';
import type { DeviceRec } from '../model.cjs';
import { isReply, pageOf } from '../paging.cjs';
import type { Route } from '../router.cjs';
import { normaliseMac } from '../state.cjs';
import { renderDevice, renderDeviceNetwork } from '../views.cjs';
import { findDevice, findSite, like, readFilter } from './common.cjs';

/** Account device list filters: filterId alone decides when given; else LIKE filters combine. */
function accountDevices(ctx: Ctx): DeviceRec[] | Reply {
	const st = ctx.sim.state;
	const f = readFilter(ctx);
	if (f && isReply(f)) return f;
	// No copy of every device per page when none is deleted (the usual case): paging only slices it.
	const live = st.devices.some((d) => d.deleted) ? st.devices.filter((d) => !d.deleted) : st.devices;
	if (f) return live.filter(f.match);
	const hostname = ctx.query.get('hostname');
	const deviceType = ctx.query.get('deviceType');
	const os = ctx.query.get('operatingSystem');
	const siteName = ctx.query.get('siteName');
	if (!hostname && !deviceType && !os && !siteName) return live;
	return live.filter(
		(d) =>
			(!hostname || like(d.hostname, hostname)) &&
			(!deviceType || like(d.category, deviceType) || like(d.type, deviceType)) &&
			(!os || like(d.operatingSystem, os)) &&
			(!siteName || like(st.siteByUid.get(d.siteUid)?.name, siteName)),
	);
}

function siteDevices(ctx: Ctx, withFilter: boolean): DeviceRec[] | Reply {
	const site = findSite(ctx);
	if (isReply(site)) return site;
	const f = withFilter ? readFilter(ctx, site.uid) : undefined;
	if (f && isReply(f)) return f;
	return ctx.sim.state.devices.filter((d) => d.siteUid === site.uid && !d.deleted && (!f || f.match(d)));
}

function byMac(ctx: Ctx): DeviceRec[] {
	const mac = normaliseMac(ctx.params.macAddress);
	return ctx.sim.state.devices.filter((d) => !d.deleted && d.macs.includes(mac));
}

const WARRANTY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(s: string): boolean {
	const m = WARRANTY_RE.exec(s);
	if (!m) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const deviceRoutes: Route[] = [
	{
		method: 'GET',
		pattern: '/v2/account/devices',
		operationId: 'getUserAccountDevices',
		handler: (ctx) => {
			const list = accountDevices(ctx);
			if (isReply(list)) return list;
			return pageOf(ctx, 'devices', list, (d) => renderDevice(ctx.sim.state, d));
		},
	},
	{
		method: 'GET',
		pattern: '/v2/site/{siteUid}/devices',
		operationId: 'getSiteDevices',
		handler: (ctx) => {
			const list = siteDevices(ctx, true);
			if (isReply(list)) return list;
			return pageOf(ctx, 'devices', list, (d) => renderDevice(ctx.sim.state, d));
		},
	},
	{
		method: 'GET',
		pattern: '/v2/site/{siteUid}/devices/network-interface',
		operationId: 'getSiteDevicesWithNetworkInterface',
		handler: (ctx) => {
			const list = siteDevices(ctx, false);
			if (isReply(list)) return list;
			return pageOf(ctx, 'devices', list, (d) => renderDeviceNetwork(ctx.sim.state, d));
		},
	},
	{
		method: 'GET',
		pattern: '/v2/device/{deviceUid}',
		operationId: 'getByUid',
		handler: (ctx) => {
			const d = findDevice(ctx);
			return isReply(d) ? d : { status: 200, body: renderDevice(ctx.sim.state, d) };
		},
	},
	{
		method: 'GET',
		pattern: '/v2/device/id/{deviceId}',
		operationId: 'getById',
		handler: (ctx) => {
			const raw = ctx.params.deviceId;
			if (!/^\d+$/.test(raw)) return validationError('INVALID_PARAMETER', `Invalid value '${raw}' for parameter 'deviceId': must be an integer`, { parameter: 'deviceId' });
			const d = ctx.sim.state.deviceById.get(Number(raw));
			if (!d || d.deleted) return springError(404, `Device with id ${raw} was not found`, ctx.path);
			return { status: 200, body: renderDevice(ctx.sim.state, d) };
		},
	},
	{
		method: 'GET',
		pattern: '/v2/device/macAddress/{macAddress}',
		operationId: 'getByMacAddress',
		handler: (ctx) => {
			// Bare array, no paging wrapper.
			const list = byMac(ctx);
			if (list.length === 0) return springError(404, `Device with MAC address ${ctx.params.macAddress} was not found`, ctx.path);
			return { status: 200, body: list.map((d) => renderDevice(ctx.sim.state, d)) };
		},
	},
	{
		method: 'PUT',
		pattern: '/v2/device/{deviceUid}/site/{siteUid}',
		operationId: 'moveDevice',
		handler: (ctx) => {
			const d = findDevice(ctx);
			if (isReply(d)) return d;
			const s = findSite(ctx);
			if (isReply(s)) return s;
			d.siteUid = s.uid;
			// The live API answers an empty 200.
			return { status: 200 };
		},
	},
	{
		method: 'POST',
		pattern: '/v2/device/{deviceUid}/udf',
		operationId: 'setUdfFields',
		handler: (ctx) => {
			const d = findDevice(ctx);
			if (isReply(d)) return d;
			const body = parseJsonBody(ctx);
			if (body === undefined || body instanceof Error || typeof body !== 'object' || body === null || Array.isArray(body)) {
				return validationError('INVALID_REQUEST_BODY', 'Request body must be a JSON object of udf1..udf300 fields', {});
			}
			const entries = Object.entries(body as Record<string, unknown>);
			for (const [k, v] of entries) {
				const m = /^udf(\d+)$/.exec(k);
				if (!m || Number(m[1]) < 1 || Number(m[1]) > 300) return validationError('INVALID_UDF_FIELD', `Unknown user defined field '${k}'`, { field: k });
				if (v !== null && typeof v !== 'string') return validationError('INVALID_UDF_VALUE', `Value of '${k}' must be a string`, { field: k });
				if (typeof v === 'string' && v.length > 255) return validationError('INVALID_UDF_VALUE', `Value of '${k}' is longer than 255 characters`, { field: k });
			}
			// Only the given fields change; an empty value (or null) clears the field.
			for (const [k, v] of entries) {
				if (v === null || v === '') delete d.udf[k];
				else d.udf[k] = v as string;
			}
			return { status: 200 };
		},
	},
	{
		method: 'POST',
		pattern: '/v2/device/{deviceUid}/warranty',
		operationId: 'setWarrantyData',
		handler: (ctx) => {
			const d = findDevice(ctx);
			if (isReply(d)) return d;
			const body = parseJsonBody(ctx);
			if (body === undefined || body instanceof Error || typeof body !== 'object' || body === null || !('warrantyDate' in body)) {
				return validationError('INVALID_REQUEST_BODY', "Request body must be a JSON object with 'warrantyDate'", {});
			}
			const w = (body as { warrantyDate: unknown }).warrantyDate;
			if (w === null) {
				delete d.warrantyDate;
				return { status: 200 };
			}
			if (typeof w !== 'string' || !validDate(w)) {
				return validationError('INVALID_WARRANTY_DATE', `Invalid warranty date '${String(w)}': expected an ISO 8601 date yyyy-mm-dd`, { field: 'warrantyDate', rejectedValue: w });
			}
			d.warrantyDate = w;
			return { status: 200 };
		},
	},
];
