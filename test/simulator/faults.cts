/**
 * Fault injection: random shares of 5xx / dropped connections / malformed bodies (seeded, so a
 * run is repeatable), and one-shot scripted faults consumed in order by the first matching request.
 */
import { springError } from './errors.cjs';
import type { Reply } from './http.cjs';
import { Rng } from './random.cjs';
import type { FaultSettings, ScriptedFault } from './types.cjs';

export type RandomFault = { kind: 'drop' } | { kind: 'reply'; reply: Reply };

interface Queued {
	f: ScriptedFault;
	left: number;
}

export class FaultEngine {
	private queue: Queued[] = [];
	private rng: Rng;

	constructor(seed: number) {
		this.rng = Rng.derive(seed, 0xfa17);
	}

	inject(f: ScriptedFault): void {
		this.queue.push({ f, left: f.times ?? 1 });
	}

	clearScripted(): void {
		this.queue = [];
	}

	get pending(): number {
		return this.queue.length;
	}

	/** Take the first queued fault matching this request (consumes one of its `times`). */
	take(method: string, path: string): ScriptedFault | undefined {
		const i = this.queue.findIndex(({ f }) => {
			if (f.method && f.method.toUpperCase() !== method) return false;
			if (f.path === undefined) return true;
			return typeof f.path === 'string' ? f.path === path : f.path.test(path);
		});
		if (i < 0) return undefined;
		const q = this.queue[i];
		if (--q.left <= 0) this.queue.splice(i, 1);
		return q.f;
	}

	/** Draw the random faults for one /api request (before it is processed). */
	draw(s: FaultSettings, path: string): RandomFault | undefined {
		if (s.dropConnectionRate > 0 && this.rng.next() < s.dropConnectionRate) return { kind: 'drop' };
		if (s.serverErrorRate > 0 && this.rng.next() < s.serverErrorRate) {
			const status = this.rng.pick([500, 502, 503]);
			if (status === 500) return { kind: 'reply', reply: springError(500, 'Internal Server Error', path) };
			// 502/503 come from the load balancer in front of the API: HTML, not JSON.
			const title = status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable';
			return {
				kind: 'reply',
				reply: { status, raw: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`, contentType: 'text/html' },
			};
		}
		if (s.malformedBodyRate > 0 && this.rng.next() < s.malformedBodyRate) {
			const raw = this.rng.pick(['{"pageDetails":{"count":250,"totalCount":', '{"devices":[{"id":1,"uid":"', '<!DOCTYPE html><html><body>Error</body></html>', '']);
			return { kind: 'reply', reply: { status: 200, raw, contentType: 'application/json;charset=UTF-8' } };
		}
		return undefined;
	}
}
