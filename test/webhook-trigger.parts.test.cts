/**
 * The Datto RMM Webhook Trigger's parts on their own: the secret comparison (every character,
 * whatever matched), the duplicate memory's bound, and the simulator's filling of Datto variables.
 */
import { secretMatches } from '../nodes/DattoRmmWebhookTrigger/delivery';
import { DeliveryMemory, MEMORY_CAPACITY, deliveryMemory } from '../nodes/DattoRmmWebhookTrigger/memory';
import { bodyText } from '../nodes/DattoRmmWebhookTrigger/bodies';
import { fillVariables } from './simulator/webhooks.cjs';

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

describe('DeliveryMemory', () => {
	test('holds at most its capacity, forgetting the oldest first', () => {
		const memory = new DeliveryMemory(100);
		for (let i = 0; i < 250; i++) {
			expect(memory.claim(`k${i}`)).toBe(true);
			memory.started(`k${i}`);
			expect(memory.size).toBeLessThanOrEqual(100);
		}
		expect(memory.size).toBe(100);
		expect(memory.has('k149')).toBe(false);
		expect(memory.has('k150')).toBe(true);
		expect(memory.claim('k249')).toBe(false);
		expect(memory.claim('k0')).toBe(true);
	});

	test('a claim is exclusive until released; a started delivery is never released', () => {
		const memory = new DeliveryMemory(10);
		expect(memory.claim('a')).toBe(true);
		expect(memory.claim('a')).toBe(false);
		memory.release('a');
		expect(memory.claim('a')).toBe(true);
		memory.started('a');
		memory.release('a');
		expect(memory.claim('a')).toBe(false);
	});

	test(`the process's memory is bounded at ${MEMORY_CAPACITY} deliveries, keyed by a fixed-size tag`, () => {
		expect(deliveryMemory.capacity).toBe(MEMORY_CAPACITY);
		const a = DeliveryMemory.keyOf({ mode: 'webhook', workflowId: 'w1', nodeId: 'n1', event: 'opened', alertUid: 'x'.repeat(200) });
		const b = DeliveryMemory.keyOf({ mode: 'webhook', workflowId: 'w1', nodeId: 'n1', event: 'resolved', alertUid: 'x'.repeat(200) });
		expect(a).toHaveLength(10);
		expect(a).not.toBe(b);
	});
});

describe("the simulator's Datto variables", () => {
	test('fills known variables, JSON-escaped, and leaves unknown ones as written', () => {
		const filled = fillVariables(bodyText('opened').replace('"[platform]"', '"[platform]", "other": "[not_a_variable]"'), {
			alert_uid: 'u-1',
			alert_message: 'Service "Spooler" is "stopped"\\now',
			alert_priority: 'High',
			device_uid: 'd-1',
			device_hostname: 'PC-1',
			site_uid: 's-1',
			site_name: 'Main "HQ"',
			platform: 'Simulator',
		});
		expect(JSON.parse(filled)).toEqual({
			event: 'opened',
			alertUid: 'u-1',
			priority: 'High',
			message: 'Service "Spooler" is "stopped"\\now',
			deviceUid: 'd-1',
			deviceHostname: 'PC-1',
			siteUid: 's-1',
			siteName: 'Main "HQ"',
			platform: 'Simulator',
			other: '[not_a_variable]',
		});
	});
});
