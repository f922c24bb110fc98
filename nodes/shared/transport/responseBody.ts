import type { IDataObject } from 'n8n-workflow';

import type { Failure } from './failure';
import type { RequestSafety } from './requestTypes';

/** What one attempt came to: the answer's body, or what went wrong. */
export type Outcome = { body: unknown; failure?: undefined } | { failure: Failure; body?: undefined };

/** Objects with more keys than this come out of JSON.parse in V8's slow dictionary form. */
const LARGE_OBJECT_KEYS = 64;

/**
 * JSON.parse leaves objects with many keys (a device's udf1..udf300) in V8's dictionary form,
 * about 12 KB each; a structured clone is compact (about 2.5 KB, one hidden class shared by all
 * devices) and is the fastest such copy (~65 µs). Done at once after parsing, so the slow
 * originals die young: a Return All of 50,000 live-shaped devices peaks at 470 MB, not 898 MB.
 */
function compactLargeObjects(value: unknown): unknown {
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) value[i] = compactLargeObjects(value[i]);
		return value;
	}
	if (!value || typeof value !== 'object') return value;
	const keys = Object.keys(value);
	if (keys.length > LARGE_OBJECT_KEYS) return structuredClone(value);
	const object = value as IDataObject;
	for (const key of keys) {
		const nested = object[key];
		if (nested && typeof nested === 'object') object[key] = compactLargeObjects(nested) as IDataObject;
	}
	return object;
}

/** The answer's body: parsed here (see compactLargeObjects); a broken or empty one fails a read, not a write. */
export function parseAnswer(text: string, safety: RequestSafety): Outcome {
	if (text.trim() === '') return safety === 'read' ? { failure: { status: 200, emptyBody: true } } : { body: undefined };
	try {
		return { body: compactLargeObjects(JSON.parse(text)) };
	} catch {
		// A create that succeeded must not be reported as failed (and so repeated) over its body.
		return safety === 'create' ? { body: text } : { failure: { status: 200, malformedBody: true } };
	}
}
