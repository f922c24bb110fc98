/**
 * The Datto RMM Webhook Trigger's memories on their own: the duplicate memory's bounds (in-flight
 * deliveries never forgotten) and the refusal log's rate.
 */
import { DeliveryMemory, RefusalLog, STARTED_CAPACITY, TRIGGER_CAPACITY, TriggerMemories, triggerMemories } from '../../../nodes/DattoRmmWebhookTrigger/memory';

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
