/**
 * The readable alert message the triggers and the node's Simplify give: a sentence for each alert
 * context, with fallbacks for contexts it does not know.
 */
import { alertMessage } from '../../../nodes/shared/alertMessage';
import { ALERT_KINDS } from '../../simulator/alert-contexts.cjs';
import { Rng } from '../../simulator/random.cjs';

describe('alertMessage', () => {
	const alert = (context: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
		alertContext: context,
		diagnostics: 'diagnostics text',
		alertSourceInfo: { deviceName: 'PC-1' },
		...extra,
	});

	test('every context the simulator raises reads as a sentence of its own, not the fallback', () => {
		const rng = Rng.derive(4, 2);
		for (const kind of ALERT_KINDS) {
			const { context } = kind.make(rng);
			const message = alertMessage(alert({ '@class': kind.tag, ...context }));
			expect(message.startsWith('PC-1: ')).toBe(true);
			expect(message).not.toContain('diagnostics text');
			expect(message).not.toMatch(/undefined|null|\[object/);
		}
	});

	test('readable lines for common contexts', () => {
		expect(alertMessage(alert({ '@class': 'antivirus_ctx', status: 'RUNNINGNOTUPTODATE', productName: 'Datto AV' }))).toBe(
			'PC-1: Antivirus Datto AV is running but not up to date',
		);
		expect(alertMessage(alert({ '@class': 'online_offline_status_ctx', status: 'OFFLINE' }))).toBe('PC-1: Device is offline');
		expect(alertMessage(alert({ '@class': 'srvc_status_ctx', serviceName: 'Spooler', status: 'STOPPED' }))).toBe('PC-1: Service Spooler is stopped');
		expect(
			alertMessage(alert({ '@class': 'eventlog_ctx', logName: 'System', code: '41', type: 'Critical', source: 'Kernel-Power', description: 'Rebooted', triggerCount: 3 })),
		).toBe('PC-1: System event log: Critical event 41 from Kernel-Power: Rebooted (3 times)');
		expect(alertMessage(alert({ '@class': 'comp_script_ctx', samples: { Result: 'Backup failed', Status: 'FAILED' } }))).toBe(
			'PC-1: Monitor script reported Result: Backup failed; Status: FAILED',
		);
		expect(alertMessage(alert({ '@class': 'perf_disk_usage_ctx', diskName: 'C:', freeSpace: 5368709120, totalVolume: 107374182400 }))).toBe(
			'PC-1: Disk C: low on space: 5 GB free of 100 GB',
		);
		expect(alertMessage(alert({ '@class': 'patch_ctx', result: 'Failed', info: 'KB5034441 could not be installed' }))).toBe(
			'PC-1: Patch failed: KB5034441 could not be installed',
		);
	});

	test('unknown contexts fall back to diagnostics, then to their fields', () => {
		expect(alertMessage(alert({ '@class': 'new_thing_ctx', level: 3 }))).toBe('PC-1: diagnostics text');
		expect(alertMessage({ alertContext: { '@class': 'new_thing_ctx', level: 3 } })).toBe('new thing alert (level: 3)');
		expect(alertMessage({})).toBe('Alert');
	});
});
