import type { IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import type { OperationSpec } from './types';
import { InputError, shown } from './validate';

/**
 * How many results a list returns: n8n's Return All and Limit in the editor; as an AI tool,
 * Max Results in their place (tool.ts), small by default and never above TOOL_MAX_RESULTS.
 */

/** How many results an AI tool returns unless set otherwise: enough to answer, short to read. */
export const TOOL_LIST_LIMIT = 10;

/** The most results one AI tool answer holds, whatever Max Results or the model asks for. */
export const TOOL_MAX_RESULTS = 100;

export const returnAllProperty: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
	// As an AI tool, Max Results stands instead (an agent should not pull a whole account).
	displayOptions: { hide: { '@tool': [true] } },
};

export const limitProperty: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] }, hide: { '@tool': [true] } },
};

/**
 * A list's size as an AI tool, in place of Return All and Limit. To let the model choose, set it
 * with $fromAI; whatever it asks must be a whole number from 1 to TOOL_MAX_RESULTS.
 */
export const toolMaxResultsProperty: INodeProperties = {
	displayName: 'Max Results',
	name: 'maxResults',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: TOOL_MAX_RESULTS },
	default: TOOL_LIST_LIMIT,
	description: `How many results the agent gets at most (${TOOL_LIST_LIMIT} unless set, never more than ${TOOL_MAX_RESULTS}). To let the agent ask for more, set it with $fromAI, e.g. {{ $fromAI('limit', 'How many results at most', 'number', ${TOOL_LIST_LIMIT}) }}.`,
	displayOptions: { show: { '@tool': [true] } },
};

/** Whether the node runs as an AI tool: n8n names the tool variant of a node type `<name>Tool`. */
export function isToolNode(ctx: { getNode(): INode }): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/**
 * A limit: a whole number from 1 to `max` (number or numeric text), or InputError naming the
 * field. The one rule for every limit: out of range is an error, never silently changed.
 */
export function toLimit(value: unknown, label: string, max: number, parameter: string): number {
	const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	if (Number.isInteger(n) && n >= 1 && n <= max) return n;
	const range = Number.isFinite(max) ? `from 1 to ${max}` : 'of 1 or more';
	throw new InputError(label, `${label} must be a whole number ${range}, not ${shown(value)}`, parameter);
}

/**
 * How many results an AI tool's answer holds for item `i`: Max Results (left empty: the default).
 * n8n 1.x has no "@tool" condition, so there the tool shows the editor's Return All and Limit:
 * Return All means the most a tool answers.
 */
export function toolLimit(ctx: IExecuteFunctions, i: number): number {
	if ('maxResults' in ctx.getNode().parameters) {
		const value = ctx.getNodeParameter('maxResults', i, '');
		return value === '' || value === undefined || value === null ? TOOL_LIST_LIMIT : toLimit(value, 'Max Results', TOOL_MAX_RESULTS, 'maxResults');
	}
	if (ctx.getNodeParameter('returnAll', i, false) === true) return TOOL_MAX_RESULTS;
	return toLimit(ctx.getNodeParameter('limit', i, TOOL_LIST_LIMIT), 'Limit', TOOL_MAX_RESULTS, 'limit');
}

/**
 * How many entries a list fetches for item `i`: undefined for Return All, else Limit. As an AI
 * tool, one more than its answer holds, so the answer can say whether more exist.
 */
export function listLimit(ctx: IExecuteFunctions, i: number): number | undefined {
	if (isToolNode(ctx)) return toolLimit(ctx, i) + 1;
	if (ctx.getNodeParameter('returnAll', i, false) === true) return undefined;
	return toLimit(ctx.getNodeParameter('limit', i, 50), 'Limit', Infinity, 'limit');
}

/** Whether an operation answers with several items, so that as an AI tool it has Max Results. */
export function returnsSeveral(op: OperationSpec): boolean {
	return Boolean(op.list || op.several);
}
