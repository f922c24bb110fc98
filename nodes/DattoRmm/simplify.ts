import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { alertMessage } from '../shared/alertMessage';
import { isoDate } from '../shared/dates';

/**
 * "Simplify": the fields a person or an AI agent reads of a device, alert, site or job, instead
 * of Datto's full object (a live device has about 60 fields and 300 UDFs): those the common tasks
 * need (which device, where, its state, its UDFs that hold a value, its device class for the
 * audits; an alert's kind, diagnostics and times). Every key is always there (null when Datto sent
 * nothing, {} for no UDFs), so the shape does not change from one item to the next; dates are UTC
 * ISO 8601 text. The tool descriptions list these keys (tool.ts), so they promise only what is here.
 */
export type Simplifier = (entity: IDataObject) => IDataObject;

function objectAt(value: unknown): IDataObject {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

/** The value, or null when Datto sent nothing (so every simplified item has every key). */
function orNull(value: unknown): IDataObject[string] {
	return value === undefined ? null : (value as IDataObject[string]);
}

function dateOrNull(value: unknown): string | null {
	return isoDate(value) ?? null;
}

/** The UDFs that hold a value (a live device has udf1..udf300, most of them null). */
function setUdfs(value: unknown): IDataObject {
	return Object.fromEntries(Object.entries(objectAt(value)).filter(([, v]) => v !== null && v !== undefined && v !== ''));
}

export const simplifyDevice: Simplifier = (device) => {
	const type = objectAt(device.deviceType);
	return {
		uid: orNull(device.uid),
		id: orNull(device.id),
		hostname: orNull(device.hostname),
		// Which audit a device has: "device" (computers, servers), "printer", "esxihost", "rmmnetworkdevice".
		deviceClass: orNull(device.deviceClass),
		deviceType: orNull(type.category),
		siteName: orNull(device.siteName),
		siteUid: orNull(device.siteUid),
		operatingSystem: orNull(device.operatingSystem),
		online: orNull(device.online),
		lastSeen: dateOrNull(device.lastSeen),
		lastReboot: dateOrNull(device.lastReboot),
		rebootRequired: orNull(device.rebootRequired),
		lastLoggedInUser: orNull(device.lastLoggedInUser),
		intIpAddress: orNull(device.intIpAddress),
		patchStatus: orNull(objectAt(device.patchManagement).patchStatus),
		antivirusStatus: orNull(objectAt(device.antivirus).antivirusStatus),
		warrantyDate: orNull(device.warrantyDate),
		udfs: setUdfs(device.udf),
		portalUrl: orNull(device.portalUrl),
	};
};

export const simplifyAlert: Simplifier = (alert) => {
	const source = objectAt(alert.alertSourceInfo);
	return {
		alertUid: orNull(alert.alertUid),
		priority: orNull(alert.priority),
		message: alertMessage(alert),
		// The monitor's context tag (antivirus_ctx, perf_resource_usage_ctx, ...): what kind of alert it is.
		type: orNull(objectAt(alert.alertContext)['@class']),
		diagnostics: orNull(alert.diagnostics),
		deviceName: orNull(source.deviceName),
		deviceUid: orNull(source.deviceUid),
		siteName: orNull(source.siteName),
		siteUid: orNull(source.siteUid),
		raised: dateOrNull(alert.timestamp),
		resolved: orNull(alert.resolved),
		resolvedBy: orNull(alert.resolvedBy),
		resolvedOn: dateOrNull(alert.resolvedOn),
		muted: orNull(alert.muted),
		ticketNumber: orNull(alert.ticketNumber),
	};
};

export const simplifySite: Simplifier = (site) => {
	const devices = objectAt(site.devicesStatus);
	return {
		uid: orNull(site.uid),
		id: orNull(site.id),
		name: orNull(site.name),
		description: orNull(site.description),
		onDemand: orNull(site.onDemand),
		devices: orNull(devices.numberOfDevices),
		onlineDevices: orNull(devices.numberOfOnlineDevices),
		offlineDevices: orNull(devices.numberOfOfflineDevices),
		portalUrl: orNull(site.portalUrl),
	};
};

/**
 * A job as Job > Get returns it, as Run Quick Job answers (`{ job, jobComponents }`), as Get
 * Results answers (`{ jobUid, jobDeploymentStatus, componentResults }`), or as Run Quick Job and
 * Wait returns it (the job with the device's results and its output).
 */
export const simplifyJob: Simplifier = (answer) => {
	const job = answer.job && typeof answer.job === 'object' ? objectAt(answer.job) : answer;
	const results = answer.results && typeof answer.results === 'object' ? objectAt(answer.results) : answer;
	const componentResults = Array.isArray(results.componentResults) ? (results.componentResults as IDataObject[]) : [];
	const jobComponents = Array.isArray(answer.jobComponents) ? (answer.jobComponents as IDataObject[]) : [];
	const components = componentResults.length
		? componentResults.map((c) => ({ name: orNull(c.componentName), status: orNull(c.componentStatus), warnings: orNull(c.numberOfWarnings) }))
		: jobComponents.map((c) => ({ name: orNull(c.name), status: null, warnings: null }));
	return {
		uid: orNull(job.uid ?? answer.jobUid),
		name: orNull(job.name),
		status: orNull(job.status),
		created: dateOrNull(job.dateCreated),
		deviceUid: orNull(answer.deviceUid ?? results.deviceUid),
		deploymentStatus: orNull(answer.jobDeploymentStatus ?? results.jobDeploymentStatus),
		ranOn: dateOrNull(results.ranOn),
		timedOut: orNull(answer.timedOut),
		components,
		stdout: orNull(answer.stdout),
		stderr: orNull(answer.stderr),
	};
};

/**
 * Simplify, from version 2 of the node: on by default as n8n's own nodes have it, for a person
 * and even more for an AI agent, which reads every character it is given. Version 1 (workflows
 * made before it) has no such parameter and keeps Datto's full object.
 */
export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simple',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
};
