/**
 * Test helper: load Datto's OpenAPI 3.1 spec (never copied into the repo: ../shared/specs, or the copy
 * jest fetched, see test/specs.cts; tests that use it run only when it is there) and
 * validate bodies against its schemas with ajv (2020-12 dialect), applying only the documented
 * live deviations:
 *  - the confirmed timestamps (dates.ts: device, alert, user) are epoch-ms numbers; the other
 *    date-time fields are the spec's strings, or numbers when validating `dates: 'epochMs'`;
 *  - any property may be null (live objects carry null for every absent value), unless
 *    validating `nulls: false` (the simulator's compact form);
 *  - pageDetails.prevPageUrl / nextPageUrl may be null (last/first page);
 *  - alertContext is discriminated by its `@class` tag (the spec's oneOf has no mapping, and every
 *    *Context would match any tagged object, so the oneOf as written can never pass): each context
 *    is validated against the schema its tag names (ALERT_CONTEXT_SCHEMAS), unknown tags fail.
 */
import { readFileSync } from 'node:fs';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ALERT_CONTEXT_SCHEMAS } from './alert-contexts.cjs';
import { CONFIRMED_EPOCH_MS, type DateForm } from './dates.cjs';
import { currentSpecFile } from '../specs.cjs';

type Json = Record<string, unknown>;

export interface SpecOperation {
	operationId: string;
	method: string;
	/** Spec path below /api, e.g. /v2/device/{deviceUid}. */
	path: string;
	op: Json;
}

const BASE_ID = 'https://datto-rmm.spec.invalid/openapi.json';

export function loadSpec(): Json {
	return JSON.parse(readFileSync(currentSpecFile(), 'utf8')) as Json;
}

export function operations(spec: Json): SpecOperation[] {
	const out: SpecOperation[] = [];
	for (const [p, item] of Object.entries(spec.paths as Record<string, Json>)) {
		for (const [m, op] of Object.entries(item)) {
			if (!['get', 'put', 'post', 'delete', 'patch'].includes(m)) continue;
			out.push({ operationId: (op as Json).operationId as string, method: m.toUpperCase(), path: p, op: op as Json });
		}
	}
	return out;
}

export interface Deviations {
	/** Form of the unconfirmed date-time fields (default 'iso', the spec's strings). */
	dates?: DateForm;
	/** Whether properties may be null, as in live objects (default true). */
	nulls?: boolean;
}

const isDateTime = (n: unknown): boolean => typeof n === 'object' && n !== null && (n as Json).type === 'string' && (n as Json).format === 'date-time';

/** Deep copy with the documented live deviations applied; `owner` is the spec schema being copied. */
function relax(node: unknown, d: Required<Deviations>, owner?: string): unknown {
	if (Array.isArray(node)) return node.map((n) => relax(n, d, owner));
	if (typeof node !== 'object' || node === null) return node;
	const o = node as Json;
	const out: Json = {};
	for (const [k, v] of Object.entries(o)) out[k] = k === 'properties' ? relaxProperties(v as Json, d, owner) : relax(v, d, owner);
	if (typeof out.$ref === 'string') {
		const ref = out.$ref;
		const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
		if (m) out.$ref = `#/components/schemas/${encodeURIComponent(m[1])}`;
	}
	return out;
}

function relaxProperties(props: Json, d: Required<Deviations>, owner?: string): Json {
	const out: Json = {};
	for (const [name, schema] of Object.entries(props)) {
		let p = relax(schema, d, owner) as Json;
		if (isDateTime(schema)) {
			const confirmed = owner !== undefined && (CONFIRMED_EPOCH_MS[owner] ?? []).includes(name);
			if (confirmed || d.dates === 'epochMs') p = { type: 'number' };
		}
		out[name] = d.nulls ? { anyOf: [p, { type: 'null' }] } : p;
	}
	return out;
}

function alertContextSchema(): Json {
	const tags = Object.keys(ALERT_CONTEXT_SCHEMAS);
	return {
		type: 'object',
		required: ['@class'],
		properties: { '@class': { enum: tags } },
		allOf: tags.map((t) => ({
			if: { properties: { '@class': { const: t } } },
			then: { $ref: `#/components/schemas/${encodeURIComponent(ALERT_CONTEXT_SCHEMAS[t])}` },
		})),
	};
}

export class SpecValidator {
	readonly spec: Json;
	readonly ops: SpecOperation[];
	private ajv: Ajv2020;
	private cache = new Map<string, ValidateFunction>();

	readonly deviations: Required<Deviations>;

	constructor(deviations: Deviations = {}, spec: Json = loadSpec()) {
		this.spec = spec;
		this.ops = operations(spec);
		this.deviations = { dates: deviations.dates ?? 'iso', nulls: deviations.nulls ?? true };
		this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
		addFormats(this.ajv);
		const schemas: Record<string, Json> = {};
		for (const [name, schema] of Object.entries((spec.components as Json).schemas as Json)) schemas[name] = relax(schema, this.deviations, name) as Json;
		const page = schemas.PaginationData.properties as Record<string, Json>;
		page.prevPageUrl = { type: ['string', 'null'] };
		page.nextPageUrl = { type: ['string', 'null'] };
		const context = alertContextSchema();
		(schemas.Alert.properties as Record<string, Json>).alertContext = this.deviations.nulls ? { anyOf: [context, { type: 'null' }] } : context;
		// Names keep their spaces; the $refs carry them URI-encoded (ajv decodes the fragment).
		this.ajv.addSchema({ $id: BASE_ID, components: { schemas } });
	}

	op(operationId: string): SpecOperation {
		const o = this.ops.find((x) => x.operationId === operationId);
		if (!o) throw new Error(`operation ${operationId} is not in the spec`);
		return o;
	}

	/**
	 * The success body's schema: the 200's, or else (most operations declare no 200) the one their
	 * 401/403/404/400 responses reference. undefined = the spec declares no body.
	 */
	responseSchema(operationId: string): Json | undefined {
		const responses = this.op(operationId).op.responses as Record<string, Json>;
		for (const code of ['200', '201', '401', '403', '404', '400']) {
			const content = responses[code]?.content as Record<string, Json> | undefined;
			if (!content) continue;
			const first = Object.values(content)[0];
			if (first?.schema) return first.schema as Json;
		}
		return undefined;
	}

	requestSchema(operationId: string): Json | undefined {
		const rb = this.op(operationId).op.requestBody as Json | undefined;
		const content = rb?.content as Record<string, Json> | undefined;
		const first = content ? Object.values(content)[0] : undefined;
		return first?.schema as Json | undefined;
	}

	private compile(schema: Json): ValidateFunction {
		const key = JSON.stringify(schema);
		let v = this.cache.get(key);
		if (!v) {
			const rel = relax(schema, this.deviations) as Json;
			// Point local refs at the registered spec document.
			const fix = (n: unknown): unknown => {
				if (Array.isArray(n)) return n.map(fix);
				if (typeof n !== 'object' || n === null) return n;
				const out: Json = {};
				for (const [k, val] of Object.entries(n as Json)) out[k] = k === '$ref' && typeof val === 'string' && val.startsWith('#') ? BASE_ID + val : fix(val);
				return out;
			};
			v = this.ajv.compile(fix(rel) as Json);
			this.cache.set(key, v);
		}
		return v;
	}

	/** Violations as readable lines (empty = valid). */
	validate(schema: Json, data: unknown, maxLines = 25): string[] {
		const v = this.compile(schema);
		if (v(data)) return [];
		const errs = (v.errors ?? []) as ErrorObject[];
		// if/then wrappers add a noise line per failure: keep the specific ones.
		const lines = errs
			.filter((e) => e.keyword !== 'if')
			.map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`);
		const unique = [...new Set(lines)];
		return unique.length > maxLines ? [...unique.slice(0, maxLines), `… and ${unique.length - maxLines} more`] : unique;
	}

	validateNamed(schemaName: string, data: unknown): string[] {
		return this.validate({ $ref: `#/components/schemas/${schemaName}` }, data);
	}
}
