/**
 * What each trigger node remembers between deliveries: which deliveries it is handling now and
 * which started its workflow (so a copy starts nothing and is never lost), and when it last logged
 * a refusal (so strangers cannot flood the log).
 *
 * Kept in this module's memory, not in the workflow's static data: n8n loads a workflow's static
 * data from its database for each webhook request and saves it after answering, so two copies of
 * a delivery arriving together would both find nothing and both start. Here a delivery is claimed
 * synchronously before anything is awaited, so the second copy sees the first at once; nothing is
 * written to the database per alert either. The price: the memory is per n8n process and is
 * forgotten on restart (a copy that reaches another webhook process, or comes after a restart,
 * starts a second execution).
 *
 * Bounded: each trigger remembers the last STARTED_CAPACITY deliveries that started (the oldest is
 * forgotten first), and at most TRIGGER_CAPACITY triggers are remembered (the one idle longest is
 * forgotten first). A delivery in flight is never forgotten: there are only as many as requests
 * n8n is handling at once, and forgetting one would let its copy start a second execution.
 */

/** Deliveries that started, remembered per trigger; a copy comes seconds or minutes later. */
export const STARTED_CAPACITY = 10_000;
/** Triggers remembered per n8n process, at most. */
export const TRIGGER_CAPACITY = 64;
/** At most one log line about refused deliveries per trigger in this time. */
export const REFUSAL_LOG_INTERVAL_MS = 60_000;

/** Where a delivery stands for its trigger. */
export type Claim = 'claimed' | 'inFlight' | 'started';

export class DeliveryMemory {
	private readonly inFlight = new Set<string>();
	/** Keys in the order they started (a Map keeps insertion order), oldest first. */
	private readonly startedKeys = new Map<string, true>();

	constructor(readonly capacity = STARTED_CAPACITY) {}

	/**
	 * The key of one delivery: its event and alert UID. Datto's alert UIDs are UUIDs, and a UUID is
	 * the same whatever the case of its hex digits (RFC 9562 reads them case-insensitively), so
	 * the key is in lower case: the same alert written two ways is one delivery.
	 */
	static keyOf(event: string, alertUid: string): string {
		return `${event}|${alertUid.toLowerCase()}`;
	}

	/** Claims a delivery for this request, unless it already started or another request holds it. */
	claim(key: string): Claim {
		if (this.startedKeys.has(key)) return 'started';
		if (this.inFlight.has(key)) return 'inFlight';
		this.inFlight.add(key);
		return 'claimed';
	}

	/** The claimed delivery started its workflow: remember it (the oldest may be forgotten). */
	started(key: string): void {
		if (!this.inFlight.delete(key)) return;
		this.startedKeys.set(key, true);
		while (this.startedKeys.size > this.capacity) this.startedKeys.delete(this.startedKeys.keys().next().value!);
	}

	/** The claimed delivery started nothing (failed, or filtered out): a copy may try again. */
	release(key: string): void {
		this.inFlight.delete(key);
	}

	get size(): { inFlight: number; started: number } {
		return { inFlight: this.inFlight.size, started: this.startedKeys.size };
	}

	get busy(): boolean {
		return this.inFlight.size > 0;
	}
}

/**
 * Lets one log line about refused deliveries through per interval; counts the others, so the
 * next line says how many there were.
 */
export class RefusalLog {
	private lastLineAt = Number.NEGATIVE_INFINITY;
	private unlogged = 0;

	constructor(readonly intervalMs = REFUSAL_LOG_INTERVAL_MS) {}

	/** For a refusal at `now`: undefined when it stays unlogged, else how many earlier ones were not logged. */
	admit(now: number): { unlogged: number } | undefined {
		if (now - this.lastLineAt < this.intervalMs) {
			this.unlogged++;
			return undefined;
		}
		const line = { unlogged: this.unlogged };
		this.lastLineAt = now;
		this.unlogged = 0;
		return line;
	}
}

export interface TriggerMemory {
	deliveries: DeliveryMemory;
	refusals: RefusalLog;
}

/** Each trigger node's memory, by trigger (mode, workflow, node), the most recently used last. */
export class TriggerMemories {
	private readonly triggers = new Map<string, TriggerMemory>();

	constructor(readonly capacity = TRIGGER_CAPACITY) {}

	static keyOf(parts: { mode: string; workflowId: string; nodeId: string }): string {
		return `${parts.mode}|${parts.workflowId}|${parts.nodeId}`;
	}

	of(trigger: string): TriggerMemory {
		let memory = this.triggers.get(trigger);
		if (memory) this.triggers.delete(trigger);
		else memory = { deliveries: new DeliveryMemory(), refusals: new RefusalLog() };
		this.triggers.set(trigger, memory);
		for (const [key, other] of this.triggers) {
			if (this.triggers.size <= this.capacity) break;
			// The least recently used first; a trigger with a delivery in flight stays.
			if (other !== memory && !other.deliveries.busy) this.triggers.delete(key);
		}
		return memory;
	}

	get size(): number {
		return this.triggers.size;
	}
}

/** The process's memories of every Datto RMM webhook trigger node. */
export const triggerMemories = new TriggerMemories();
