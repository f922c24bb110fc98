/** Route table: spec paths (below /api) → handlers, keyed by the spec's operationId. */
import type { Ctx, Reply } from './http.cjs';
import { type RateKind, WRITE_OPERATIONS } from './rate.cjs';

export interface Route {
	method: string;
	/** Spec path, e.g. /v2/device/{deviceUid}. */
	pattern: string;
	operationId: string;
	handler: (ctx: Ctx) => Reply;
	/** No bearer token needed (GET /v2/system/status). */
	public?: boolean;
}

interface Compiled extends Route {
	re: RegExp;
	names: string[];
	literals: number;
	/** Read, or write with its per-operation budget (WRITE_OPERATIONS). */
	rate: RateKind;
}

export interface Match {
	route: Compiled;
	params: Record<string, string>;
}

function rateKind(operationId: string): RateKind {
	const budget = WRITE_OPERATIONS[operationId];
	return budget === undefined ? { write: false } : { write: true, budget };
}

export class Router {
	private routes: Compiled[] = [];

	add(list: Route[]): void {
		for (const r of list) {
			const names: string[] = [];
			const segs = r.pattern.split('/').filter(Boolean);
			const re = new RegExp(
				'^/' +
					segs
						.map((s) => {
							const m = /^\{(\w+)\}$/.exec(s);
							if (!m) return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
							names.push(m[1]);
							return '([^/]+)';
						})
						.join('/') +
					'/?$',
			);
			this.routes.push({ ...r, re, names, literals: segs.filter((s) => !s.startsWith('{')).length, rate: rateKind(r.operationId) });
		}
		// Literal segments win over parameters (/audit/device/macAddress/{mac} vs /audit/device/{uid}/software).
		this.routes.sort((a, b) => b.literals - a.literals);
	}

	/** Match a method and path; `allowed` lists the methods of a path matched with the wrong method. */
	match(method: string, path: string): { hit?: Match; allowed: string[] } {
		const allowed: string[] = [];
		for (const r of this.routes) {
			const m = r.re.exec(path);
			if (!m) continue;
			if (r.method !== method) {
				if (!allowed.includes(r.method)) allowed.push(r.method);
				continue;
			}
			const params: Record<string, string> = {};
			r.names.forEach((n, i) => {
				try {
					params[n] = decodeURIComponent(m[i + 1]);
				} catch {
					params[n] = m[i + 1];
				}
			});
			return { hit: { route: r, params }, allowed };
		}
		return { allowed };
	}

	get all(): readonly Route[] {
		return this.routes;
	}
}
