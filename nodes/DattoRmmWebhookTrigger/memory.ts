/**
 * Which deliveries already started a workflow, so a repeated delivery (Datto or a proxy retrying)
 * starts nothing.
 *
 * Kept in this module's memory, not in the workflow's static data: n8n loads a workflow's static
 * data from its database for each webhook request and saves it after answering, so two copies of
 * a delivery arriving together would both find nothing and both start. Here a delivery is claimed
 * synchronously before anything is awaited, so the second copy sees the first at once; nothing is
 * written to the database per alert either. The price: the memory is per n8n process and is
 * forgotten on restart (a copy that arrives at another webhook process, or after a restart, starts
 * a second execution).
 *
 * Bounded by count: the most recent MEMORY_CAPACITY deliveries of all Datto RMM webhook triggers
 * of the process together; the oldest is forgotten first. An alert UID is never reused, so an
 * (event, alert UID) pair legitimately arrives once; a copy comes seconds or minutes later.
 */
import { tagOf } from '../shared/tag';

export const MEMORY_CAPACITY = 10_000;

type Mark = 'claimed' | 'started';

export class DeliveryMemory {
	private readonly marks = new Map<string, Mark>();

	constructor(readonly capacity = MEMORY_CAPACITY) {}

	/** A short, fixed-size key for one delivery of one trigger node. */
	static keyOf(parts: { mode: string; workflowId: string; nodeId: string; event: string; alertUid: string }): string {
		return tagOf(`${parts.mode}|${parts.workflowId}|${parts.nodeId}|${parts.event}|${parts.alertUid}`);
	}

	/** Claims a delivery; false when it already started a workflow or is being handled now. */
	claim(key: string): boolean {
		if (this.marks.has(key)) return false;
		while (this.marks.size >= this.capacity) this.marks.delete(this.marks.keys().next().value!);
		this.marks.set(key, 'claimed');
		return true;
	}

	/** The claimed delivery started its workflow: remember it. */
	started(key: string): void {
		if (this.marks.has(key)) this.marks.set(key, 'started');
	}

	/** The claimed delivery failed before starting anything: a copy of it may try again. */
	release(key: string): void {
		if (this.marks.get(key) === 'claimed') this.marks.delete(key);
	}

	get size(): number {
		return this.marks.size;
	}

	has(key: string): boolean {
		return this.marks.has(key);
	}
}

/** The process's one memory, shared by every Datto RMM webhook trigger node. */
export const deliveryMemory = new DeliveryMemory();
