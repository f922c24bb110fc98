/**
 * The Datto RMM Trigger's pieces that need no server: what it stores (watermark, device IDs, the
 * ID tag) and the readable alert message.
 */
import { alertMessage } from '../../../nodes/shared/alertMessage';
import { decodeIds, encodeIds, SEEN_CAP, Watermark } from '../../../nodes/DattoRmmTrigger/state';
import { tagOf } from '../../../nodes/DattoRmmTrigger/tag';
import { ALERT_KINDS } from '../../simulator/alert-contexts.cjs';
import { Rng } from '../../simulator/random.cjs';

describe('tagOf', () => {
	test('10 base-36 characters, stable, distinct for 50,000 UUID-like IDs', () => {
		const rng = Rng.derive(3, 1);
		const tags = new Set<string>();
		let malformed = 0;
		for (let i = 0; i < 50_000; i++) {
			const tag = tagOf(rng.uuid());
			if (!/^[0-9a-z]{10}$/.test(tag)) malformed++;
			tags.add(tag);
		}
		expect(malformed).toBe(0);
		expect(tags.size).toBe(50_000);
		expect(tagOf('3c7e1a52-9a8b-4f1d-8e2c-0b6a9d4f5e21')).toBe(tagOf('3c7e1a52-9a8b-4f1d-8e2c-0b6a9d4f5e21'));
		expect(tagOf('a')).not.toBe(tagOf('b'));
	});
});

describe('Watermark', () => {
	test('new means at or after the floor and not seen; survives encoding', () => {
		const mark = new Watermark(1000);
		expect(mark.isNew('x', 999)).toBe(false);
		expect(mark.isNew('x', 1000)).toBe(true);
		mark.add('x', 1000);
		mark.add('y', 1000);
		expect(mark.isNew('x', 1000)).toBe(false);
		expect(mark.isNew('z', 1000)).toBe(true);
		const copy = Watermark.decode(mark.floor, mark.encode());
		expect(copy.isNew('x', 1000)).toBe(false);
		expect(copy.isNew('y', 1000)).toBe(false);
		expect(copy.isNew('z', 1000)).toBe(true);
	});

	test('pruning raises the floor to newest − horizon, then to the cap, never splitting a tie', () => {
		const mark = new Watermark(0);
		for (let i = 0; i < 10; i++) mark.add(`t${i}`, 100 + i);
		mark.prune(5);
		expect(mark.floor).toBe(104);
		expect(mark.size).toBe(6);
		// Ties at the cut: 3 at 200 and 3 at 300, cap 4 → only the 300s stay.
		const tied = new Watermark(0);
		for (const t of ['a', 'b', 'c']) tied.add(t, 200);
		for (const t of ['d', 'e', 'f']) tied.add(t, 300);
		tied.prune(1_000_000, 4);
		expect(tied.floor).toBe(201);
		expect(tied.size).toBe(3);
		expect(tied.isNew('a', 200)).toBe(false);
	});

	test('at most SEEN_CAP entries, under 8.6 KB encoded at the widest offsets', () => {
		const mark = new Watermark(0);
		for (let i = 0; i < 5000; i++) mark.add(tagOf(String(i)), 1_700_000_000_000 + i * 4000);
		mark.prune(6 * 3600_000);
		expect(mark.size).toBe(SEEN_CAP);
		expect(mark.encode().length).toBeLessThanOrEqual(SEEN_CAP * 17);
	});
});

describe('device ID sets', () => {
	test('round trip, sorted deltas in base 36', () => {
		expect(encodeIds([13, 2, 3])).toBe('2,1,a');
		expect([...decodeIds('2,1,a')]).toEqual([2, 3, 13]);
		const ids = Array.from({ length: 2000 }, (_, i) => 1 + i * 3);
		const text = encodeIds(ids);
		expect([...decodeIds(text)]).toEqual(ids);
		expect(text.length).toBeLessThan(2 * 2000 + 1);
		expect(decodeIds('')).toEqual(new Set());
	});
});

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
