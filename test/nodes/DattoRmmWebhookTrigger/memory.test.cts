/**
 * The Datto RMM Webhook Trigger's parts on their own: the secret comparison (every character,
 * whatever matched), the duplicate memory's bounds (in-flight deliveries never forgotten), the
 * refusal log's rate, and the simulator's filling of Datto variables.
 */
import { secretMatches } from '../../../nodes/DattoRmmWebhookTrigger/delivery';
import { DeliveryMemory, RefusalLog, STARTED_CAPACITY, TRIGGER_CAPACITY, TriggerMemories, triggerMemories } from '../../../nodes/DattoRmmWebhookTrigger/memory';
import { bodyText } from '../../../nodes/DattoRmmWebhookTrigger/bodies';
import { fillVariables } from '../../simulator/webhooks.cjs';

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
	test('remembers at most its capacity of started deliveries, forgetting the oldest first', () => {
		const memory = new DeliveryMemory(100);
		for (let i = 0; i < 250; i++) {
			expect(memory.claim(`k${i}`)).toBe('claimed');
			memory.started(`k${i}`);
			expect(memory.size.started).toBeLessThanOrEqual(100);
		}
		expect(memory.size).toEqual({ inFlight: 0, started: 100 });
		expect(memory.claim('k249')).toBe('started');
		expect(memory.claim('k150')).toBe('started');
		expect(memory.claim('k149')).toBe('claimed');
	});

	test('a delivery in flight is never forgotten, however many start meanwhile', () => {
		const memory = new DeliveryMemory(10);
		expect(memory.claim('slow')).toBe('claimed');
		for (let i = 0; i < 1000; i++) {
			memory.claim(`k${i}`);
			memory.started(`k${i}`);
		}
		expect(memory.claim('slow')).toBe('inFlight');
		expect(memory.size).toEqual({ inFlight: 1, started: 10 });
	});

	test('claimed: exclusive until released or started; started: never released', () => {
		const memory = new DeliveryMemory(10);
		expect(memory.claim('a')).toBe('claimed');
		expect(memory.claim('a')).toBe('inFlight');
		memory.release('a');
		expect(memory.claim('a')).toBe('claimed');
		memory.started('a');
		memory.release('a');
		expect(memory.claim('a')).toBe('started');
	});

	test('the key is the event and the alert UID in lower case (UUIDs are case-insensitive)', () => {
		const uid = '3C7E1A52-9A8B-4F1D-8E2C-0B6A9D4F5E21';
		expect(DeliveryMemory.keyOf('opened', uid)).toBe(DeliveryMemory.keyOf('opened', uid.toLowerCase()));
		expect(DeliveryMemory.keyOf('opened', uid)).not.toBe(DeliveryMemory.keyOf('resolved', uid));
	});
});

describe('TriggerMemories', () => {
	test(`each trigger has its own memory; at most ${TRIGGER_CAPACITY} triggers by default, the idle longest forgotten first, never one with a delivery in flight`, () => {
		expect(triggerMemories.capacity).toBe(TRIGGER_CAPACITY);
		expect(new DeliveryMemory().capacity).toBe(STARTED_CAPACITY);
		const memories = new TriggerMemories(3);
		const key = (n: number) => TriggerMemories.keyOf({ mode: 'webhook', workflowId: `w${n}`, nodeId: 'n' });
		memories.of(key(1)).deliveries.claim('in flight');
		memories.of(key(2)).deliveries.claim('x');
		memories.of(key(2)).deliveries.started('x');
		memories.of(key(3));
		memories.of(key(4));
		expect(memories.size).toBe(3);
		// Trigger 1 was idle longest but has a delivery in flight: trigger 2 went instead.
		expect(memories.of(key(1)).deliveries.claim('in flight')).toBe('inFlight');
		expect(memories.of(key(2)).deliveries.claim('x')).toBe('claimed');
		expect(memories.size).toBe(3);
	});
});

describe('RefusalLog', () => {
	test('one line per interval; the next line counts the refusals left unlogged', () => {
		const log = new RefusalLog(60_000);
		expect(log.admit(0)).toEqual({ unlogged: 0 });
		for (let t = 1; t <= 500; t++) expect(log.admit(t * 100)).toBeUndefined();
		expect(log.admit(60_000)).toEqual({ unlogged: 500 });
		expect(log.admit(60_001)).toBeUndefined();
		expect(log.admit(200_000)).toEqual({ unlogged: 1 });
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
