import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { alertMessage } from '../../shared/alertMessage';
import { isoDate } from '../../shared/dates';
import { dattoRequest, type RequestOptions } from '../../shared/transport/request';
import type { DattoContext } from '../../shared/transport/requestTypes';
import type { BuiltRequest } from './types';
import { postUdfs, udfBody } from './udf';

/**
 * Writes as an AI tool: Datto answers these with an empty 200, so each reads first and answers
 * with what changed, `{ changed, summary, before, after, ... }`. When nothing would change (an
 * alert already resolved, a device already in the site, the same UDF values or warranty date),
 * nothing is sent and `changed` is false. The editor's node sends the write alone, as before.
 */

/** Reading before a write counts against no write budget. */
function reads(options: RequestOptions): RequestOptions {
	return { ...options, writeBudget: undefined };
}

async function getDevice(ctx: DattoContext, deviceUid: string, options: RequestOptions): Promise<IDataObject> {
	const path = `/v2/device/${encodeURIComponent(deviceUid)}`;
	return (await dattoRequest<IDataObject>(ctx, { method: 'GET', path, notFoundHint: `the device "${deviceUid}"` }, reads(options))) ?? {};
}

function nameOf(device: IDataObject, deviceUid: string): string {
	return typeof device.hostname === 'string' && device.hostname ? device.hostname : `device ${deviceUid}`;
}

export async function resolveAlertTool(ctx: DattoContext, _i: number, request: BuiltRequest, options: RequestOptions): Promise<IDataObject[]> {
	const { alertUid } = request.pathValues;
	const notFoundHint = `the alert "${alertUid}"`;
	const path = `/v2/alert/${encodeURIComponent(alertUid)}`;
	const alert = (await dattoRequest<IDataObject>(ctx, { method: 'GET', path, notFoundHint }, reads(options))) ?? {};
	const what = alertMessage(alert);
	if (alert.resolved === true) {
		const on = isoDate(alert.resolvedOn);
		return [
			{
				alertUid,
				changed: false,
				summary: `The alert "${what}" was already resolved${on ? ` (on ${on})` : ''}; nothing changed.`,
				before: { resolved: true, resolvedOn: on ?? null },
				after: { resolved: true, resolvedOn: on ?? null },
			},
		];
	}
	await dattoRequest<unknown>(ctx, { method: 'POST', path: request.path, safety: 'idempotent', notFoundHint }, options);
	return [{ alertUid, changed: true, summary: `The alert "${what}" was open and is now resolved.`, before: { resolved: false }, after: { resolved: true } }];
}

export async function moveDeviceTool(ctx: DattoContext, _i: number, request: BuiltRequest, options: RequestOptions): Promise<IDataObject[]> {
	const { deviceUid, siteUid } = request.pathValues;
	const device = await getDevice(ctx, deviceUid, options);
	const hostname = nameOf(device, deviceUid);
	const from = { siteUid: device.siteUid ?? null, siteName: device.siteName ?? null };
	if (device.siteUid === siteUid) {
		return [{ deviceUid, hostname, changed: false, summary: `${hostname} is already in site "${String(from.siteName)}"; nothing changed.`, before: from, after: from }];
	}
	const sitePath = `/v2/site/${encodeURIComponent(siteUid)}`;
	const site = (await dattoRequest<IDataObject>(ctx, { method: 'GET', path: sitePath, notFoundHint: `the target site "${siteUid}"` }, reads(options))) ?? {};
	await dattoRequest<unknown>(ctx, { method: 'PUT', path: request.path, safety: 'create', notFoundHint: 'the device and the target site' }, options);
	const to = { siteUid, siteName: site.name ?? null };
	return [{ deviceUid, hostname, changed: true, summary: `${hostname} moved from site "${String(from.siteName)}" to site "${String(to.siteName)}".`, before: from, after: to }];
}

/** A UDF's value as compared: Datto sends null for an empty UDF. */
function udfText(value: unknown): string {
	return value === undefined || value === null ? '' : String(value);
}

export async function setUdfsTool(ctx: DattoContext, i: number, request: BuiltRequest, options: RequestOptions): Promise<IDataObject[]> {
	const { deviceUid } = request.pathValues;
	const body = udfBody(ctx as IExecuteFunctions, i);
	const device = await getDevice(ctx, deviceUid, options);
	const hostname = nameOf(device, deviceUid);
	const current = (device.udf && typeof device.udf === 'object' ? device.udf : {}) as IDataObject;
	const changedKeys = Object.keys(body).filter((key) => udfText(current[key]) !== udfText(body[key]));
	const before = Object.fromEntries(changedKeys.map((key) => [key, udfText(current[key]) || null]));
	const after = Object.fromEntries(changedKeys.map((key) => [key, udfText(body[key]) || null]));
	if (changedKeys.length === 0) {
		return [{ deviceUid, hostname, changed: false, summary: `The UDFs of ${hostname} already have these values; nothing changed.`, before, after }];
	}
	await postUdfs(ctx, request, Object.fromEntries(changedKeys.map((key) => [key, body[key]])), options);
	return [{ deviceUid, hostname, changed: true, summary: `Set ${changedKeys.join(', ')} of ${hostname}.`, before, after }];
}

export async function setWarrantyTool(ctx: DattoContext, _i: number, request: BuiltRequest, options: RequestOptions): Promise<IDataObject[]> {
	const { deviceUid } = request.pathValues;
	const wanted = String(request.body?.warrantyDate ?? '');
	const device = await getDevice(ctx, deviceUid, options);
	const hostname = nameOf(device, deviceUid);
	const before = { warrantyDate: typeof device.warrantyDate === 'string' ? device.warrantyDate.slice(0, 10) : null };
	if (before.warrantyDate === wanted) {
		return [{ deviceUid, hostname, changed: false, summary: `The warranty of ${hostname} already ends on ${wanted}; nothing changed.`, before, after: before }];
	}
	await dattoRequest<unknown>(
		ctx,
		{ method: 'POST', path: request.path, body: request.body, safety: 'idempotent', notFoundHint: `the device "${deviceUid}"` },
		options,
	);
	const was = before.warrantyDate ? `from ${before.warrantyDate} ` : '';
	return [{ deviceUid, hostname, changed: true, summary: `The warranty of ${hostname} changed ${was}to ${wanted}.`, before, after: { warrantyDate: wanted } }];
}
