import { cancelled } from './governorStop';
import type { Priority, Ticket } from './ticket';

interface Waiter {
	priority: Priority;
	resolve: () => void;
	reject: (error: Error) => void;
}

/** The account's requests in flight at once; normal work is let in before background work. */
export class ConcurrencySlots {
	/** Slots taken (by requests on the wire and by those waiting for room). */
	private inFlight = 0;
	private readonly waiting: Waiter[] = [];

	/** A slot, once one of `maxConcurrency` is free. */
	async take(ticket: Ticket, maxConcurrency: number): Promise<void> {
		// The request_rate call is asked for by a waiter that holds a slot: it needs none of its own.
		if (ticket.calibration) return;
		if (this.inFlight < maxConcurrency) {
			this.inFlight++;
			return;
		}
		const priority = ticket.priority ?? 'normal';
		const signal = ticket.signal;
		let onAbort: (() => void) | undefined;
		try {
			await new Promise<void>((resolve, reject) => {
				const waiter: Waiter = { priority, resolve, reject };
				const at = priority === 'normal' ? this.waiting.findIndex((w) => w.priority === 'background') : -1;
				if (at < 0) this.waiting.push(waiter);
				else this.waiting.splice(at, 0, waiter);
				onAbort = () => {
					const index = this.waiting.indexOf(waiter);
					if (index >= 0) {
						this.waiting.splice(index, 1);
						reject(cancelled());
					}
				};
				signal?.addEventListener('abort', onAbort, { once: true });
			});
		} finally {
			if (onAbort) signal?.removeEventListener('abort', onAbort);
		}
	}

	/** Hands the slot to the next waiter, or frees it. */
	free(ticket: Ticket): void {
		if (ticket.calibration) return;
		const next = this.waiting.shift();
		if (next) next.resolve();
		else this.inFlight--;
	}

	/** Every waiter stops with `error` (Datto blocked this IP). */
	rejectAll(error: Error): void {
		for (const waiter of this.waiting.splice(0)) waiter.reject(error);
	}
}
