/** Audits: generic device (and its software, paged under `software`), printer, ESXi host, by MAC. */
import { springError } from '../errors.cjs';
import type { Ctx, Reply } from '../http.cjs';
import { deviceAudit, esxiAudit, printerAudit, softwareList } from '../audits.cjs';
import type { DeviceClass, DeviceRec } from '../model.cjs';
import { isReply, pageOf } from '../paging.cjs';
import type { Route } from '../router.cjs';
import { normaliseMac } from '../state.cjs';
import { findDevice } from './common.cjs';

const CLASS_LABEL: Record<string, string> = { device: 'device', printer: 'printer', esxihost: 'ESXi host' };

/** 400 when the device exists but has another class (the spec's documented 400). */
function ofClass(ctx: Ctx, cls: DeviceClass): DeviceRec | Reply {
	const d = findDevice(ctx);
	if (isReply(d)) return d;
	if (d.deviceClass !== cls) {
		return {
			status: 400,
			body: {
				errorCode: 'INVALID_DEVICE_CLASS',
				message: `The device identified by the given device UID is not of class ${CLASS_LABEL[cls]}`,
				details: { deviceUid: d.uid, deviceClass: d.deviceClass },
			},
		};
	}
	return d;
}

export const auditRoutes: Route[] = [
	{
		method: 'GET',
		pattern: '/v2/audit/device/{deviceUid}',
		operationId: 'getDeviceAudit',
		handler: (ctx) => {
			const d = ofClass(ctx, 'device');
			return isReply(d) ? d : { status: 200, body: deviceAudit(ctx.sim.opts.seed, d, ctx.sim.state.unconfirmedDates) };
		},
	},
	{
		method: 'GET',
		pattern: '/v2/audit/device/{deviceUid}/software',
		operationId: 'getDeviceAuditSoftware',
		handler: (ctx) => {
			const d = ofClass(ctx, 'device');
			return isReply(d) ? d : pageOf(ctx, 'software', softwareList(ctx.sim.opts.seed, d), (s) => s);
		},
	},
	{
		method: 'GET',
		pattern: '/v2/audit/printer/{deviceUid}',
		operationId: 'getPrinterAudit',
		handler: (ctx) => {
			const d = ofClass(ctx, 'printer');
			return isReply(d) ? d : { status: 200, body: printerAudit(ctx.sim.opts.seed, d) };
		},
	},
	{
		method: 'GET',
		pattern: '/v2/audit/esxihost/{deviceUid}',
		operationId: 'getEsxiHostAudit',
		handler: (ctx) => {
			const d = ofClass(ctx, 'esxihost');
			return isReply(d) ? d : { status: 200, body: esxiAudit(ctx.sim.opts.seed, d) };
		},
	},
	{
		method: 'GET',
		pattern: '/v2/audit/device/macAddress/{macAddress}',
		operationId: 'getDeviceAuditByMacAddress',
		handler: (ctx) => {
			const mac = normaliseMac(ctx.params.macAddress);
			const found = ctx.sim.state.devices.filter((d) => !d.deleted && d.macs.includes(mac));
			if (found.length === 0) return springError(404, `Device with MAC address ${ctx.params.macAddress} was not found`, ctx.path);
			const generic = found.filter((d) => d.deviceClass === 'device');
			if (generic.length === 0) {
				return { status: 400, body: { errorCode: 'INVALID_DEVICE_CLASS', message: 'The device identified by the given device MAC address is not of class device', details: { macAddress: ctx.params.macAddress } } };
			}
			// Bare array, no paging wrapper.
			return { status: 200, body: generic.map((d) => deviceAudit(ctx.sim.opts.seed, d, ctx.sim.state.unconfirmedDates)) };
		},
	},
];
