/**
 * What changed between two versions of Datto's OpenAPI spec, and which node operations it touches.
 *
 *   npm run spec:diff OLD.json NEW.json          # readable report
 *   npm run spec:diff OLD.json NEW.json -- --json  # the result as JSON
 *
 * Operations are matched by method and path (placeholder names aside), so an operationId rename is
 * a change, not a removal and an addition. Schemas are compared in a version-neutral form, so the
 * same thing written the OpenAPI 3.0 way and the 3.1 way is no change. A change to a component
 * schema touches every operation whose parameters, request body or responses reach that schema
 * through references, transitively; node operations are found through the operation table.
 *
 * Exit code: 1 when something breaks (an operation, parameter, body or response field removed, a
 * parameter or body field newly required, a type changed), 0 otherwise, 2 on usage or read errors.
 */
import { OPERATIONS, RESOURCES } from '../nodes/DattoRmm/operations';
import type { OperationSpec, ResourceSpec } from '../nodes/DattoRmm/operations/types';

import {
	type Json,
	type NormalSchema,
	type SpecDocument,
	type SpecOperation,
	SpecError,
	componentSchema,
	componentSchemas,
	describeSchema,
	normalizeSchema,
	operationsOf,
	pathKey,
	readSpec,
	sameShape,
	schemaUsage,
} from './spec-model.cjs';

export type Severity = 'breaking' | 'change' | 'addition';
export type Area = 'operation' | 'parameter' | 'request' | 'response' | 'schema';

export interface SpecChange {
	severity: Severity;
	/** Stable kind of change, e.g. `operation-removed`, `parameter-added`, `properties-added`, `type-changed`. */
	code: string;
	area: Area;
	/** The spec operation (`GET /v2/activity-logs`), for operation, parameter, request and response changes. */
	operation?: string;
	operationId?: string;
	/** The component schema, for schema changes. */
	schema?: string;
	/** Where: `query parameter searchQuery`, `request body`, `response 200`, `Device.udf`, ... */
	at: string;
	/** Names involved (parameters, properties, enum values, variants...). */
	names?: string[];
	/** One line saying what changed, starting with `at`. */
	message: string;
	/** Spec operationIds the change reaches. */
	specOperations: string[];
	/** Node operations the change touches, e.g. `Device › Get Many`. */
	nodeOperations: string[];
}

export interface SpecSummary {
	source: string;
	version: string;
	openapi: string;
	operations: number;
	schemas: number;
}

export interface SpecDiff {
	old: SpecSummary;
	new: SpecSummary;
	breaking: boolean;
	counts: Record<Severity, number>;
	/** Every node operation some change touches. */
	nodeOperations: string[];
	changes: SpecChange[];
}

/** A node operation as the diff sees it: its label and the spec operations it calls. */
export interface NodeOperationRef {
	label: string;
	operationIds: string[];
	/** pathKey()s of the endpoints it calls. */
	endpoints: string[];
}

export function nodeOperationRefs(operations: OperationSpec[] = OPERATIONS, resources: ResourceSpec[] = RESOURCES): NodeOperationRef[] {
	const resourceName = new Map(resources.map((r) => [r.value, r.name]));
	return operations.map((op) => ({
		label: `${resourceName.get(op.resource) ?? op.resource} › ${op.name}`,
		operationIds: [...new Set([...op.operationIds, ...(op.variants ?? []).map((v) => v.operationId)])],
		endpoints: [...new Set([op.path, ...(op.variants ?? []).map((v) => v.path)].map((p) => pathKey(op.method, p)))],
	}));
}

export interface DiffOptions {
	/** The node's operations; defaults to the package's operation table. */
	nodeOperations?: NodeOperationRef[];
}

// ---------------------------------------------------------------------------------------------
// Schema comparison

interface Finding {
	severity: Severity;
	code: string;
	/** Path below the root: `udf`, `devices[]`, `samples{}`... (empty for the root). */
	at: string;
	text: string;
	names?: string[];
}

interface SchemaContext {
	oldDoc: Json;
	newDoc: Json;
	/** The schema is (or may be) sent: a newly required field or a dropped enum value breaks requests. */
	request: boolean;
	depth: number;
}

const SEVERITY_ORDER: Severity[] = ['breaking', 'change', 'addition'];
const AREA_ORDER: Area[] = ['operation', 'parameter', 'request', 'response', 'schema'];

function child(at: string, name: string): string {
	return at ? `${at}.${name}` : name;
}

function plural(n: number, one: string, many = `${one}s`): string {
	return `${n} ${n === 1 ? one : many}`;
}

/** `udf31, udf32, ..., udf300` as `udf31..udf300`; other names as they are. */
export function compressNames(names: string[]): string {
	const parts: string[] = [];
	let i = 0;
	while (i < names.length) {
		const m = /^(.*?)(\d+)$/.exec(names[i]);
		let j = i;
		if (m) {
			while (j + 1 < names.length) {
				const next = /^(.*?)(\d+)$/.exec(names[j + 1]);
				if (!next || next[1] !== m[1] || Number(next[2]) !== Number(m[2]) + (j + 1 - i)) break;
				j++;
			}
		}
		parts.push(j - i >= 2 ? `${names[i]}..${names[j]}` : names.slice(i, j + 1).join(', '));
		i = j + 1;
	}
	return parts.join(', ');
}

function listNames(names: string[], types?: (name: string) => string): string {
	if (types && names.length <= 12) return names.map((n) => `${n} (${types(n)})`).join(', ');
	return compressNames(names);
}

function withNullable(schema: Json | undefined, nullable: boolean): Json | undefined {
	return schema && nullable ? { ...schema, nullable: true } : schema;
}

function refsOf(s: NormalSchema): string[] {
	return s.variants.map((v) => normalizeSchema(v).ref).filter((r): r is string => r !== undefined);
}

function diffSchema(a: unknown, b: unknown, at: string, ctx: SchemaContext, out: Finding[]): void {
	if (ctx.depth > 25) return;
	const A = normalizeSchema(a);
	const B = normalizeSchema(b);
	const deeper = { ...ctx, depth: ctx.depth + 1 };

	if (A.ref !== undefined || B.ref !== undefined) {
		if (A.ref !== undefined && B.ref !== undefined) {
			if (A.ref !== B.ref) {
				const renamed = sameShape(componentSchema(ctx.oldDoc, A.ref), componentSchema(ctx.newDoc, B.ref));
				out.push(
					renamed
						? { severity: 'change', code: 'ref-renamed', at, text: `now refers to ${B.ref} instead of ${A.ref} (same shape)` }
						: { severity: 'breaking', code: 'type-changed', at, text: `type changed from ${A.ref} to ${B.ref}` },
				);
			}
			if (A.nullable !== B.nullable) {
				out.push({ severity: 'change', code: 'nullable-changed', at, text: B.nullable ? 'now nullable' : 'no longer nullable' });
			}
			return;
		}
		// A reference on one side, an inline schema on the other: compare what the reference says.
		const aa = A.ref !== undefined ? withNullable(componentSchema(ctx.oldDoc, A.ref), A.nullable) : a;
		const bb = B.ref !== undefined ? withNullable(componentSchema(ctx.newDoc, B.ref), B.nullable) : b;
		if (aa === undefined || bb === undefined) {
			out.push({ severity: 'breaking', code: 'type-changed', at, text: `type changed from ${describeSchema(a)} to ${describeSchema(b)}` });
			return;
		}
		diffSchema(aa, bb, at, deeper, out);
		return;
	}

	if (A.types.join('|') !== B.types.join('|')) {
		out.push({ severity: 'breaking', code: 'type-changed', at, text: `type changed from ${describeSchema(a)} to ${describeSchema(b)}` });
		return;
	}
	if (A.nullable !== B.nullable) {
		out.push({ severity: 'change', code: 'nullable-changed', at, text: B.nullable ? 'now nullable' : 'no longer nullable' });
	}
	if (A.format !== B.format) {
		out.push({ severity: 'change', code: 'format-changed', at, text: `format changed from ${A.format ?? '(none)'} to ${B.format ?? '(none)'}` });
	}

	// enum
	if (A.enum && !B.enum) {
		out.push({ severity: 'change', code: 'enum-dropped', at, text: 'no longer restricted to a list of values' });
	} else if (!A.enum && B.enum) {
		out.push({
			severity: ctx.request ? 'breaking' : 'change',
			code: 'enum-introduced',
			at,
			text: `now restricted to ${B.enum.join(', ')}`,
			names: B.enum.map((v) => JSON.parse(v) as string),
		});
	} else if (A.enum && B.enum) {
		const added = B.enum.filter((v) => !A.enum?.includes(v));
		const removed = A.enum.filter((v) => !B.enum?.includes(v));
		if (removed.length) {
			out.push({
				severity: ctx.request ? 'breaking' : 'change',
				code: 'enum-values-removed',
				at,
				text: `enum values removed: ${removed.join(', ')}`,
				names: removed.map((v) => String(JSON.parse(v))),
			});
		}
		if (added.length) {
			out.push({ severity: 'change', code: 'enum-values-added', at, text: `enum values added: ${added.join(', ')}`, names: added.map((v) => String(JSON.parse(v))) });
		}
	}

	// allOf parents
	const parentsRemoved = A.extends.filter((p) => !B.extends.includes(p));
	const parentsAdded = B.extends.filter((p) => !A.extends.includes(p));
	if (parentsRemoved.length) {
		out.push({ severity: 'breaking', code: 'parents-removed', at, text: `no longer extends ${parentsRemoved.join(', ')}`, names: parentsRemoved });
	}
	if (parentsAdded.length) {
		out.push({ severity: 'addition', code: 'parents-added', at, text: `now extends ${parentsAdded.join(', ')}`, names: parentsAdded });
	}

	// properties
	const oldProps = Object.keys(A.properties);
	const newProps = Object.keys(B.properties);
	const removed = oldProps.filter((p) => !(p in B.properties));
	const added = newProps.filter((p) => !(p in A.properties));
	const typeOfNew = (n: string) => describeSchema(B.properties[n]);
	if (removed.length) {
		out.push({
			severity: 'breaking',
			code: 'properties-removed',
			at,
			text: `${plural(removed.length, 'field')} removed: ${listNames(removed, (n) => describeSchema(A.properties[n]))}`,
			names: removed,
		});
	}
	const addedRequired = added.filter((p) => B.required.includes(p));
	const addedBreaking = ctx.request ? addedRequired : [];
	const addedOther = added.filter((p) => !addedBreaking.includes(p));
	if (addedBreaking.length) {
		out.push({
			severity: 'breaking',
			code: 'required-properties-added',
			at,
			text: `${plural(addedBreaking.length, 'required field')} added: ${listNames(addedBreaking, typeOfNew)}`,
			names: addedBreaking,
		});
	}
	if (addedOther.length) {
		const req = addedOther.filter((p) => B.required.includes(p));
		out.push({
			severity: 'addition',
			code: 'properties-added',
			at,
			text: `${plural(addedOther.length, 'field')} added: ${listNames(addedOther, typeOfNew)}${req.length ? ` (required: ${compressNames(req)})` : ''}`,
			names: addedOther,
		});
	}
	for (const name of oldProps) {
		if (name in B.properties) diffSchema(A.properties[name], B.properties[name], child(at, name), deeper, out);
	}
	const nowRequired = B.required.filter((r) => !A.required.includes(r) && r in A.properties && r in B.properties);
	const noLongerRequired = A.required.filter((r) => !B.required.includes(r) && r in B.properties);
	if (nowRequired.length) {
		out.push({
			severity: ctx.request ? 'breaking' : 'change',
			code: 'properties-required',
			at,
			text: `${compressNames(nowRequired)} ${nowRequired.length === 1 ? 'is' : 'are'} now required`,
			names: nowRequired,
		});
	}
	if (noLongerRequired.length) {
		out.push({
			severity: 'change',
			code: 'properties-optional',
			at,
			text: `${compressNames(noLongerRequired)} ${noLongerRequired.length === 1 ? 'is' : 'are'} no longer required`,
			names: noLongerRequired,
		});
	}

	// array items, map values
	if (A.items !== undefined || B.items !== undefined) diffSchema(A.items, B.items, `${at}[]`, deeper, out);
	const isSchema = (v: unknown) => typeof v === 'object' && v !== null;
	if (isSchema(A.additionalProperties) && isSchema(B.additionalProperties)) {
		diffSchema(A.additionalProperties, B.additionalProperties, `${at}{}`, deeper, out);
	} else if ((A.additionalProperties === false) !== (B.additionalProperties === false) || isSchema(A.additionalProperties) !== isSchema(B.additionalProperties)) {
		const describe = (v: unknown) => (v === false ? 'no other fields' : isSchema(v) ? `other fields of type ${describeSchema(v)}` : 'any other fields');
		out.push({
			severity: B.additionalProperties === false && ctx.request ? 'breaking' : 'change',
			code: 'additional-properties-changed',
			at,
			text: `now allows ${describe(B.additionalProperties)} (was ${describe(A.additionalProperties)})`,
		});
	}

	// oneOf/anyOf
	if (A.variants.length || B.variants.length) {
		const oldRefs = refsOf(A);
		const newRefs = refsOf(B);
		const gone = oldRefs.filter((r) => !newRefs.includes(r));
		const come = newRefs.filter((r) => !oldRefs.includes(r));
		if (gone.length) {
			out.push({ severity: ctx.request ? 'breaking' : 'change', code: 'variants-removed', at, text: `no longer one of ${gone.join(', ')}`, names: gone });
		}
		if (come.length) out.push({ severity: 'addition', code: 'variants-added', at, text: `may now also be ${come.join(', ')}`, names: come });
		const oldInline = A.variants.filter((v) => normalizeSchema(v).ref === undefined);
		const newInline = B.variants.filter((v) => normalizeSchema(v).ref === undefined);
		if (oldInline.length === newInline.length) {
			oldInline.forEach((v, i) => diffSchema(v, newInline[i], `${at}<${i + 1}>`, deeper, out));
		} else {
			out.push({ severity: 'change', code: 'variants-changed', at, text: `inline alternatives changed from ${oldInline.length} to ${newInline.length}` });
		}
	}
}

// ---------------------------------------------------------------------------------------------
// The diff

interface Matched {
	old: SpecOperation;
	new: SpecOperation;
}

function summarize(spec: SpecDocument): SpecSummary {
	return {
		source: spec.source,
		version: spec.version,
		openapi: spec.openapi,
		operations: operationsOf(spec.doc).size,
		schemas: Object.keys(componentSchemas(spec.doc)).length,
	};
}

export function diffSpecs(oldSpec: SpecDocument, newSpec: SpecDocument, options: DiffOptions = {}): SpecDiff {
	const nodeOps = options.nodeOperations ?? nodeOperationRefs();
	const oldDoc = oldSpec.doc;
	const newDoc = newSpec.doc;
	const oldOps = operationsOf(oldDoc);
	const newOps = operationsOf(newDoc);
	const oldUse = schemaUsage(oldDoc, oldOps);
	const newUse = schemaUsage(newDoc, newOps);
	const changes: SpecChange[] = [];

	/** Node operations that call a spec operation (by operationId, or by method and path). */
	const labelsFor = (ops: SpecOperation[]): string[] => {
		const labels: string[] = [];
		for (const node of nodeOps) {
			if (ops.some((op) => (op.operationId !== undefined && node.operationIds.includes(op.operationId)) || node.endpoints.includes(op.key))) {
				labels.push(node.label);
			}
		}
		return labels;
	};
	const idsOf = (ops: SpecOperation[]) => [...new Set(ops.map((op) => op.operationId ?? op.label))].sort();

	const opChange = (pair: Partial<Matched>, area: Area, severity: Severity, code: string, at: string, text: string, names?: string[]) => {
		const ops = [pair.old, pair.new].filter((o): o is SpecOperation => o !== undefined);
		const main = (pair.new ?? pair.old) as SpecOperation;
		changes.push({
			severity,
			code,
			area,
			operation: main.label,
			operationId: main.operationId,
			at,
			...(names ? { names } : {}),
			message: at ? `${at}: ${text}` : text,
			specOperations: idsOf(ops),
			nodeOperations: labelsFor(ops),
		});
	};

	const fromFindings = (pair: Matched, area: Area, root: string, findings: Finding[]) => {
		for (const f of findings) opChange(pair, area, f.severity, f.code, f.at ? `${root} › ${f.at}` : root, f.text, f.names);
	};

	// --- operations
	const removedKeys = [...oldOps.keys()].filter((k) => !newOps.has(k));
	const addedKeys = [...newOps.keys()].filter((k) => !oldOps.has(k));
	const matched: Matched[] = [...oldOps.keys()].filter((k) => newOps.has(k)).map((k) => ({ old: oldOps.get(k) as SpecOperation, new: newOps.get(k) as SpecOperation }));
	for (const key of [...removedKeys]) {
		const old = oldOps.get(key) as SpecOperation;
		const movedKey = addedKeys.find((k) => old.operationId !== undefined && newOps.get(k)?.operationId === old.operationId);
		if (movedKey === undefined) continue;
		const moved = newOps.get(movedKey) as SpecOperation;
		removedKeys.splice(removedKeys.indexOf(key), 1);
		addedKeys.splice(addedKeys.indexOf(movedKey), 1);
		opChange({ old, new: moved }, 'operation', 'breaking', 'operation-moved', '', `moved: was ${old.label}, now ${moved.label}`);
		matched.push({ old, new: moved });
	}
	for (const key of removedKeys) {
		const old = oldOps.get(key) as SpecOperation;
		opChange({ old }, 'operation', 'breaking', 'operation-removed', '', 'operation removed');
	}
	for (const key of addedKeys) {
		const op = newOps.get(key) as SpecOperation;
		opChange({ new: op }, 'operation', 'addition', 'operation-added', '', 'operation added');
	}

	for (const pair of matched) {
		const { old: o, new: n } = pair;
		if (o.operationId !== n.operationId) {
			opChange(pair, 'operation', 'change', 'operation-id-changed', '', `operationId changed from ${o.operationId ?? '(none)'} to ${n.operationId ?? '(none)'}`);
		}
		if (o.deprecated !== n.deprecated) {
			opChange(pair, 'operation', 'change', 'operation-deprecated', '', n.deprecated ? 'now deprecated' : 'no longer deprecated');
		}

		// parameters
		const ctx: SchemaContext = { oldDoc, newDoc, request: true, depth: 0 };
		const movedTo = new Set<string>();
		for (const [key, p] of o.parameters) {
			const q = n.parameters.get(key);
			const where = `${p.in} parameter ${p.name}`;
			if (!q) {
				const elsewhere = [...n.parameters.values()].find((x) => x.name === p.name && !o.parameters.has(x.key));
				if (elsewhere) {
					movedTo.add(elsewhere.key);
					opChange(pair, 'parameter', 'breaking', 'parameter-location-changed', where, `moved from ${p.in} to ${elsewhere.in}`, [p.name]);
				} else {
					opChange(pair, 'parameter', 'breaking', 'parameter-removed', where, `removed (was ${p.required ? 'required' : 'optional'}, ${describeSchema(p.schema)})`, [p.name]);
				}
				continue;
			}
			if (p.name !== q.name) {
				opChange(pair, 'parameter', 'change', 'parameter-renamed', where, `renamed to ${q.name} (${n.path})`, [p.name, q.name]);
			}
			if (!p.required && q.required) opChange(pair, 'parameter', 'breaking', 'parameter-required', where, 'now required', [p.name]);
			if (p.required && !q.required) opChange(pair, 'parameter', 'change', 'parameter-optional', where, 'no longer required', [p.name]);
			if (p.deprecated !== q.deprecated) {
				opChange(pair, 'parameter', 'change', 'parameter-deprecated', where, q.deprecated ? 'now deprecated' : 'no longer deprecated', [p.name]);
			}
			const findings: Finding[] = [];
			diffSchema(p.schema, q.schema, '', ctx, findings);
			fromFindings(pair, 'parameter', where, findings);
		}
		for (const [key, q] of n.parameters) {
			if (o.parameters.has(key) || movedTo.has(key)) continue;
			const where = `${q.in} parameter ${q.name}`;
			const text = `added (${q.required ? 'required' : 'optional'}, ${describeSchema(q.schema)})`;
			if (q.required) opChange(pair, 'parameter', 'breaking', 'parameter-added-required', where, text, [q.name]);
			else opChange(pair, 'parameter', 'addition', 'parameter-added', where, text, [q.name]);
		}

		// request body
		const ob = o.requestBody;
		const nb = n.requestBody;
		if (!ob && nb) {
			opChange(pair, 'request', nb.required ? 'breaking' : 'addition', 'request-body-added', 'request body', `added (${nb.required ? 'required' : 'optional'}, ${Object.values(nb.content).map((s) => describeSchema(s)).join(' or ')})`);
		} else if (ob && !nb) {
			opChange(pair, 'request', 'breaking', 'request-body-removed', 'request body', 'removed');
		} else if (ob && nb) {
			if (!ob.required && nb.required) opChange(pair, 'request', 'breaking', 'request-body-required', 'request body', 'now required');
			if (ob.required && !nb.required) opChange(pair, 'request', 'change', 'request-body-optional', 'request body', 'no longer required');
			for (const type of Object.keys(ob.content)) {
				if (!(type in nb.content)) opChange(pair, 'request', 'breaking', 'media-type-removed', 'request body', `no longer accepts ${type}`, [type]);
			}
			for (const type of Object.keys(nb.content)) {
				if (!(type in ob.content)) opChange(pair, 'request', 'addition', 'media-type-added', 'request body', `now also accepts ${type}`, [type]);
			}
			const types = Object.keys(ob.content).filter((t) => t in nb.content);
			for (const type of types) {
				const findings: Finding[] = [];
				diffSchema(ob.content[type], nb.content[type], '', ctx, findings);
				fromFindings(pair, 'request', types.length > 1 ? `request body (${type})` : 'request body', findings);
			}
		}

		// responses: statuses with the same schema change are reported once (Datto puts the success
		// body on 401/403/404)
		const rctx: SchemaContext = { ...ctx, request: false };
		const statusesRemoved = Object.keys(o.responses).filter((s) => !(s in n.responses));
		const statusesAdded = Object.keys(n.responses).filter((s) => !(s in o.responses));
		if (statusesRemoved.length) {
			opChange(pair, 'response', 'change', 'responses-removed', `response ${statusesRemoved.join('/')}`, 'no longer documented', statusesRemoved);
		}
		if (statusesAdded.length) {
			const bodies = [...new Set(statusesAdded.flatMap((s) => Object.values(n.responses[s]).map((x) => describeSchema(x))))];
			opChange(pair, 'response', 'addition', 'responses-added', `response ${statusesAdded.join('/')}`, `added${bodies.length ? ` (${bodies.join(' or ')})` : ''}`, statusesAdded);
		}
		const groups = new Map<string, { statuses: string[]; type: string; a: unknown; b: unknown }>();
		const multiType = Object.values(o.responses).some((c) => Object.keys(c).length > 1);
		for (const status of Object.keys(o.responses).filter((s) => s in n.responses)) {
			const oc = o.responses[status];
			const nc = n.responses[status];
			const oldTypes = Object.keys(oc);
			const newTypes = Object.keys(nc);
			const at = `response ${status}`;
			if (oldTypes.length === 1 && newTypes.length === 1 && oldTypes[0] !== newTypes[0]) {
				// the same body under another media type (e.g. */* → application/json)
				opChange(pair, 'response', 'change', 'media-type-changed', at, `media type changed from ${oldTypes[0]} to ${newTypes[0]}`, [oldTypes[0], newTypes[0]]);
				const key = JSON.stringify([newTypes[0], oc[oldTypes[0]], nc[newTypes[0]]]);
				const g = groups.get(key) ?? { statuses: [], type: newTypes[0], a: oc[oldTypes[0]], b: nc[newTypes[0]] };
				g.statuses.push(status);
				groups.set(key, g);
				continue;
			}
			for (const t of oldTypes.filter((x) => !newTypes.includes(x))) {
				opChange(pair, 'response', oldTypes.length && !newTypes.length ? 'breaking' : 'change', 'media-type-removed', at, `no longer returns ${t}`, [t]);
			}
			for (const t of newTypes.filter((x) => !oldTypes.includes(x))) {
				opChange(pair, 'response', 'addition', 'media-type-added', at, `now also returns ${t}`, [t]);
			}
			for (const t of oldTypes.filter((x) => newTypes.includes(x))) {
				const key = JSON.stringify([t, oc[t], nc[t]]);
				const g = groups.get(key) ?? { statuses: [], type: t, a: oc[t], b: nc[t] };
				g.statuses.push(status);
				groups.set(key, g);
			}
		}
		for (const g of groups.values()) {
			const findings: Finding[] = [];
			diffSchema(g.a, g.b, '', rctx, findings);
			fromFindings(pair, 'response', `response ${g.statuses.join('/')}${multiType ? ` (${g.type})` : ''}`, findings);
		}
	}

	// --- component schemas
	const oldSchemas = componentSchemas(oldDoc);
	const newSchemas = componentSchemas(newDoc);
	const schemaOps = (name: string, old?: string) => {
		const keys = new Set<string>();
		const ou = oldUse.get(old ?? name);
		const nu = newUse.get(name);
		for (const u of [ou, nu]) if (u) for (const k of [...u.request, ...u.response]) keys.add(k);
		const ops = [...keys].map((k) => newOps.get(k) ?? oldOps.get(k)).filter((x): x is SpecOperation => x !== undefined);
		const oldOnly = [...(ou?.request ?? []), ...(ou?.response ?? [])].map((k) => oldOps.get(k)).filter((x): x is SpecOperation => x !== undefined);
		return [...ops, ...oldOnly];
	};
	const isRequest = (name: string, old?: string) => (oldUse.get(old ?? name)?.request.size ?? 0) > 0 || (newUse.get(name)?.request.size ?? 0) > 0;
	const schemaChange = (name: string, severity: Severity, code: string, at: string, text: string, names?: string[], old?: string) => {
		const ops = schemaOps(name, old);
		changes.push({
			severity,
			code,
			area: 'schema',
			schema: name,
			at,
			...(names ? { names } : {}),
			message: `${at}: ${text}`,
			specOperations: idsOf(ops),
			nodeOperations: labelsFor(ops),
		});
	};

	const removedSchemas = Object.keys(oldSchemas).filter((s) => !(s in newSchemas));
	const addedSchemas = Object.keys(newSchemas).filter((s) => !(s in oldSchemas));
	for (const name of [...removedSchemas]) {
		const twin = addedSchemas.find((a) => sameShape(oldSchemas[name], newSchemas[a]));
		if (twin === undefined) continue;
		removedSchemas.splice(removedSchemas.indexOf(name), 1);
		addedSchemas.splice(addedSchemas.indexOf(twin), 1);
		schemaChange(twin, 'change', 'schema-renamed', twin, `schema renamed from ${name} (same shape)`, [name, twin], name);
	}
	for (const name of removedSchemas) {
		const used = oldUse.has(name);
		schemaChange(name, 'change', 'schema-removed', name, `schema removed${used ? '' : ' (no operation used it)'}`, [name]);
	}
	for (const name of addedSchemas) {
		const shape = normalizeSchema(newSchemas[name]);
		const props = Object.keys(shape.properties);
		const about = [shape.extends.length ? `extends ${shape.extends.join(', ')}` : '', props.length ? `fields: ${listNames(props)}` : ''].filter(Boolean);
		schemaChange(name, 'addition', 'schema-added', name, `schema added${about.length ? ` (${about.join('; ')})` : ''}`, [name]);
	}
	for (const name of Object.keys(oldSchemas).filter((s) => s in newSchemas)) {
		const findings: Finding[] = [];
		diffSchema(oldSchemas[name], newSchemas[name], '', { oldDoc, newDoc, request: isRequest(name), depth: 0 }, findings);
		for (const f of findings) schemaChange(name, f.severity, f.code, f.at ? `${name}.${f.at}`.replace('.[]', '[]').replace('.{}', '{}') : name, f.text, f.names);
	}

	changes.sort(
		(x, y) =>
			SEVERITY_ORDER.indexOf(x.severity) - SEVERITY_ORDER.indexOf(y.severity) ||
			AREA_ORDER.indexOf(x.area) - AREA_ORDER.indexOf(y.area) ||
			(x.operation ?? x.schema ?? '').localeCompare(y.operation ?? y.schema ?? '') ||
			x.at.localeCompare(y.at),
	);
	const counts: Record<Severity, number> = { breaking: 0, change: 0, addition: 0 };
	for (const c of changes) counts[c.severity]++;
	const touched = new Set(changes.flatMap((c) => c.nodeOperations));
	return {
		old: summarize(oldSpec),
		new: summarize(newSpec),
		breaking: counts.breaking > 0,
		counts,
		nodeOperations: nodeOps.map((n) => n.label).filter((l) => touched.has(l)),
		changes,
	};
}

/** Reads two spec files and compares them. */
export function diffFiles(oldFile: string, newFile: string, options: DiffOptions = {}): SpecDiff {
	return diffSpecs(readSpec(oldFile), readSpec(newFile), options);
}

// ---------------------------------------------------------------------------------------------
// Report

export function summaryLine(diff: SpecDiff): string {
	const { breaking, change, addition } = diff.counts;
	const ops = diff.nodeOperations.length;
	return (
		`Summary: ${breaking} breaking, ${plural(change, 'change')}, ${plural(addition, 'addition')} ` +
		`from ${diff.old.version} to ${diff.new.version}; ${plural(ops, 'node operation')} touched` +
		(diff.breaking ? ' - BREAKING' : '')
	);
}

function changeLine(c: SpecChange): string[] {
	const head = c.area === 'schema' ? `schema ${c.message}` : `${c.operation}${c.operationId ? ` (${c.operationId})` : ''}${c.message ? `: ${c.message}` : ''}`;
	let tail: string;
	if (c.nodeOperations.length) tail = `node: ${c.nodeOperations.join(', ')}`;
	else if (c.specOperations.length) tail = `node: none (spec: ${c.specOperations.join(', ')})`;
	else tail = 'node: none';
	return [`  - ${head}`, `      ${tail}`];
}

export function formatReport(diff: SpecDiff): string {
	const side = (label: string, s: SpecSummary) => `${label}: ${s.version}  (OpenAPI ${s.openapi}, ${s.operations} operations, ${s.schemas} schemas) ${s.source}`;
	const lines = ['Datto RMM OpenAPI spec diff', side('  old', diff.old), side('  new', diff.new), ''];
	const sections: [Severity, string][] = [
		['breaking', 'BREAKING'],
		['change', 'Changes'],
		['addition', 'Additions'],
	];
	for (const [severity, title] of sections) {
		const list = diff.changes.filter((c) => c.severity === severity);
		lines.push(`${title} (${list.length})`);
		if (!list.length) lines.push('  none');
		for (const c of list) lines.push(...changeLine(c));
		lines.push('');
	}
	if (diff.nodeOperations.length) lines.push(`Node operations touched: ${diff.nodeOperations.join(', ')}`, '');
	lines.push(summaryLine(diff));
	return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// CLI

const USAGE = `usage: spec-diff OLD.json NEW.json [--json]
  Compares two Datto RMM OpenAPI specs and names the node operations each change touches.
  --json   print the result as JSON
  Exit code: 1 when a change is breaking, 0 otherwise, 2 on usage or read errors.`;

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

export function runCli(args: string[]): CliResult {
	const flags = args.filter((a) => a.startsWith('-'));
	const files = args.filter((a) => !a.startsWith('-'));
	if (flags.includes('--help') || flags.includes('-h')) return { code: 0, stdout: `${USAGE}\n`, stderr: '' };
	const unknown = flags.filter((f) => f !== '--json');
	if (unknown.length || files.length !== 2) {
		const why = unknown.length ? `unknown option ${unknown.join(', ')}` : `expected two spec files, got ${files.length}`;
		return { code: 2, stdout: '', stderr: `spec-diff: ${why}\n${USAGE}\n` };
	}
	let diff: SpecDiff;
	try {
		diff = diffFiles(files[0], files[1]);
	} catch (error) {
		if (error instanceof SpecError) return { code: 2, stdout: '', stderr: `spec-diff: ${error.message}\n` };
		throw error;
	}
	const stdout = flags.includes('--json') ? `${JSON.stringify(diff, null, 2)}\n` : formatReport(diff);
	return { code: diff.breaking ? 1 : 0, stdout, stderr: '' };
}

if (require.main === module) {
	const result = runCli(process.argv.slice(2));
	process.stdout.write(result.stdout);
	process.stderr.write(result.stderr);
	process.exitCode = result.code;
}
