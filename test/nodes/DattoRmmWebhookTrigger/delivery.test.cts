/**
 * The Datto RMM Webhook Trigger's secret comparison on its own: only the exact secret matches, and
 * every character is read whatever matched. Deliveries end to end: DattoRmmWebhookTrigger.node.test.cts.
 */
import { secretMatches } from '../../../nodes/DattoRmmWebhookTrigger/delivery';

describe('secretMatches', () => {
	const secret = 'a-long-shared-secret-0123456789';

	test('only the exact secret matches', () => {
		expect(secretMatches(secret, secret)).toBe(true);
		for (const other of ['', secret.slice(0, -1), `${secret}x`, secret.toUpperCase(), `x${secret.slice(1)}`, 'é'.repeat(secret.length)]) {
			expect(secretMatches(secret, other)).toBe(false);
		}
		expect(secretMatches(secret, undefined)).toBe(false);
		expect(secretMatches('', '')).toBe(false);
	});

	/** A presented value that counts how many of its characters the comparison reads. */
	function counted(value: string): { value: string; reads: () => number } {
		let reads = 0;
		class Counting extends String {
			charCodeAt(index: number): number {
				reads++;
				return super.charCodeAt(index);
			}
		}
		return { value: new Counting(value) as unknown as string, reads: () => reads };
	}

	test('reads every character of the secret whether the guess is wrong at the start, at the end, or right', () => {
		const guesses = [`X${secret.slice(1)}`, `${secret.slice(0, -1)}X`, secret, 'short', `${secret}-and-more`];
		const reads = guesses.map((g) => {
			const c = counted(g);
			secretMatches(secret, c.value);
			return c.reads();
		});
		expect(reads).toEqual(guesses.map(() => secret.length));
	});
});
