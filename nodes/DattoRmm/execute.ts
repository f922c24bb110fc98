import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { findOperation } from './operations';
import { isToolNode, listLimit, returnsSeveral, toolLimit } from './operations/limits';
import type { BuiltRequest, FieldSpec, Found, OperationSpec, PathVariant } from './operations/types';
import { checkOption, checkPathValue, checkTextLength, InputError } from './operations/validate';
import { fetchToolList, toolAnswer, toolError } from './tool-answer';
import { addIsoDates } from '../shared/dates';
import { getListItems } from '../shared/transport/pagination';
import { isCancellation } from '../shared/transport/errors';
import { dattoRequest, type RequestOptions } from '../shared/transport/request';
import { TOTAL_TIME_PER_ATTEMPT_TIME, type RetryPolicy } from '../shared/transport/retryPolicy';

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

function readField(ctx: IExecuteFunctions, field: FieldSpec, i: number): unknown {
	const { property } = field;
	if (property.type === 'resourceLocator') {
		return ctx.getNodeParameter(property.name, i, undefined, { extractValue: true });
	}
	return ctx.getNodeParameter(property.name, i, property.default);
}

/** The variant of the operation this item's parameters select, if it has variants. */
function chooseVariant(ctx: IExecuteFunctions, op: OperationSpec, i: number): PathVariant | undefined {
	return op.variants?.find((variant) =>
		Object.entries(variant.when).every(([name, value]) => ctx.getNodeParameter(name, i, undefined) === value),
	);
}

/** The endpoint for this item: the matching variant's, or the operation's own. */
export function choosePath(ctx: IExecuteFunctions, op: OperationSpec, i: number): string {
	return chooseVariant(ctx, op, i)?.path ?? op.path;
}

/** Whether a field's own display conditions (beyond resource/operation) hold for this item. */
function isShown(ctx: IExecuteFunctions, field: FieldSpec, i: number): boolean {
	const show = field.property.displayOptions?.show ?? {};
	return Object.entries(show).every(([name, allowed]) => {
		if (name === 'resource' || name === 'operation' || !Array.isArray(allowed)) return true;
		return allowed.includes(ctx.getNodeParameter(name, i, undefined) as never);
	});
}

/**
 * Checks what a field holds before anything is sent: an options value is one of its options; a
 * UID or ID (path or picker) is safe in a path and, as an AI tool, has Datto's form; as an AI tool
 * no text is longer than MAX_TOOL_TEXT.
 */
function checkField(field: FieldSpec, value: unknown, tool: boolean): unknown {
	const { property } = field;
	if (tool) checkTextLength(value, property.displayName);
	// An options value with a converter is the converter's to check (it may accept other forms, e.g. "HTTP").
	if (property.type === 'options' && !field.convert) checkOption(property, value);
	if (field.in === 'path' || property.type === 'resourceLocator') {
		return checkPathValue(field.api ?? property.name, field.convert ? field.convert(value, property.displayName) : value, property.displayName, tool);
	}
	return field.convert ? field.convert(value, property.displayName) : value;
}

/** The request an operation makes for item `i`; bad input throws InputError (naming its parameter) before anything is sent. */
export function buildRequest(ctx: IExecuteFunctions, op: OperationSpec, i: number): BuiltRequest {
	const built: BuiltRequest = { path: choosePath(ctx, op, i), qs: {}, pathValues: {} };
	const body: IDataObject = {};
	const tool = isToolNode(ctx);
	for (const field of op.fields) {
		const { property } = field;
		if (property.type === 'notice') continue;
		// A path field of another variant (e.g. Site while the scope is Account) is not shown: skip it.
		if (field.in === 'path' && !built.path.includes(`{${field.api ?? property.name}}`)) continue;
		if (!isShown(ctx, field, i)) continue;
		const raw = readField(ctx, field, i);
		if (property.type === 'collection' || property.type === 'fixedCollection') {
			const entries = Object.entries((raw ?? {}) as IDataObject);
			const labelOf = (name: string) => {
				const option = property.options?.find((o) => o.name === name);
				return option && 'displayName' in option ? option.displayName : name;
			};
			if (tool) for (const [name, value] of entries) withParameter(`${property.name}.${name}`, () => checkTextLength(value, labelOf(name)));
			if (field.in === 'none') continue;
			const target = field.in === 'query' ? built.qs : body;
			for (const [name, value] of entries) {
				if (isEmpty(value) && !(field.keepEmpty && value === '')) continue;
				const optionLabel = labelOf(name);
				const convert = field.optionConverters?.[name];
				const converted = convert && value !== '' ? withParameter(`${property.name}.${name}`, () => convert(value, optionLabel)) : value;
				if (!isEmpty(converted) || field.keepEmpty) target[name] = converted as IDataObject[string];
			}
			continue;
		}
		const value = withParameter(property.name, () => checkField(field, raw, tool));
		if (field.in === 'none') continue;
		const api = field.api ?? property.name;
		if (field.in === 'path') {
			built.pathValues[api] = String(value);
			built.path = built.path.replace(`{${api}}`, encodeURIComponent(String(value)));
		} else if (!isEmpty(value) || (field.keepEmpty && value === '')) {
			(field.in === 'query' ? built.qs : body)[api] = value as IDataObject[keyof IDataObject];
		}
	}
	if (op.method !== 'GET' && op.method !== 'DELETE') built.body = body;
	return built;
}

/** Runs a check of one parameter; its InputError names that parameter (an AI tool's error names the model's input). */
function withParameter<T>(parameter: string, check: () => T): T {
	try {
		return check();
	} catch (error) {
		throw naming(error, parameter);
	}
}

function naming(error: unknown, parameter: string): unknown {
	if (error instanceof InputError) error.parameter ??= parameter;
	return error;
}

/** What one operation returns for one item: entities, one per output item (and, when known, how many exist). */
async function runOperation(
	ctx: IExecuteFunctions,
	op: OperationSpec,
	i: number,
	options: RequestOptions,
	nodeOptions: IDataObject,
	tool: boolean,
): Promise<Found> {
	const request = buildRequest(ctx, op, i);
	const run = (tool && op.toolRun) || op.run;
	if (run) {
		const found = await run(ctx, i, request, options);
		return Array.isArray(found) ? { items: found } : found;
	}
	const ids = Object.values(request.pathValues).map((v) => `"${v}"`).join(' / ');
	const notFoundHint = op.notFound ? [op.notFound, ids].filter(Boolean).join(' ') : undefined;
	if (op.list) {
		const limit = listLimit(ctx, i);
		const list = { path: request.path, qs: request.qs, key: op.list.key, notFoundHint };
		// As an AI tool the limit is always set: one page, or the few up to it.
		if (tool && limit !== undefined) return fetchToolList(ctx, { ...list, limit }, options);
		const sequential = nodeOptions.concurrentPages === false;
		return { items: await getListItems(ctx, { ...list, limit, sequential }, options) };
	}
	const answer = await dattoRequest<unknown>(
		ctx,
		{ method: op.method, path: request.path, qs: request.qs, body: request.body, safety: op.safety, notFoundHint },
		options,
	);
	// A bare array (MAC lookups, job output) is the whole answer: its length is the total.
	if (Array.isArray(answer)) return { items: answer as IDataObject[], total: answer.length };
	if (answer && typeof answer === 'object') return { items: [answer as IDataObject] };
	// Writes often answer with an empty body: say what was done instead.
	return { items: [{ success: true, ...request.pathValues }] };
}

function toNodeError(ctx: IExecuteFunctions, error: unknown, i: number): Error {
	if (isToolNode(ctx)) return toolError(ctx, error, i);
	if (error instanceof InputError) {
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex: i,
			description: `Fix the "${error.field}" parameter; nothing was sent to Datto RMM.`,
		});
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = i;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
}

/** The node's Max Retries and Timeout options as a retry policy (defaults: the transport's). */
function retryPolicyFrom(options: IDataObject): Partial<RetryPolicy> {
	const policy: Partial<RetryPolicy> = {};
	if (options.maxRetries !== undefined) policy.maxRetries = Number(options.maxRetries);
	const seconds = Number(options.timeout);
	if (options.timeout !== undefined && Number.isFinite(seconds) && seconds > 0) {
		policy.timeoutMs = seconds * 1000;
		policy.totalTimeoutMs = seconds * 1000 * TOTAL_TIME_PER_ATTEMPT_TIME;
	}
	return policy;
}

/** n8n adds "Custom API Call" to the Resource list of nodes whose credential it can lend to the HTTP Request node. */
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

function customApiCallError(ctx: IExecuteFunctions, i: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), 'Custom API Call is done with an HTTP Request node, not with the Datto RMM node', {
		itemIndex: i,
		description:
			'Add an HTTP Request node, set Authentication to "Predefined Credential Type", Credential Type to "Datto RMM API" and pick this credential (n8n gets and renews the token), and call e.g. https://<platform>-api.centrastage.net/api/v2/account. Or choose one of this node\'s resources.',
	});
}

/** Input items worked on at once; the governor bounds the HTTP requests they make. */
const ITEM_CONCURRENCY = 32;

/** One item through its operation: its output items, each paired to it. */
async function runItem(ctx: IExecuteFunctions, i: number, signal: AbortSignal): Promise<INodeExecutionData[]> {
	const resource = ctx.getNodeParameter('resource', i) as string;
	if (resource === CUSTOM_API_CALL) throw customApiCallError(ctx, i);
	const operation = ctx.getNodeParameter('operation', i) as string;
	const op = findOperation(resource, operation);
	if (!op) {
		throw new NodeOperationError(ctx.getNode(), `Unknown operation "${operation}" for resource "${resource}"`, {
			itemIndex: i,
		});
	}
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const requestOptions: RequestOptions = {
		itemIndex: i,
		retry: retryPolicyFrom(options),
		writeBudget: chooseVariant(ctx, op, i)?.writeBudget ?? op.writeBudget,
		signal,
	};
	const tool = isToolNode(ctx);
	// As an AI tool, the answer's bound is checked before anything is sent.
	const limit = tool && returnsSeveral(op) ? toolLimit(ctx, i) : undefined;
	const found = await runOperation(ctx, op, i, requestOptions, options, tool);
	// Simplify (simplify.ts) gives its dates as ISO text already.
	const simplify = op.simplify && ctx.getNodeParameter('simple', i, false) === true ? op.simplify : undefined;
	const shape = (json: IDataObject) => (simplify ? simplify(json) : options.isoDates ? addIsoDates(json) : json);
	const items = found.items.map((json) => ({ json: shape(json), pairedItem: { item: i } }));
	return tool ? toolAnswer(ctx, items, found, limit, i) : items;
}

/**
 * The node's execute(): input items run concurrently (many device UIDs in, many requests out,
 * all under the account's request governor), and the output keeps input order, each result
 * paired to its item. With "Continue on Fail" a failing item becomes an error item; without it,
 * no new item starts after a failure and the first failing item's error is thrown.
 */
export async function executeDattoRmm(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	// Aborted at the first failure (without Continue on Fail): nothing of this execution is sent after it.
	const stop = new AbortController();
	const cancelled = ctx.getExecutionCancelSignal();
	const signal = cancelled ? AbortSignal.any([stop.signal, cancelled]) : stop.signal;
	const results: INodeExecutionData[][] = new Array(items.length);
	// The lowest-index failure (without Continue on Fail); Infinity while none.
	const failed: { index: number; error?: Error } = { index: Infinity };
	let next = 0;

	const worker = async () => {
		for (let i = next++; i < items.length && !failed.error; i = next++) {
			try {
				results[i] = await runItem(ctx, i, signal);
			} catch (error) {
				// An item dropped because another failed first is not itself a failure to report.
				if (stop.signal.aborted && isCancellation(error)) return;
				const nodeError = toNodeError(ctx, error, i);
				if (!continueOnFail) {
					if (i < failed.index) Object.assign(failed, { index: i, error: nodeError });
					stop.abort();
					return;
				}
				results[i] = [
					{
						json: { error: nodeError.message, description: (nodeError as NodeOperationError).description ?? undefined },
						pairedItem: { item: i },
					},
				];
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(ITEM_CONCURRENCY, items.length) }, worker));
	if (failed.error) throw failed.error;
	return [results.flat()];
}
