import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { TOOL_MAX_RESULTS } from './operations/limits';
import type { Found } from './operations/types';
import { InputError } from './operations/validate';
import { getList, type ListRequest } from '../shared/transport/pagination';
import type { RequestOptions } from '../shared/transport/request';
import type { DattoContext } from '../shared/transport/requestTypes';

/**
 * What an AI tool answers: bounded, and saying so when it is. A list answer holds at most its
 * limit of results, and at most MAX_ANSWER_CHARS characters of them; when more exist, one last
 * item `{ moreResults: true, returned, total, hint }` says how many (total: Datto's count, null
 * when Datto gives none) and how to narrow the search. Texts in results longer than
 * MAX_ANSWER_TEXT are cut, saying how much was left out. Errors are one short text: what went
 * wrong, then what to do.
 */

/** The key of the last item of an answer that was cut: `{ moreResults: true, ... }`. */
export const MORE_KEY = 'moreResults';

/** The longest text of one result field an agent gets (job output, alert diagnostics...). */
export const MAX_ANSWER_TEXT = 10_000;

/**
 * The most characters of results one answer holds, whatever their number: 100 simplified devices
 * are about 65,000, but 100 of Datto's full devices (300 UDFs each) about 530,000.
 */
export const MAX_ANSWER_CHARS = 100_000;

/**
 * A list as an AI tool reads it: `list.limit` entries at most, never every page (one page when the
 * limit fits the account's page size, the usual case), with Datto's totalCount.
 */
export async function fetchToolList(ctx: DattoContext, list: ListRequest & { limit: number }, options: RequestOptions): Promise<Found> {
	const { items, totalCount } = await getList(ctx, list, options);
	return { items, total: totalCount };
}

/** The $fromAI keys in a parameter's value (at any depth): the inputs the model sets there. */
export function fromAiKeys(value: unknown): string[] {
	const keys: string[] = [];
	const visit = (v: unknown) => {
		if (typeof v === 'string') {
			for (const m of v.matchAll(/\$from[Aa][Ii]\(\s*(['"`])([\w-]+)\1/g)) if (!keys.includes(m[2])) keys.push(m[2]);
		} else if (v && typeof v === 'object') Object.values(v).forEach(visit);
	};
	visit(value);
	return keys;
}

/** The value of a parameter path (`filters.hostname`) in the node's parameters as set. */
function rawParameter(ctx: IExecuteFunctions, path: string): unknown {
	return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as IDataObject)[k] : undefined), ctx.getNode().parameters);
}

function cutTexts(value: unknown): unknown {
	if (typeof value === 'string' && value.length > MAX_ANSWER_TEXT) {
		return `${value.slice(0, MAX_ANSWER_TEXT)}… [${(value.length - MAX_ANSWER_TEXT).toLocaleString('en-US')} more characters cut]`;
	}
	if (Array.isArray(value)) return value.map(cutTexts);
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cutTexts(v)]));
	return value;
}

/** How the model can get other results: the inputs it sets that narrow, and the one that asks for more. */
function narrowHint(ctx: IExecuteFunctions, askMore: boolean): string {
	const limitKeys = fromAiKeys(ctx.getNode().parameters.maxResults);
	const narrowing = Object.entries(ctx.getNode().parameters)
		.filter(([name]) => name !== 'toolDescription' && name !== 'maxResults')
		.flatMap(([, value]) => fromAiKeys(value))
		.filter((key) => !limitKeys.includes(key));
	const ways: string[] = [];
	if (narrowing.length) ways.push(`narrow the search with ${narrowing.join(' or ')}`);
	if (limitKeys.length && askMore) ways.push(`ask for up to ${TOOL_MAX_RESULTS} with ${limitKeys[0]}`);
	return ways.length ? `To see others, ${ways.join(', or ')}.` : 'This tool has no input to narrow the search or to ask for more.';
}

/** An AI tool's answer for item `i`: texts cut, at most `limit` results, and a last item when more exist. */
export function toolAnswer(ctx: IExecuteFunctions, items: INodeExecutionData[], found: Found, limit: number | undefined, i: number): INodeExecutionData[] {
	const answer = items.map((item) => ({ ...item, json: cutTexts(item.json) as IDataObject }));
	const { total } = found;
	const shown = limit === undefined ? answer : answer.slice(0, limit);
	// Results beyond the character budget are left out like those beyond the limit (one always stays).
	let chars = 0;
	const fits = shown.findIndex((item, n) => (chars += JSON.stringify(item.json).length + 1) > MAX_ANSWER_CHARS && n > 0);
	const cut = fits > 0;
	if (cut) shown.length = fits;
	if (!cut && (limit === undefined || (answer.length <= limit && (total === undefined || total <= limit) && !found.more))) return answer;
	const exist = found.more && !cut && answer.length <= (limit ?? Infinity) ? 'More results may exist' : 'More results exist';
	const counted = total !== undefined && total > shown.length ? `${total.toLocaleString('en-US')} in all, ` : '';
	const budget = cut ? `; an answer holds at most ${MAX_ANSWER_CHARS.toLocaleString('en-US')} characters` : '';
	const more: IDataObject = {
		[MORE_KEY]: true,
		returned: shown.length,
		total: total !== undefined && total > shown.length ? total : null,
		hint: `${exist} (${counted}${shown.length} returned${budget}). ${narrowHint(ctx, !cut && shown.length < TOOL_MAX_RESULTS)}`,
	};
	return [...shown, { json: more, pairedItem: { item: i } }];
}

/** Editor wording in messages from the transport, in words an agent can act on. */
const TOOL_WORDING: Array<[RegExp, string]> = [
	[/run the workflow again later/gi, 'try again later'],
	[/run the workflow again/gi, 'try again'],
	[/ \(Options > Timeout\)/g, ''],
	[/use a filter or a Limit/g, 'narrow the search'],
];

const MAX_ERROR_TEXT = 600;

/**
 * An error as an AI tool gives it: one short text, what went wrong then what to do, the input
 * named by the key the model knows it by. n8n's MCP Server Trigger answers `<name>: <message>`,
 * so the name is the node's, not an error class.
 */
export function toolError(ctx: IExecuteFunctions, error: unknown, i: number): NodeOperationError {
	let parts: Array<string | undefined>;
	if (error instanceof InputError) {
		const keys = error.parameter ? fromAiKeys(rawParameter(ctx, error.parameter)) : [];
		const named = keys.length && error.message.startsWith(error.field) ? `The input ${keys.join(', ')} (${error.field})${error.message.slice(error.field.length)}` : error.message;
		parts = [named, 'Nothing was sent to Datto RMM'];
	} else if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		parts = [error.message, error.description ?? undefined];
	} else {
		parts = [error instanceof Error ? error.message : String(error)];
	}
	let text = parts
		.filter((part): part is string => Boolean(part?.trim()))
		.map((part) => part.trim().replace(/[.:]$/, ''))
		.join('. ');
	for (const [pattern, words] of TOOL_WORDING) text = text.replace(pattern, words);
	text = `${text.replace(/\s+/g, ' ').trim()}.`;
	if (text.length > MAX_ERROR_TEXT) text = `${text.slice(0, MAX_ERROR_TEXT - 1)}…`;
	const toolErr = new NodeOperationError(ctx.getNode(), text, { itemIndex: i });
	toolErr.name = 'Datto RMM';
	return toolErr;
}
