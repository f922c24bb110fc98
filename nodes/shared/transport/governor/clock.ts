import { sleep } from 'n8n-workflow';

import { cancelled } from './governorStop';

/** A time source: the real one, or a virtual one in tests. */
export interface Clock {
	now(): number;
	/** Resolves after `ms`, or rejects at once when `signal` aborts. */
	wait(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
	now: () => Date.now(),
	wait: (ms, signal) => {
		if (!signal) return sleep(ms);
		if (signal.aborted) return Promise.reject(cancelled());
		return new Promise<void>((resolve, reject) => {
			const onAbort = () => reject(cancelled());
			signal.addEventListener('abort', onAbort, { once: true });
			// n8n-workflow's sleep takes the signal since 2.x (older ones wait on; we answer at once).
			sleep(ms, signal).then(
				() => {
					signal.removeEventListener('abort', onAbort);
					resolve();
				},
				() => undefined,
			);
		});
	},
};
