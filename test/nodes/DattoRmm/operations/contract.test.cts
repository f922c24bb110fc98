/**
 * Contract: every node operation calls a real endpoint of Datto's spec, with the spec's method,
 * path parameters, query parameters and body fields, and every working spec operation is exposed.
 * Skipped, with the reason, where Datto's spec cannot be had (test/specs.cts).
 */
import * as fs from 'node:fs';

import type { INodeProperties } from 'n8n-workflow';

import { OPERATIONS } from '../../../../nodes/DattoRmm/operations';
import type { FieldSpec, OperationSpec } from '../../../../nodes/DattoRmm/operations/types';

import { currentSpecFile, describeWithSpecs } from '../../../specs.cjs';

/** Listed in the spec but dead on the live API (facts doc): deliberately not exposed. */
const DEAD_OPERATIONS = new Set(['muteAlert', 'unmuteAlert']);

interface SpecOperation {
	operationId: string;
	method: string;
	path: string;
	pathParams: Set<string>;
	queryParams: Set<string>;
	bodyFields: Set<string> | undefined;
}

type Json = Record<string, any>;

function loadSpec(): Map<string, SpecOperation> {
	const spec = JSON.parse(fs.readFileSync(currentSpecFile(), 'utf8')) as Json;
	const resolve = (schema: Json | undefined): Json | undefined => {
		if (!schema?.$ref) return schema;
		return spec.components.schemas[decodeURIComponent(schema.$ref.split('/').pop())];
	};
	const byId = new Map<string, SpecOperation>();
	for (const [p, methods] of Object.entries<Json>(spec.paths)) {
		for (const [method, op] of Object.entries<Json>(methods)) {
			if (!op?.operationId) continue;
			const params: Json[] = op.parameters ?? [];
			const bodySchema = resolve(op.requestBody?.content?.['application/json']?.schema);
			byId.set(op.operationId, {
				operationId: op.operationId,
				method: method.toUpperCase(),
				path: p,
				pathParams: new Set(params.filter((x) => x.in === 'path').map((x) => x.name)),
				queryParams: new Set(params.filter((x) => x.in === 'query').map((x) => x.name)),
				bodyFields: bodySchema ? new Set(Object.keys(bodySchema.properties ?? {})) : undefined,
			});
		}
	}
	return byId;
}

/** The API names a field sends, by location. */
function apiNames(field: FieldSpec): string[] {
	const p: INodeProperties = field.property;
	if (p.type === 'collection') return (p.options ?? []).map((o) => (o as INodeProperties).name);
	if (p.type === 'fixedCollection') return [];
	return [field.api ?? p.name];
}

interface Endpoint {
	path: string;
	operationId?: string;
	when: Record<string, string>;
}

/** Endpoints an operation can call: each variant's, or its own path. */
function endpoints(op: OperationSpec): Endpoint[] {
	if (op.variants?.length) return op.variants.map((v) => ({ path: v.path, operationId: v.operationId, when: v.when }));
	return [{ path: op.path, operationId: op.operationIds[0], when: {} }];
}

/** Whether a field is shown when the variant's parameters have its values. */
function appliesTo(field: FieldSpec, endpoint: Endpoint): boolean {
	const show = field.property.displayOptions?.show ?? {};
	return Object.entries(endpoint.when).every(([name, value]) => {
		const allowed = show[name];
		return !Array.isArray(allowed) || allowed.includes(value as never);
	});
}

describeWithSpecs('current', 'operation table against the Datto RMM spec', () => {
	const spec = loadSpec();

	test('the spec has the 57 operations we expect', () => {
		expect(spec.size).toBe(57);
	});

	test('every working spec operation is exposed by some node operation', () => {
		const exposed = new Set(OPERATIONS.flatMap((op) => [...op.operationIds, ...(op.variants ?? []).map((v) => v.operationId)]));
		const missing = [...spec.keys()].filter((id) => !DEAD_OPERATIONS.has(id) && !exposed.has(id));
		expect(missing).toEqual([]);
		for (const dead of DEAD_OPERATIONS) expect(exposed.has(dead)).toBe(false);
	});

	test.each(OPERATIONS.map((op) => [`${op.resource}.${op.value}`, op] as const))('%s matches the spec', (_name, op) => {
		const problems: string[] = [];
		for (const id of op.operationIds) if (!spec.has(id)) problems.push(`unknown operationId ${id}`);
		for (const endpoint of endpoints(op)) {
			const target = endpoint.operationId ? spec.get(endpoint.operationId) : undefined;
			if (!target) {
				problems.push(`no spec operation for ${endpoint.path}`);
				continue;
			}
			if (op.run) continue; // composite: checked by its own operationIds and tests
			if (target.path !== endpoint.path) problems.push(`${endpoint.operationId}: path ${endpoint.path} != spec ${target.path}`);
			if (target.method !== op.method) problems.push(`${endpoint.operationId}: method ${op.method} != spec ${target.method}`);
			const placeholders = new Set([...endpoint.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
			expect([...placeholders].sort()).toEqual([...target.pathParams].sort());
			for (const field of op.fields.filter((f) => appliesTo(f, endpoint))) {
				const names = apiNames(field);
				if (field.in === 'path' && !names.every((n) => placeholders.has(n))) {
					problems.push(`${endpoint.operationId}: path field ${names.join()} is not in ${endpoint.path}`);
				}
				if (field.in === 'query') {
					for (const name of names) {
						if (!target.queryParams.has(name)) problems.push(`${endpoint.operationId}: query ${name} not in spec`);
					}
				}
				if (field.in === 'body') {
					for (const name of names) {
						if (!target.bodyFields?.has(name)) problems.push(`${endpoint.operationId}: body field ${name} not in spec`);
					}
				}
			}
			for (const placeholder of placeholders) {
				const filled = op.fields.some((f) => f.in === 'path' && appliesTo(f, endpoint) && apiNames(f).includes(placeholder));
				if (!filled) problems.push(`${endpoint.operationId}: nothing fills {${placeholder}}`);
			}
			if (op.list && !(target.queryParams.has('page') && target.queryParams.has('max'))) {
				problems.push(`${endpoint.operationId}: listed as paged but the spec has no page/max`);
			}
		}
		expect(problems).toEqual([]);
	});
});
