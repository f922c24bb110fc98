/**
 * Reading Datto's OpenAPI documents for the spec tools (sync-openapi, spec-diff): loading and
 * validating a file, listing its operations, resolving `$ref`s, finding which operations reach
 * which component schemas, and reducing a schema to a form in which OpenAPI 3.0 and 3.1 spellings
 * of the same thing (nullable vs type arrays, a null member in anyOf/oneOf, const vs enum, ...)
 * are equal.
 */
import * as fs from 'node:fs';

export type Json = Record<string, any>;

/** A spec file that cannot be used: missing, unreadable, not JSON, or not an OpenAPI document. */
export class SpecError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SpecError';
	}
}

export interface SpecDocument {
	/** Where it came from (a file name or URL), for messages. */
	source: string;
	doc: Json;
	/** `openapi`, e.g. 3.0.1 or 3.1.0. */
	openapi: string;
	/** `info.version`, e.g. "2.0.0 (Build 201_aadf6556...)". */
	version: string;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks that a parsed value is an OpenAPI document (has `openapi`, `paths` and `info.version`). */
export function validateSpec(value: unknown, source: string): SpecDocument {
	if (!isObject(value)) throw new SpecError(`${source} is not an OpenAPI document: it is not a JSON object`);
	const missing: string[] = [];
	if (typeof value.openapi !== 'string') missing.push('"openapi" (the OpenAPI version, e.g. 3.1.0)');
	if (!isObject(value.paths)) missing.push('"paths"');
	if (!isObject(value.info) || typeof value.info.version !== 'string') missing.push('"info.version"');
	if (missing.length) {
		const hint = typeof value.swagger === 'string' ? ' (it is a Swagger 2.0 document; Datto serves OpenAPI 3)' : '';
		throw new SpecError(`${source} is not an OpenAPI document: it has no ${missing.join(', no ')}${hint}`);
	}
	if (!/^3\./.test(value.openapi)) {
		throw new SpecError(`${source} is OpenAPI ${value.openapi}: these tools read OpenAPI 3.0 and 3.1 documents`);
	}
	return { source, doc: value, openapi: value.openapi, version: value.info.version };
}

/** Parses and validates a spec's text. */
export function parseSpec(text: string, source: string): SpecDocument {
	let value: unknown;
	try {
		value = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch (error) {
		const trimmed = text.trimStart();
		const what = trimmed.startsWith('<') ? ' (it looks like HTML, e.g. an error or login page)' : '';
		throw new SpecError(`${source} is not an OpenAPI document: it is not valid JSON${what}: ${(error as Error).message}`);
	}
	return validateSpec(value, source);
}

/** Reads, parses and validates a spec file. */
export function readSpec(file: string): SpecDocument {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new SpecError(`${file}: no such file`);
		if (code === 'EISDIR') throw new SpecError(`${file} is a directory, not a spec file`);
		throw new SpecError(`${file} cannot be read: ${(error as Error).message}`);
	}
	return parseSpec(text, file);
}

// ---------------------------------------------------------------------------------------------
// References

/** The unescaped segments of a local JSON pointer (`#/components/schemas/Device%20Network%20Interface`). */
export function pointerSegments(ref: string): string[] | undefined {
	if (!ref.startsWith('#')) return undefined;
	let fragment = ref.slice(1);
	try {
		fragment = decodeURIComponent(fragment);
	} catch {
		// a lone % is kept as it is
	}
	if (fragment === '') return [];
	if (!fragment.startsWith('/')) return undefined;
	return fragment
		.slice(1)
		.split('/')
		.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The component schema a `$ref` names (decoded: names may contain spaces, written raw or as %20). */
export function schemaRefName(ref: unknown): string | undefined {
	if (typeof ref !== 'string') return undefined;
	const segments = pointerSegments(ref);
	if (segments?.length === 3 && segments[0] === 'components' && segments[1] === 'schemas') return segments[2];
	return undefined;
}

/** What a local `$ref` points at in the document, or undefined. */
export function resolvePointer(doc: Json, ref: string): unknown {
	const segments = pointerSegments(ref);
	if (!segments) return undefined;
	let node: unknown = doc;
	for (const segment of segments) {
		if (Array.isArray(node)) node = node[Number(segment)];
		else if (isObject(node)) node = node[segment];
		else return undefined;
	}
	return node;
}

/** Follows `$ref`s of a parameter, request body or response object (not schemas: they keep theirs). */
function deref(doc: Json, value: unknown): Json | undefined {
	let node = value;
	for (let i = 0; i < 20 && isObject(node) && typeof node.$ref === 'string'; i++) node = resolvePointer(doc, node.$ref);
	return isObject(node) ? node : undefined;
}

export function componentSchemas(doc: Json): Record<string, Json> {
	return isObject(doc.components?.schemas) ? (doc.components.schemas as Record<string, Json>) : {};
}

/** A component schema by (decoded) name. */
export function componentSchema(doc: Json, name: string): Json | undefined {
	const schema = componentSchemas(doc)[name];
	return isObject(schema) ? schema : undefined;
}

// ---------------------------------------------------------------------------------------------
// Operations

export interface SpecParameter {
	name: string;
	in: string;
	required: boolean;
	deprecated: boolean;
	schema: unknown;
	/** Identity across versions: `query:name`, or `path:#n` for the n-th placeholder of the path. */
	key: string;
}

export interface SpecOperation {
	/** Identity across versions: method and path with placeholder names blanked (`GET /v2/device/{}`). */
	key: string;
	method: string;
	path: string;
	/** `GET /v2/device/{deviceUid}`. */
	label: string;
	operationId?: string;
	deprecated: boolean;
	parameters: Map<string, SpecParameter>;
	requestBody?: { required: boolean; content: Record<string, unknown> };
	/** By status code, then media type: the schema (undefined when the response has no body). */
	responses: Record<string, Record<string, unknown>>;
}

export function pathKey(method: string, path: string): string {
	return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}')}`;
}

function placeholders(path: string): string[] {
	return [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
}

/** Every operation of the document, by key. */
export function operationsOf(doc: Json): Map<string, SpecOperation> {
	const out = new Map<string, SpecOperation>();
	for (const [path, rawItem] of Object.entries<unknown>(doc.paths ?? {})) {
		const item = deref(doc, rawItem);
		if (!item) continue;
		const holes = placeholders(path);
		for (const method of HTTP_METHODS) {
			const op = item[method];
			if (!isObject(op)) continue;
			const parameters = new Map<string, SpecParameter>();
			for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
				const p = deref(doc, raw);
				if (!p || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
				const index = p.in === 'path' ? holes.indexOf(p.name) : -1;
				const key = p.in === 'path' && index >= 0 ? `path:#${index}` : `${p.in}:${p.name}`;
				const content = isObject(p.content) ? Object.values(p.content)[0] : undefined;
				parameters.set(key, {
					name: p.name,
					in: p.in,
					required: p.required === true || p.in === 'path',
					deprecated: p.deprecated === true,
					schema: p.schema ?? (isObject(content) ? content.schema : undefined),
					key,
				});
			}
			const body = deref(doc, op.requestBody);
			const responses: Record<string, Record<string, unknown>> = {};
			for (const [status, rawResponse] of Object.entries<unknown>(op.responses ?? {})) {
				const response = deref(doc, rawResponse);
				const content: Record<string, unknown> = {};
				for (const [type, media] of Object.entries<unknown>(response?.content ?? {})) {
					content[type] = isObject(media) ? media.schema : undefined;
				}
				responses[status] = content;
			}
			const key = pathKey(method, path);
			out.set(key, {
				key,
				method: method.toUpperCase(),
				path,
				label: `${method.toUpperCase()} ${path}`,
				operationId: typeof op.operationId === 'string' ? op.operationId : undefined,
				deprecated: op.deprecated === true,
				parameters,
				requestBody: body
					? {
							required: body.required === true,
							content: Object.fromEntries(
								Object.entries<unknown>(body.content ?? {}).map(([type, media]) => [type, isObject(media) ? media.schema : undefined]),
							),
						}
					: undefined,
				responses,
			});
		}
	}
	return out;
}

export function countOperations(doc: Json): number {
	return operationsOf(doc).size;
}

// ---------------------------------------------------------------------------------------------
// Which operations reach which schemas

/** Names of the component schemas a value refers to directly (anywhere inside it). */
export function directRefs(value: unknown, into = new Set<string>()): Set<string> {
	if (Array.isArray(value)) {
		for (const v of value) directRefs(v, into);
	} else if (isObject(value)) {
		for (const [k, v] of Object.entries(value)) {
			if (k === '$ref' || k === '$dynamicRef') {
				const name = schemaRefName(v);
				if (name !== undefined) into.add(name);
			} else if (k === 'mapping' && isObject(v)) {
				// discriminator mapping values are refs (or bare schema names)
				for (const target of Object.values(v)) {
					const name = typeof target === 'string' ? (schemaRefName(target) ?? (target.includes('/') ? undefined : target)) : undefined;
					if (name !== undefined) into.add(name);
				}
			} else if (k !== 'example' && k !== 'examples' && k !== 'enum' && k !== 'const' && k !== 'default') {
				directRefs(v, into);
			}
		}
	}
	return into;
}

/** The schemas reachable from some starting names, following refs transitively. */
export function reachable(doc: Json, start: Iterable<string>): Set<string> {
	const seen = new Set<string>();
	const queue = [...start];
	while (queue.length) {
		const name = queue.pop() as string;
		if (seen.has(name)) continue;
		seen.add(name);
		const schema = componentSchema(doc, name);
		if (schema) for (const next of directRefs(schema)) if (!seen.has(next)) queue.push(next);
	}
	return seen;
}

export interface SchemaUse {
	/** Keys of the operations whose parameters or request body reach the schema. */
	request: Set<string>;
	/** Keys of the operations whose responses reach the schema. */
	response: Set<string>;
}

/** For every component schema, the operations that reach it in a request or a response. */
export function schemaUsage(doc: Json, operations = operationsOf(doc)): Map<string, SchemaUse> {
	const usage = new Map<string, SchemaUse>();
	const use = (name: string) => {
		let u = usage.get(name);
		if (!u) usage.set(name, (u = { request: new Set(), response: new Set() }));
		return u;
	};
	for (const op of operations.values()) {
		const requestRoots = new Set<string>();
		for (const p of op.parameters.values()) directRefs(p.schema, requestRoots);
		for (const schema of Object.values(op.requestBody?.content ?? {})) directRefs(schema, requestRoots);
		const responseRoots = new Set<string>();
		for (const content of Object.values(op.responses)) for (const schema of Object.values(content)) directRefs(schema, responseRoots);
		for (const name of reachable(doc, requestRoots)) use(name).request.add(op.key);
		for (const name of reachable(doc, responseRoots)) use(name).response.add(op.key);
	}
	return usage;
}

// ---------------------------------------------------------------------------------------------
// Schemas in a version-neutral form

export interface NormalSchema {
	/** The component schema it refers to, if it is a reference. */
	ref?: string;
	/** Sorted base types without "null"; empty for "anything" (and for references). */
	types: string[];
	/** null is allowed (3.0 `nullable: true`, 3.1 `"null"` in `type`, a null member, null in `enum`). */
	nullable: boolean;
	format?: string;
	/** Allowed values (as JSON text, without null). */
	enum?: string[];
	properties: Record<string, unknown>;
	required: string[];
	items?: unknown;
	additionalProperties?: unknown;
	/** Component schemas it extends through `allOf`. */
	extends: string[];
	/** Members of its oneOf/anyOf, without null members. */
	variants: unknown[];
	readOnly: boolean;
	writeOnly: boolean;
}

function isNullSchema(value: unknown): boolean {
	if (!isObject(value)) return false;
	const keys = Object.keys(value).filter((k) => k !== 'description' && k !== 'title');
	if (value.type === 'null' || (Array.isArray(value.type) && value.type.length === 1 && value.type[0] === 'null')) {
		return keys.length === 1;
	}
	if ('const' in value && value.const === null) return keys.length === 1;
	return Array.isArray(value.enum) && value.enum.length === 1 && value.enum[0] === null && keys.length === 1;
}

/** Keywords that shape a value (everything else, e.g. description or example, is documentation). */
const SHAPE_KEYWORDS = ['type', 'properties', 'additionalProperties', 'items', 'enum', 'const', 'format', 'allOf', 'oneOf', 'anyOf', 'required'];

/** Whether a schema has shaping keywords other than the ones named. */
function hasShape(value: Json, ...except: string[]): boolean {
	return SHAPE_KEYWORDS.some((k) => k in value && !except.includes(k));
}

/**
 * A schema in a form where OpenAPI 3.0 and 3.1 spellings of the same thing are equal. References
 * are kept as names, not followed: what a referenced schema says is compared where it is defined.
 */
export function normalizeSchema(value: unknown): NormalSchema {
	const out: NormalSchema = { types: [], nullable: false, properties: {}, required: [], extends: [], variants: [], readOnly: false, writeOnly: false };
	if (!isObject(value)) return out;
	out.readOnly = value.readOnly === true;
	out.writeOnly = value.writeOnly === true;
	if (value.nullable === true) out.nullable = true;

	if (typeof value.$ref === 'string') {
		out.ref = schemaRefName(value.$ref) ?? value.$ref;
		return out;
	}

	// allOf: referenced members are parents; inline members add to this schema.
	const allOf: unknown[] = Array.isArray(value.allOf) ? value.allOf : [];
	const onlyRef = allOf.length === 1 && isObject(allOf[0]) && typeof allOf[0].$ref === 'string' && !hasShape(value, 'allOf');
	if (onlyRef) {
		// 3.0's way to give a reference siblings (`allOf: [$ref], nullable: true`)
		const inner = normalizeSchema(allOf[0]);
		return { ...inner, nullable: inner.nullable || out.nullable, readOnly: out.readOnly, writeOnly: out.writeOnly };
	}

	// oneOf/anyOf: null members are nullability; a single remaining member is the schema itself.
	const union = (Array.isArray(value.oneOf) ? value.oneOf : Array.isArray(value.anyOf) ? value.anyOf : undefined) as unknown[] | undefined;
	if (union) {
		const members = union.filter((m) => !isNullSchema(m));
		if (members.length < union.length) out.nullable = true;
		if (members.length === 1 && !hasShape(value, 'oneOf', 'anyOf')) {
			const inner = normalizeSchema(members[0]);
			return { ...inner, nullable: inner.nullable || out.nullable };
		}
		out.variants = members;
	}

	const types = new Set<string>();
	const addTypes = (t: unknown) => {
		for (const one of Array.isArray(t) ? t : [t]) if (typeof one === 'string') types.add(one);
	};
	addTypes(value.type);
	const properties: Record<string, unknown> = { ...(isObject(value.properties) ? value.properties : {}) };
	const required = new Set<string>(Array.isArray(value.required) ? value.required.filter((r: unknown) => typeof r === 'string') : []);
	for (const member of allOf) {
		if (!isObject(member)) continue;
		if (typeof member.$ref === 'string') {
			out.extends.push(schemaRefName(member.$ref) ?? member.$ref);
			continue;
		}
		const inner = normalizeSchema(member);
		Object.assign(properties, inner.properties);
		for (const r of inner.required) required.add(r);
		for (const t of inner.types) types.add(t);
		out.extends.push(...inner.extends);
		if (inner.nullable) out.nullable = true;
	}
	if (types.has('null')) {
		out.nullable = true;
		types.delete('null');
	}
	if ('const' in value) {
		if (value.const === null) out.nullable = true;
		else out.enum = [JSON.stringify(value.const)];
	} else if (Array.isArray(value.enum)) {
		if (value.enum.includes(null)) out.nullable = true;
		out.enum = [...new Set(value.enum.filter((v: unknown) => v !== null).map((v: unknown) => JSON.stringify(v)))].sort();
	}
	// A schema with properties is an object, one with items an array, whether or not it says so.
	if (!types.size && (Object.keys(properties).length || 'additionalProperties' in value)) types.add('object');
	if (!types.size && 'items' in value) types.add('array');
	// `integer` is a `number`: a schema that lists both accepts every number
	if (types.has('integer') && types.has('number')) types.delete('integer');
	out.types = [...types].sort();
	if (typeof value.format === 'string') out.format = value.format;
	out.properties = properties;
	out.required = [...required].sort();
	if ('items' in value) out.items = value.items;
	if ('additionalProperties' in value) out.additionalProperties = value.additionalProperties;
	out.extends.sort();
	return out;
}

/** A short description of a schema's type: `string`, `integer(int64)`, `Device[]`, `string|null`, ... */
export function describeSchema(value: unknown, depth = 0): string {
	const s = normalizeSchema(value);
	let text: string;
	if (s.ref) text = s.ref;
	else if (s.types.length === 1 && s.types[0] === 'array') text = `${s.items === undefined || depth > 3 ? 'any' : describeSchema(s.items, depth + 1)}[]`;
	else if (s.variants.length) text = s.variants.map((v) => describeSchema(v, depth + 1)).join(' or ');
	else if (s.extends.length && !s.types.length) text = s.extends.join(' & ');
	else if (!s.types.length) text = 'any';
	else text = s.types.join('|') + (s.format ? `(${s.format})` : '');
	if (s.types.length === 1 && s.types[0] === 'object' && isObject(s.additionalProperties) && depth <= 3) {
		text = `map<${describeSchema(s.additionalProperties, depth + 1)}>`;
	}
	if (s.enum) text += ` enum`;
	return s.nullable ? `${text}|null` : text;
}

/** Deep equality of two schemas in their normal form (references compared by name). */
export function sameShape(a: unknown, b: unknown, depth = 0): boolean {
	if (depth > 30) return true;
	const x = normalizeSchema(a);
	const y = normalizeSchema(b);
	const flat = (s: NormalSchema) =>
		JSON.stringify([s.ref, s.types, s.nullable, s.format, s.enum, s.required, s.extends, Object.keys(s.properties).sort(), s.variants.length, typeof s.items, typeof s.additionalProperties]);
	if (flat(x) !== flat(y)) return false;
	for (const name of Object.keys(x.properties)) if (!sameShape(x.properties[name], y.properties[name], depth + 1)) return false;
	for (let i = 0; i < x.variants.length; i++) if (!sameShape(x.variants[i], y.variants[i], depth + 1)) return false;
	if (x.items !== undefined && !sameShape(x.items, y.items, depth + 1)) return false;
	if (isObject(x.additionalProperties) && !sameShape(x.additionalProperties, y.additionalProperties, depth + 1)) return false;
	if (typeof x.additionalProperties === 'boolean' && x.additionalProperties !== y.additionalProperties) return false;
	return true;
}
