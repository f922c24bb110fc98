import type { INodeProperties } from 'n8n-workflow';

import { returnsSeveral, TOOL_LIST_LIMIT, TOOL_MAX_RESULTS } from './operations/limits';
import type { FieldSpec, OperationSpec } from './operations/types';
import { TOOL_NOTES } from './tool-notes';
import { MORE_KEY } from './tool-answer';

/**
 * The node as an AI tool. n8n offers every `usableAsTool` node as a second node type named
 * `<name>Tool` (for an AI Agent or the MCP Server Trigger), built from this same description; a
 * parameter with the display condition `'@tool': [true]` is shown only there (`hide` for the
 * reverse). That is how the tool gets defaults of its own (Max Results, Simplify on, a description)
 * while the editor's node keeps n8n's usual ones. n8n 1.x has no such condition: there the tool
 * shows the editor's parameters.
 *
 * The description must fit the tool as configured: which inputs the model sets ($fromAI), how many
 * results it gets, what each result holds. n8n builds a tool's description before any call
 * (createNodeAsTool) and, when the `toolDescription` parameter is an expression, evaluates it
 * with the node's parameters at hand. So its default is an expression: a plan of this operation
 * (below, from the operation table) read against `$rawParameter`, the node's parameters as the
 * builder set them. The editor shows it as an expression with its result beneath; typing fixed
 * text replaces it.
 */

/** One candidate input: where it is in the parameters, what the model is told it takes, what a fixed choice means. */
type PlanInput = [path: string, hint: string, fixed?: Record<string, string>];

export interface ToolPlan {
	head: string;
	inputs: PlanInput[];
	/** For answers of several items: the most and the default (Max Results). */
	limit?: [max: number, fallback: number];
	/** What each result holds with Simplify on, and off. */
	answer?: [simple: string, full: string];
	tail: string;
}

function sentence(text: string): string {
	const trimmed = text.trim();
	return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** What a parameter takes, as told to the model when it sets it. */
function hintOf(field: FieldSpec): string {
	const { property } = field;
	const base = (field.toolHint ?? property.description ?? property.displayName).replace(/[.]$/, '');
	if (property.type !== 'options') return base;
	const values = (property.options ?? []).map((o) => ('value' in o ? `"${String(o.value)}"` : '')).join(', ');
	return `${base}: one of ${values}`;
}

/** The chosen option of a fixed options parameter, as a sentence about what the tool does. */
function fixedChoices(property: INodeProperties): Record<string, string> {
	const out: Record<string, string> = {};
	for (const option of property.options ?? []) {
		if (!('value' in option)) continue;
		out[String(option.value)] = sentence(`${property.displayName}: ${option.description ?? option.name}`);
	}
	return out;
}

function planInputs(op: OperationSpec): PlanInput[] {
	const inputs: PlanInput[] = [];
	for (const field of op.fields) {
		const { property } = field;
		if (property.type === 'notice') continue;
		if (property.type === 'collection') {
			for (const option of property.options ?? []) {
				if (!('type' in option)) continue;
				inputs.push([`${property.name}.${option.name}`, hintOf({ in: field.in, property: option as INodeProperties })]);
			}
			continue;
		}
		inputs.push(property.type === 'options' ? [property.name, hintOf(field), fixedChoices(property)] : [property.name, hintOf(field)]);
	}
	return inputs;
}

/** The plan of an operation's tool description (read by TOOL_DESCRIBER in n8n's expression engine). */
export function toolPlan(op: OperationSpec): ToolPlan {
	const write = op.method !== 'GET';
	const note = TOOL_NOTES[`${op.resource}.${op.value}`];
	const head = [write ? 'Changes data in Datto RMM:' : 'Read-only:', sentence(op.action), note ? sentence(note) : ''].filter(Boolean).join(' ');
	const several = returnsSeveral(op);
	const plan: ToolPlan = { head, inputs: planInputs(op), tail: '' };
	if (several) plan.limit = [TOOL_MAX_RESULTS, TOOL_LIST_LIMIT];
	if (op.simplify) {
		const keys = Object.keys(op.simplify({}));
		plan.answer = [`${several ? 'Each result' : 'The answer'} has: ${keys.join(', ')}.`, `${several ? 'Each result' : 'The answer'} is Datto's full object.`];
	}
	const tail: string[] = [];
	if (several) tail.push(`When more exist, a last item with ${MORE_KEY}: true says how many (total, when Datto counts them) and how to narrow the search.`);
	if (write) tail.push('Use it only when the user asked for exactly this change.');
	plan.tail = tail.join(' ');
	return plan;
}

/**
 * Reads a plan against the node's parameters: the operation, what the fixed options choose, the
 * inputs the model sets (those holding $fromAI, with their keys), how many results, what each
 * holds. Kept free of "}}" and "{{" (n8n's expression delimiters). Plain JavaScript of the kind
 * n8n's expressions run.
 */
const TOOL_DESCRIBER = `(d, P) => {
	const keysOf = (v) => { const s = typeof v === 'string' ? v : JSON.stringify(v === undefined ? '' : v); const out = []; const re = /\\$from[Aa][Ii]\\(\\s*\\\\?(['"\`])([\\w-]+)\\\\?\\1/g; let m; while ((m = re.exec(s))) if (!out.includes(m[2])) out.push(m[2]); return out; };
	const at = (path) => path.split('.').reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), P);
	const out = [d.head]; const inputs = [];
	for (const [path, hint, fixed] of d.inputs) {
		const value = at(path); const keys = keysOf(value);
		if (keys.length) inputs.push(keys.join(', ') + ' (' + hint + ')');
		else if (fixed && typeof value === 'string' && fixed[value]) out.push(fixed[value]);
	}
	let count = '';
	if (d.limit) {
		const raw = P.maxResults; const keys = keysOf(raw);
		if (keys.length) { const m = /,\\s*(\\d+)\\s*\\)\\s*\\}\\}\\s*$/.exec(String(raw)); inputs.push(keys[0] + ' (how many results: a whole number from 1 to ' + d.limit[0] + (m ? ', ' + m[1] + ' if left out' : '') + ')'); count = 'Returns at most ' + keys[0] + ' results, never more than ' + d.limit[0] + '.'; }
		else { const n = Number(raw === undefined || raw === '' ? d.limit[1] : raw); count = 'Returns at most ' + (Number.isInteger(n) ? n : d.limit[0]) + ' results.'; }
	}
	out.push(inputs.length ? 'Inputs: ' + inputs.join('; ') + '.' : 'It takes no inputs.');
	if (count) out.push(count);
	if (d.answer) out.push(P.simple === true ? d.answer[0] : d.answer[1]);
	if (d.tail) out.push(d.tail);
	return out.join(' ');
}`;

/** Text for an expression: no "{{" or "}}" (a space between), so n8n reads it as one expression. */
function expressionSafe(text: string): string {
	return text.replace(/\}(?=\})/g, '} ').replace(/\{(?=\{)/g, '{ ');
}

/** The expression that describes an operation's tool as configured. */
export function toolDescriptionExpression(op: OperationSpec): string {
	const code = TOOL_DESCRIBER.replace(/\n\t*/g, ' ');
	return `={{ (${expressionSafe(code)})(${expressionSafe(JSON.stringify(toolPlan(op)))}, $rawParameter) }}`;
}

/**
 * The tool's description, shown only in the tool variant. Being named `toolDescription` keeps n8n
 * from adding its generic "Set Automatically" one, which would only say e.g. "Get many devices in
 * Datto RMM".
 */
export function toolDescriptionProperty(op: OperationSpec): INodeProperties {
	return {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 4 },
		default: toolDescriptionExpression(op),
		description:
			'What the AI agent or MCP client is told this tool does. The default describes this operation as configured here (its inputs set with $fromAI, Max Results, Simplify); fixed text replaces it.',
		displayOptions: { show: { '@tool': [true] } },
	};
}
