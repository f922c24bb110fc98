import type { INodeProperties } from 'n8n-workflow';

import { limitProperty, optionsProperty, returnAllProperty } from './operations/fields';
import type { OperationSpec, ResourceSpec } from './operations/types';

interface Shown {
	property: INodeProperties;
	operations: string[];
}

function showFor(resource: string, operations: string[]): INodeProperties['displayOptions'] {
	return { show: { resource: [resource], operation: operations } };
}

/**
 * The node's parameters, built from the operation table: Resource, each resource's Operation,
 * then every field, shown only for the operations that use it. Identical fields of one resource
 * are merged into one parameter, so switching operation keeps what the user typed.
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

		const merged = new Map<string, Shown>();
		const add = (property: INodeProperties, operation: string) => {
			const { displayOptions, ...rest } = property;
			const key = JSON.stringify(property);
			const existing = merged.get(key);
			if (existing) existing.operations.push(operation);
			else merged.set(key, { property: rest as INodeProperties, operations: [operation] });
			// Keep extra conditions of the field itself (e.g. Limit shows only without Return All).
			if (displayOptions) merged.get(key)!.property.displayOptions = displayOptions;
		};
		for (const op of ops) {
			for (const field of op.fields) add(field.property, op.value);
			if (op.list) {
				add(returnAllProperty, op.value);
				add(limitProperty, op.value);
			}
		}
		for (const op of ops) add(optionsProperty, op.value);

		for (const { property, operations: shownFor } of merged.values()) {
			const own = property.displayOptions?.show ?? {};
			const base = showFor(resource.value, shownFor)!;
			properties.push({ ...property, displayOptions: { show: { ...base.show, ...own } } });
		}
	}
	return properties;
}
