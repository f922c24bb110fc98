/**
 * What the Datto RMM Trigger stores between polls, needing no server: the watermark and the device
 * ID sets.
 */
import { decodeIds, encodeIds, SEEN_CAP, Watermark } from '../../../nodes/DattoRmmTrigger/state';
import { tagOf } from '../../../nodes/DattoRmmTrigger/tag';

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
