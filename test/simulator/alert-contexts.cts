/**
 * Alert contexts as the live API tags them: a Jackson `@class` name (antivirus_ctx, ...), whose
 * fields loosely follow one of the spec's *Context schemas. The spec's oneOf has no discriminator
 * mapping, so the tag → schema table lives here (tests use it to validate each context against
 * the schema its tag names).
 */
import type { Rng } from './random.cjs';
import type { AlertPriority } from './model.cjs';

export interface AlertKind {
	/** Live `@class` tag. */
	tag: string;
	/** Spec schema the context is validated against. */
	schema: string;
	priority: AlertPriority[];
	make(r: Rng): { context: Record<string, unknown>; diagnostics: string };
	/**
	 * The context's date fields (epoch ms, rendered in the unconfirmed-date form), from the alert's
	 * time rather than the random stream, so a seed gives the same world as before they existed.
	 */
	times?(at: number): Record<string, number>;
}

const RESOURCE_TYPES = ['CPU', 'MEMORY'] as const;

export const ALERT_KINDS: AlertKind[] = [
	{
		tag: 'online_offline_status_ctx',
		schema: 'OnlineOfflineStatusContext',
		priority: ['High', 'Critical'],
		make: () => ({ context: { status: 'OFFLINE' }, diagnostics: 'Device has been offline for more than 15 minutes' }),
	},
	{
		tag: 'antivirus_ctx',
		schema: 'AntivirusContext',
		priority: ['High', 'Moderate'],
		make: (r) => {
			const status = r.pick(['NOTDETECTED', 'NOTRUNNING', 'RUNNINGNOTUPTODATE']);
			return {
				context: { status, productName: r.pick(['Windows Defender', 'Datto AV', 'Sophos Endpoint']) },
				diagnostics: `Antivirus status: ${status}`,
			};
		},
	},
	{
		tag: 'eventlog_ctx',
		schema: 'EventLogContext',
		priority: ['Moderate', 'Low', 'Information'],
		make: (r) => {
			const code = String(r.pick([41, 1001, 7031, 6008, 4625]));
			return {
				context: {
					logName: r.pick(['System', 'Application', 'Security']),
					code,
					type: r.pick(['Error', 'Warning', 'Critical']),
					source: r.pick(['Service Control Manager', 'Kernel-Power', 'Application Error']),
					description: `Event ${code} was logged`,
					triggerCount: r.int(1, 12),
					causedSuspension: false,
				},
				diagnostics: `Event log entry ${code} matched the monitor`,
			};
		},
		times: (at) => ({ lastTriggered: at }),
	},
	{
		tag: 'comp_script_ctx',
		schema: 'ScriptContext',
		priority: ['Moderate', 'High', 'Low'],
		make: (r) => {
			const n = r.int(1, 40);
			return {
				context: { samples: { Result: `Backup job failed ${n} times`, Status: 'FAILED' } },
				diagnostics: `Script monitor reported: Backup job failed ${n} times`,
			};
		},
	},
	{
		tag: 'patch_ctx',
		schema: 'PatchContext',
		priority: ['Moderate', 'Low'],
		make: (r) => ({
			context: {
				patchUid: r.uuid(),
				policyUid: r.uuid(),
				result: r.pick(['Failed', 'RebootRequired']),
				info: 'KB5034441 could not be installed',
			},
			diagnostics: 'Patch installation failed',
		}),
	},
	{
		tag: 'perf_resource_usage_ctx',
		schema: 'ResourceUsageContext',
		priority: ['Moderate', 'High'],
		make: (r) => {
			const type = r.pick(RESOURCE_TYPES);
			const percentage = r.int(85, 100);
			// Live contexts carry `percentage` (not in the spec) next to `type`.
			return { context: { type, percentage, sample: percentage }, diagnostics: `${type} usage at ${percentage}%` };
		},
	},
	{
		tag: 'perf_disk_usage_ctx',
		schema: 'DiskUsageContext',
		priority: ['High', 'Moderate'],
		make: (r) => {
			const total = r.int(100, 2000) * 1073741824;
			const free = Math.round(total * r.int(1, 9) / 100);
			return {
				context: {
					diskName: r.pick(['C:', 'D:', '/']),
					totalVolume: total,
					freeSpace: free,
					unitOfMeasure: 'PERCENT',
					diskNameDesignation: 'SINGLE_VOLUME',
				},
				diagnostics: 'Disk space below threshold',
			};
		},
	},
	{
		tag: 'srvc_status_ctx',
		schema: 'StatusContext',
		priority: ['High', 'Moderate'],
		make: (r) => {
			const serviceName = r.pick(['Spooler', 'wuauserv', 'MSSQLSERVER', 'W3SVC']);
			return { context: { serviceName, status: 'STOPPED' }, diagnostics: `Service ${serviceName} is stopped` };
		},
	},
	{
		tag: 'ping_ctx',
		schema: 'PingContext',
		priority: ['Moderate', 'Low'],
		make: (r) => ({
			context: { instanceName: 'Gateway', roundtripTime: r.int(200, 900), reasons: ['ROUNDTRIP_TIME'] },
			diagnostics: 'Ping round-trip time above threshold',
		}),
	},
	{
		tag: 'ransomware_ctx',
		schema: 'RansomWareContext',
		priority: ['Critical'],
		make: (r) => ({
			context: {
				state: 1,
				confidenceFactor: r.int(70, 99),
				affectedDirectories: ['C:\\Users\\Public\\Documents'],
				watchPaths: ['C:\\Users'],
				rwextension: '.locked',
			},
			diagnostics: 'Possible ransomware activity detected',
		}),
		times: (at) => ({ metaAlertTime: at - 1000, alertTime: at }),
	},
	{
		tag: 'perf_mon_ctx',
		schema: 'WindowsPerformanceContext',
		priority: ['Low', 'Information'],
		make: (r) => ({ context: { value: r.int(50, 100) + 0.5 }, diagnostics: 'Performance counter above threshold' }),
	},
	{
		tag: 'fs_object_ctx',
		schema: 'FileSystemContext',
		priority: ['Low', 'Moderate'],
		make: (r) => ({
			context: {
				sample: r.int(2000, 9000),
				threshold: 1024,
				path: 'C:\\inetpub\\logs',
				objectType: 'DIRECTORY',
				condition: 'ABOVE_THRESHOLD',
			},
			diagnostics: 'Folder size above threshold',
		}),
	},
];

/** Tag → schema name, for validators. */
export const ALERT_CONTEXT_SCHEMAS: Record<string, string> = Object.fromEntries(
	ALERT_KINDS.map((k) => [k.tag, k.schema]),
);
