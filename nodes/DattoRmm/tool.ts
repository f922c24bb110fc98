import type { INodeProperties } from 'n8n-workflow';

import { TOOL_LIST_LIMIT } from './operations/fields';
import type { OperationSpec } from './operations/types';

/**
 * The node as an AI tool. n8n offers every `usableAsTool` node as a second node type named
 * `<name>Tool` (for an AI Agent or the MCP Server Trigger), built from this same description; a
 * parameter with the display condition `'@tool': [true]` is shown only there (`hide` for the
 * reverse). That is how the tool gets defaults of its own (a small Limit, Simplify on, a
 * description per operation) while the editor's node keeps n8n's usual ones. n8n 1.x has no such
 * condition: there the tool shows the editor's parameters.
 */

function sentence(text: string): string {
	const trimmed = text.trim();
	return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * What an agent is told an operation does: whether it changes anything, the operation's own
 * description (what it does and what its parameters mean), and for lists how many results come
 * back and how to get more. Built from the operation table, so every operation has one.
 */
export function toolDescriptionText(op: OperationSpec): string {
	const parts: string[] = [];
	// Reads are GET, whatever else they do; everything else changes something in Datto RMM.
	if (op.method === 'GET') parts.push('Read-only:', sentence(op.description));
	else parts.push('Changes data in Datto RMM:', sentence(op.description), 'Use it only when the user asked for exactly this change.');
	if (op.list) {
		parts.push(
			`Returns at most ${TOOL_LIST_LIMIT} results unless this tool was set up with another Max Results; when that many come back there may be more: narrow the search, or pass a higher limit if this tool takes one.`,
		);
	}
	return parts.join(' ');
}

/**
 * The tool's description, shown only in the tool variant: its default is the operation's own text.
 * Being named `toolDescription` keeps n8n from adding its generic "Set Automatically" one, which
 * would only say e.g. "Get many devices in Datto RMM".
 */
export function toolDescriptionProperty(op: OperationSpec): INodeProperties {
	return {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 4 },
		default: toolDescriptionText(op),
		description: 'What the AI agent or MCP client is told this tool does. The default is written for this operation.',
		displayOptions: { show: { '@tool': [true] } },
	};
}
