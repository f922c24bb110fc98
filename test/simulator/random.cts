/** Small seeded PRNG (mulberry32) so every run with the same seed yields the same account. */
export class Rng {
	private s: number;

	constructor(seed: number) {
		this.s = seed >>> 0 || 0x9e3779b9;
	}

	/** Derive an independent stream, e.g. per device, so data can be regenerated on demand. */
	static derive(seed: number, ...parts: number[]): Rng {
		let h = seed >>> 0;
		for (const p of parts) h = Math.imul(h ^ (p >>> 0), 0x85ebca6b) + 0x27d4eb2f;
		return new Rng(h >>> 0);
	}

	next(): number {
		this.s = (this.s + 0x6d2b79f5) >>> 0;
		let t = this.s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	bool(pTrue = 0.5): boolean {
		return this.next() < pTrue;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	hex(len: number): string {
		let out = '';
		// 7 hex digits per draw (28 bits) keeps this cheap for 50,000-device worlds.
		while (out.length < len) out += Math.floor(this.next() * 0x10000000).toString(16).padStart(7, '0');
		return out.slice(0, len);
	}

	uuid(): string {
		const h = this.hex(32);
		return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
	}
}
