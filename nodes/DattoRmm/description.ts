import type { INodeProperties } from 'n8n-workflow';

import { concurrentPagesOption, optionsProperty } from './operations/fields';
import { limitProperty, returnAllProperty, returnsSeveral, toolMaxResultsProperty } from './operations/limits';
import type { OperationSpec, ResourceSpec } from './operations/types';
import { simplifyProperty } from './simplify';
import { toolDescriptionProperty } from './tool';

interface Shown {
	property: INodeProperties;
	operations: string[];
	/** Parameters that must come after this one, for some operation's reading order. */
	before: Set<string>;
}

function isCollection(property: INodeProperties): boolean {
	return property.type === 'collection';
}

/**
 * The parameters of one operation in the order a user reads them, as n8n's own nodes do: notices,
 * then the fields of the operation's table (required ones first there), then for a list Return All
 * and Limit, then Simplify (version 2), then optional collections (Filters), then Options. As an
 * AI tool (tool.ts), the tool's description comes first, and Max Results replaces Return All and
 * Limit (and bounds the other answers of several items).
 */
export function operationParameters(op: OperationSpec): INodeProperties[] {
	const fields = op.fields.map((f) => f.property);
	const notices = fields.filter((p) => p.type === 'notice');
	const rest = fields.filter((p) => p.type !== 'notice');
	const own = [...(op.list && !op.run ? [concurrentPagesOption] : []), ...(op.options ?? [])];
	const tool = toolDescriptionProperty(op);
	const simplify = op.simplify ? [simplifyProperty] : [];
	// Answers of several items that are no paged list (MAC lookups...) get Max Results as a tool only.
	const maxResults = returnsSeveral(op) ? [toolMaxResultsProperty] : [];
	if (!op.list) return [tool, ...notices, ...rest, ...maxResults, ...simplify, optionsProperty(own)];
	return [
		tool,
		...notices,
		...rest.filter((p) => !isCollection(p)),
		returnAllProperty,
		limitProperty,
		toolMaxResultsProperty,
		...simplify,
		...rest.filter(isCollection),
		optionsProperty(own),
	];
}

/**
 * The node's parameters, built from the operation table: Resource, each resource's Operation,
 * then every field, shown only for the operations that use it. Identical fields of one resource
 * are one parameter where their operations agree on the order; the order keeps every operation's
 * own reading order (operationParameters), so no operation shows a required field below optional ones.
 */
export function buildProperties(resources: ResourceSpec[], operations: OperationSpec[]): INodeProperties[] {
	const defaultResource = resources[0].value;
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources.map((r) => ({ name: r.name, value: r.value, description: r.description })),
			default: defaultResource,
		},
	];

	for (const resource of resources) {
		const ops = operations.filter((op) => op.resource === resource.value);
		const defaultOperation = ops[0].value;
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: [...ops]
				.sort((a, b) => a.name.localeCompare(b.name))
				.map((op) => ({ name: op.name, value: op.value, action: op.action, description: op.description })),
			default: defaultOperation,
		});

		// Entries by key; a field whose shared entry would contradict another operation's order
		// (A before B here, B before A there) gets an entry of its own for this operation.
		const merged = new Map<string, Shown>();
		for (const op of ops) {
			let previous: string | undefined;
			for (const property of operationParameters(op)) {
				const key = JSON.stringify(property);
				let entry = key;
				for (let copy = 2; merged.has(entry) && previous !== undefined && reaches(merged, entry, previous); copy++) {
					entry = `${key}#${copy}`;
				}
				let shown = merged.get(entry);
				if (!shown) {
					shown = { property, operations: [], before: new Set() };
					merged.set(entry, shown);
				}
				shown.operations.push(op.value);
				if (previous !== undefined) merged.get(previous)!.before.add(entry);
				previous = entry;
			}
		}

		for (const { property, operations: shownFor } of inReadingOrder(merged, resource.value)) {
			// Keep extra conditions of the field itself (e.g. Limit shows only without Return All, or not as a tool).
			const { displayOptions, ...rest } = property;
			const show = { resource: [resource.value], operation: shownFor, ...(displayOptions?.show ?? {}) };
			properties.push({ ...rest, displayOptions: { ...displayOptions, show } });
		}
	}
	return properties;
}

/** Whether `to` must already come after `from` (a path of "before" links leads there). */
function reaches(merged: Map<string, Shown>, from: string, to: string): boolean {
	const seen = new Set<string>();
	const stack = [from];
	while (stack.length) {
		const key = stack.pop()!;
		if (key === to) return true;
		if (seen.has(key)) continue;
		seen.add(key);
		stack.push(...merged.get(key)!.before);
	}
	return false;
}

/** A topological order of the merged parameters; ties keep the order they were first met in. */
function inReadingOrder(merged: Map<string, Shown>, resource: string): Shown[] {
	const keys = [...merged.keys()];
	const waiting = new Map(keys.map((key) => [key, 0]));
	for (const shown of merged.values()) for (const after of shown.before) waiting.set(after, waiting.get(after)! + 1);
	const ordered: Shown[] = [];
	while (ordered.length < keys.length) {
		const next = keys.find((key) => waiting.get(key) === 0);
		// Cannot happen: buildProperties never links two entries both ways.
		if (next === undefined) throw new Error(`Datto RMM node: no reading order for the ${resource} fields`);
		waiting.set(next, -1);
		const shown = merged.get(next)!;
		for (const after of shown.before) waiting.set(after, waiting.get(after)! - 1);
		ordered.push(shown);
	}
	return ordered;
}

/**
 * The canvas subtitle, "Resource: Operation" in the words of the dropdowns (e.g. "Device: Get
 * Many"), instead of the parameter values; n8n's Custom API Call choice reads as itself.
 */
export function buildSubtitle(resources: ResourceSpec[], operations: OperationSpec[]): string {
	const names: Record<string, string> = {};
	for (const op of operations) {
		const resource = resources.find((r) => r.value === op.resource);
		if (resource) names[`${op.resource}:${op.value}`] = `${resource.name}: ${op.name}`;
	}
	return `={{ ${JSON.stringify(names)}[$parameter["resource"] + ":" + $parameter["operation"]] || "Custom API Call" }}`;
}
