/**
 * Short fixed-size tags for IDs, so what the trigger remembers per alert or entry (its watermark,
 * its state key) stays small whatever the ID's length.
 */

/** A short, stable tag for an ID (two mixed 32-bit lanes, 51 bits, 10 base-36 characters). */
export function tagOf(id: string): string {
	let a = 0x811c9dc5;
	let b = 0x27d4eb2f;
	for (let i = 0; i < id.length; i++) {
		const c = id.charCodeAt(i);
		a = Math.imul(a ^ c, 0x01000193);
		b = Math.imul(b ^ c, 0x5bd1e995);
		b ^= b >>> 15;
	}
	// Final avalanche of each lane, so IDs that differ in one character differ everywhere.
	a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
	a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
	a ^= a >>> 16;
	b = Math.imul(b ^ (b >>> 16), 0x7feb352d);
	b = Math.imul(b ^ (b >>> 15), 0x846ca68b);
	b ^= b >>> 16;
	const value = (a >>> 13) * 2 ** 32 + (b >>> 0);
	return value.toString(36).padStart(10, '0');
}
