/**
 * Leak checks: everything a user could see (outputs, errors with their causes, stacks, run data)
 * serialized to one string, searched for secrets in every encoding a server could echo them in.
 */

/** Serializes a value deeply, including Errors' non-enumerable fields and `cause` chains. */
export function serializeAll(value: unknown): string {
	const seen = new WeakSet<object>();
	const walk = (v: unknown, depth: number): unknown => {
		if (depth > 40) return '[deep]';
		if (typeof v === 'bigint') return v.toString();
		if (typeof v === 'function') return `[function ${v.name}]`;
		if (typeof v !== 'object' || v === null) return v;
		if (seen.has(v)) return '[circular]';
		seen.add(v);
		if (Buffer.isBuffer(v)) return v.toString('utf8');
		if (v instanceof Map) return [...v.entries()].map((e) => walk(e, depth + 1));
		if (v instanceof Set) return [...v.values()].map((e) => walk(e, depth + 1));
		if (Array.isArray(v)) return v.map((e) => walk(e, depth + 1));
		const out: Record<string, unknown> = {};
		const keys = new Set<string>(Object.keys(v));
		if (v instanceof Error) {
			for (const k of Object.getOwnPropertyNames(v)) keys.add(k);
			for (const k of ['name', 'message', 'stack', 'cause', 'description', 'messages', 'context']) keys.add(k);
		}
		for (const k of keys) {
			let child: unknown;
			try {
				child = (v as Record<string, unknown>)[k];
			} catch {
				child = '[unreadable]';
			}
			if (child !== undefined) out[k] = walk(child, depth + 1);
		}
		return out;
	};
	return JSON.stringify(walk(value, 0));
}

/** The secrets (raw, URL- or form-encoded in either hex case, JSON-escaped, base64) that occur in any of the values. */
export function findSecrets(values: unknown, secrets: Array<string | undefined>): string[] {
	const text = serializeAll(values);
	const found: string[] = [];
	for (const secret of secrets) {
		if (!secret) continue;
		const uri = encodeURIComponent(secret);
		const lowerHex = uri.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase());
		const forms = new Set([
			secret,
			uri,
			lowerHex,
			// Form encoding: spaces as "+", in either hex case.
			uri.replace(/%20/g, '+'),
			lowerHex.replace(/%20/g, '+'),
			new URLSearchParams({ s: secret }).toString().slice(2),
			JSON.stringify(secret).slice(1, -1),
			Buffer.from(secret).toString('base64'),
			Buffer.from(secret).toString('base64').replace(/=+$/, ''),
		]);
		if ([...forms].some((form) => text.includes(form))) found.push(secret);
	}
	return found;
}
