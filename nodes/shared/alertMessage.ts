/**
 * A readable one-line message for an alert, from its context. Datto tags the context with a
 * Jackson `@class` (antivirus_ctx, eventlog_ctx, ...); the fields of each follow loosely the
 * spec's *Context schemas and what live accounts send. Unknown tags fall back to the alert's
 * diagnostics, then to the context's own fields.
 */
import type { IDataObject } from 'n8n-workflow';

type Context = IDataObject & { '@class'?: unknown };

function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (Array.isArray(value)) return value.map(text).filter(Boolean).join(', ');
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value).trim();
}

/** `NOTRUNNING` → `not running`, `RUNNINGNOTUPTODATE` → `running but not up to date`. */
const WORDS: Record<string, string> = {
	NOTDETECTED: 'not detected',
	NOTRUNNING: 'not running',
	RUNNINGNOTUPTODATE: 'running but not up to date',
	STARTPENDING: 'start pending',
	STOPPENDING: 'stop pending',
	CONTINUEPENDING: 'continue pending',
	PAUSEPENDING: 'pause pending',
	NOT_UPTODATE: 'not up to date',
	ABOVE_THRESHOLD: 'above threshold',
	BELOW_THRESHOLD: 'below threshold',
	ROUNDTRIP_TIME: 'round-trip time',
	PACKET_LOSS: 'packet loss',
	VERSION_CHANGED: 'version changed',
};

function word(value: unknown): string {
	const raw = text(value);
	return WORDS[raw] ?? raw.toLowerCase().replace(/_/g, ' ');
}

function percent(value: unknown): string {
	const n = Number(value);
	return Number.isFinite(n) ? `${Math.round(n * 10) / 10}%` : text(value);
}

/** Bytes as GB with one decimal. */
function gigabytes(value: unknown): string {
	const n = Number(value);
	return Number.isFinite(n) ? `${Math.round((n / 1073741824) * 10) / 10} GB` : text(value);
}

function join(...parts: string[]): string {
	return parts.filter(Boolean).join(' ').replace(/\s+/g, ' ').trim();
}

const BY_CLASS: Record<string, (c: Context) => string> = {
	online_offline_status_ctx: (c) => `Device is ${word(c.status) || 'offline'}`,
	antivirus_ctx: (c) => join('Antivirus', text(c.productName), 'is', word(c.status)),
	eventlog_ctx: (c) => {
		const head = join(text(c.logName), 'event log:', text(c.type), text(c.code) && `event ${text(c.code)}`, text(c.source) && `from ${text(c.source)}`);
		const count = Number(c.triggerCount) > 1 ? ` (${Number(c.triggerCount)} times)` : '';
		return `${head}${text(c.description) ? `: ${text(c.description)}` : ''}${count}`;
	},
	comp_script_ctx: (c) => {
		const samples = c.samples && typeof c.samples === 'object' ? Object.entries(c.samples as IDataObject) : [];
		const body = samples.map(([k, v]) => `${k}: ${text(v)}`).join('; ');
		return body ? `Monitor script reported ${body}` : 'Monitor script raised an alert';
	},
	patch_ctx: (c) => join('Patch', text(c.result) ? `${word(c.result)}:` : 'alert:', text(c.info)),
	perf_resource_usage_ctx: (c) => `${text(c.type) || 'Resource'} usage at ${percent(c.percentage ?? c.sample)}`,
	process_resource_usage_ctx: (c) => `Process ${text(c.processName)} ${text(c.type) || 'resource'} usage at ${percent(c.sample)}`,
	srvc_resource_usage_ctx: (c) => `Service ${text(c.serviceName)} ${text(c.type) || 'resource'} usage at ${percent(c.sample)}`,
	perf_disk_usage_ctx: (c) => {
		const free = c.freeSpace !== undefined ? `${gigabytes(c.freeSpace)} free` : '';
		const total = c.totalVolume !== undefined ? `of ${gigabytes(c.totalVolume)}` : '';
		return join('Disk', text(c.diskName), 'low on space:', free, total);
	},
	srvc_status_ctx: (c) => join('Service', text(c.serviceName), 'is', word(c.status)),
	process_status_ctx: (c) => join('Process', text(c.processName), 'is', word(c.status)),
	ping_ctx: (c) =>
		join('Ping', text(c.instanceName) && `to ${text(c.instanceName)}`, word(c.reasons) && `failed (${word(c.reasons)})`, c.roundtripTime !== undefined ? `: round trip ${text(c.roundtripTime)} ms` : ''),
	ransomware_ctx: (c) =>
		join(
			'Possible ransomware activity',
			text(c.rwextension) && `(files renamed to ${text(c.rwextension)})`,
			text(c.affectedDirectories) && `in ${text(c.affectedDirectories)}`,
			c.confidenceFactor !== undefined ? `, confidence ${percent(c.confidenceFactor)}` : '',
		).replace(' ,', ','),
	perf_mon_ctx: (c) => `Performance counter at ${text(c.value)}`,
	fs_object_ctx: (c) => {
		const what = c.objectType === 'FILE' ? 'File' : c.objectType === 'DIRECTORY' ? 'Folder' : 'File or folder';
		const condition = word(c.condition);
		const values = c.sample !== undefined ? ` (${text(c.sample)}${c.threshold !== undefined ? `, threshold ${text(c.threshold)}` : ''})` : '';
		return `${what} ${text(c.path)} ${condition}${values}`;
	},
	custom_snmp_ctx: (c) => join('SNMP', text(c.displayName), text(c.monitorInstance) && `(${text(c.monitorInstance)})`, text(c.currentValue) && `is ${text(c.currentValue)}`),
	snmp_probe_ctx: (c) => join('SNMP probe', text(c.monitorName ?? c.ruleName), text(c.ipAddress) && `on ${text(c.ipAddress)}`, text(c.responseValue) && `answered ${text(c.responseValue)}`),
	temperature_ctx: (c) => join(text(c.type) || 'Temperature', 'at', c.degree !== undefined ? `${text(c.degree)} °C` : ''),
	fan_ctx: (c) => join('Fan alert:', text(c.reason)),
	psu_ctx: (c) => join('Power supply alert:', text(c.reason)),
	disk_health_ctx: (c) => join('Disk health alert:', text(c.reason)),
	sec_center_ctx: (c) => join('Security product', text(c.productName), 'is', word(c.alertType)),
	sec_management_ctx: (c) => {
		const parts = [
			text(c.virusName) && `found ${text(c.virusName)}`,
			text(c.infectedFiles) && `infected files: ${text(c.infectedFiles)}`,
			c.productNotUpdatedForDays ? `not updated for ${text(c.productNotUpdatedForDays)} days` : '',
			c.systemRemainsInfectedForHours ? `infected for ${text(c.systemRemainsInfectedForHours)} hours` : '',
			c.expiryLicenseForDays ? `licence expires in ${text(c.expiryLicenseForDays)} days` : '',
		].filter(Boolean);
		return join(text(c.productName) || 'Security product', parts.length ? parts.join(', ') : 'raised an alert');
	},
	sw_action_ctx: (c) =>
		join('Software', text(c.packageName), word(c.actionType) || 'changed', text(c.version) && `(version ${text(c.prevVersion) ? `${text(c.prevVersion)} → ` : ''}${text(c.version)})`),
	wmi_ctx: (c) => `WMI monitor value ${text(c.value)}`,
	printer_ctx: (c) => join('Printer', text(c.ipAddress), c.currentLevel !== undefined ? `supply level at ${percent(c.currentLevel)}` : 'alert'),
	backup_management_ctx: (c) => join('Backup alert:', text(c.errorMessage)),
	network_monitor_ctx: (c) => join('Network monitor:', text(c.description)),
	endpoint_security_threat_ctx: (c) => join('Endpoint security threat:', text(c.description)),
	endpoint_security_windows_defender_ctx: (c) => join('Windows Defender:', text(c.description)),
};

function fallback(context: Context, diagnostics: string): string {
	if (diagnostics) return diagnostics;
	const fields = Object.entries(context)
		.filter(([k]) => k !== '@class')
		.map(([k, v]) => `${k}: ${text(v)}`)
		.join(', ');
	const tag = text(context['@class']).replace(/_ctx$/, '').replace(/_/g, ' ');
	return join(tag ? `${tag} alert` : 'Alert', fields && `(${fields})`);
}

/** e.g. "PC-0042: Antivirus Windows Defender is not running". */
export function alertMessage(alert: IDataObject): string {
	const context = (alert.alertContext && typeof alert.alertContext === 'object' ? alert.alertContext : {}) as Context;
	const diagnostics = text(alert.diagnostics);
	const describe = BY_CLASS[text(context['@class'])];
	let message = '';
	if (describe) {
		try {
			message = describe(context);
		} catch {
			message = '';
		}
	}
	if (!message || /^\W*$/.test(message)) message = fallback(context, diagnostics);
	const source = (alert.alertSourceInfo ?? {}) as IDataObject;
	const device = text(source.deviceName);
	return device ? `${device}: ${message}` : message;
}
