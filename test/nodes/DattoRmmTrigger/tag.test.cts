/**
 * The Datto RMM Trigger's ID tag: the short, stable stand-in for an ID in what the trigger stores.
 */
import { tagOf } from '../../../nodes/DattoRmmTrigger/tag';
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
