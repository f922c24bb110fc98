/**
 * The Datto RMM node as an AI tool, in n8n-core's engine: the tool node type n8n makes of a
 * `usableAsTool` node, and a test node that plays the agent (or the MCP Server Trigger): it takes
 * the tools connected to its "Tools" input through n8n-core's own getInputConnectionData (which
 * builds each tool with createNodeAsTool: name, description, $fromAI schema), lists them and
 * calls them with the arguments a test gives, as an agent would. No language model is involved.
 */
import { randomUUID } from 'node:crypto';

import type {
	IConnections,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { DattoRmm } from '../../nodes/DattoRmm/DattoRmm.node.js';
import type { DattoSimulator, RecordedRequest } from '../simulator/index.cjs';
import { DATTO_CREDENTIAL_TYPE } from './credential-store.cjs';
import type { CredentialRef, N8nTestHarness, WorkflowRunResult } from './engine.cjs';
import { MANUAL_TRIGGER_TYPE, PACKAGE_NAME } from './node-types.cjs';

/**
 * What n8n's server does for a `usableAsTool` node (its NodeTypes service, not part of n8n-core):
 * the same node under the type `<name>Tool`, with no main input and one AI tool output. n8n also
 * adds a "Description" parameter of its own, but only to a node that has no `toolDescription`;
 * the Datto RMM node has one per operation, so nothing is added.
 */
export function asToolNodeType(node: INodeType): INodeType {
	const base = node.description;
	if (!base.properties.some((p) => p.name === 'toolDescription')) throw new Error(`${base.name} has no toolDescription parameter`);
	const description: INodeTypeDescription = {
		...base,
		name: `${base.name}Tool`,
		displayName: `${base.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
	};
	delete description.usableAsTool;
	return Object.assign(Object.create(node) as INodeType, { description });
}

export const DATTO_TOOL_TYPE = `${PACKAGE_NAME}.dattoRmmTool`;
export const TOOL_CALLER_TYPE = 'harness.toolCaller';

/** A tool as the agent sees it: name, description and its arguments ($fromAI keys). */
export interface ListedTool {
	name: string;
	description: string;
	args: Record<string, { type: string; description?: string; optional: boolean; default?: unknown }>;
}

export interface ToolCall {
	tool: string;
	args: Record<string, unknown>;
}

/** One call's answer: what the tool returned (parsed from the text the agent reads), or the error it gave. */
export interface ToolAnswer {
	tool: string;
	/** The text the agent reads (an answer's size is its UTF-8 bytes). */
	text?: string;
	result?: unknown;
	/** A failed call: as n8n's MCP Server Trigger gives it, `<error name>: <message>`. */
	error?: string;
}

interface ZodLike {
	description?: string;
	isOptional(): boolean;
	_def: { typeName: string; innerType?: ZodLike; defaultValue?: () => unknown };
}

interface ToolLike {
	name: string;
	description: string;
	schema: { shape: Record<string, ZodLike> };
	invoke(args: Record<string, unknown>): Promise<unknown>;
}

function describeArg(schema: ZodLike): ListedTool['args'][string] {
	let inner = schema;
	let value: unknown;
	while (inner._def.innerType) {
		if (inner._def.defaultValue) value = inner._def.defaultValue();
		inner = inner._def.innerType;
	}
	const type = inner._def.typeName.replace(/^Zod/, '').toLowerCase();
	return { type, description: schema.description, optional: schema.isOptional(), ...(value !== undefined ? { default: value } : {}) };
}

/** Plays the agent: lists the connected tools and makes the calls in its `calls` parameter. */
export class TestToolCaller implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tool Caller',
		name: 'toolCaller',
		group: ['transform'],
		version: 1,
		description: 'Test node: lists the connected tools and calls them like an agent',
		defaults: { name: 'Agent' },
		inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tools' }],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Calls (JSON)', name: 'calls', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const connected = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as ToolLike[] | ToolLike | undefined;
		const tools = Array.isArray(connected) ? connected : connected ? [connected] : [];
		const raw = this.getNodeParameter('calls', 0) as unknown;
		const calls = (typeof raw === 'string' ? JSON.parse(raw) : raw) as ToolCall[];
		const listed: ListedTool[] = tools.map((t) => ({
			name: t.name,
			description: t.description,
			args: Object.fromEntries(Object.entries(t.schema.shape).map(([key, schema]) => [key, describeArg(schema)])),
		}));
		const answers: ToolAnswer[] = [];
		for (const call of calls) {
			const tool = tools.find((t) => t.name === call.tool);
			if (!tool) throw new Error(`No tool "${call.tool}" among ${tools.map((t) => t.name).join(', ')}`);
			let text: string;
			try {
				text = String(await tool.invoke(call.args));
			} catch (error) {
				// n8n 2.x throws the node's error to the agent; the MCP Server Trigger answers it as
				// `<name>: <message>` (MessageFormatter.formatError), which is what is kept here.
				answers.push({ tool: call.tool, error: `${(error as Error).name}: ${(error as Error).message}` });
				continue;
			}
			try {
				answers.push({ tool: call.tool, text, result: JSON.parse(text) as unknown });
			} catch {
				// n8n 1.x answers a failure as text ("Error during node execution: ...").
				answers.push({ tool: call.tool, text, error: text });
			}
		}
		return [[{ json: { tools: listed, answers } as never, pairedItem: { item: 0 } }]];
	}
}

/** Registers the Datto RMM tool type and the tool caller with a harness (once). */
export function addToolTypes(harness: N8nTestHarness): void {
	harness.nodeTypes.add(DATTO_TOOL_TYPE, asToolNodeType(new DattoRmm()));
	harness.nodeTypes.add(TOOL_CALLER_TYPE, new TestToolCaller());
}

export interface ToolRun extends WorkflowRunResult {
	tools: ListedTool[];
	answers: ToolAnswer[];
}

/**
 * Manual Trigger → Agent, with one Datto RMM tool node per entry of `tools` on the agent's Tools
 * input (node name → parameters); the agent lists them and makes `calls`.
 */
export async function runTools(
	harness: N8nTestHarness,
	credential: CredentialRef,
	tools: Record<string, INodeParameters>,
	calls: ToolCall[],
): Promise<ToolRun> {
	const trigger = "When clicking 'Execute workflow'";
	const agent = 'Agent';
	const nodes: INode[] = [
		{ id: randomUUID(), name: trigger, type: MANUAL_TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: randomUUID(), name: agent, type: TOOL_CALLER_TYPE, typeVersion: 1, position: [200, 0], parameters: { calls: JSON.stringify(calls) } },
	];
	const connections: IConnections = {
		[trigger]: { [NodeConnectionTypes.Main]: [[{ node: agent, type: NodeConnectionTypes.Main, index: 0 }]] },
	};
	for (const [name, parameters] of Object.entries(tools)) {
		nodes.push({
			id: randomUUID(),
			name,
			type: DATTO_TOOL_TYPE,
			// The version n8n gives a tool node made today.
			typeVersion: 2,
			position: [200, 200],
			parameters,
			credentials: { [DATTO_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
		});
		connections[name] = { [NodeConnectionTypes.AiTool]: [[{ node: agent, type: NodeConnectionTypes.AiTool, index: 0 }]] };
	}
	const result = await harness.runWorkflow({ nodes, connections });
	if (result.error) throw result.error;
	const json = result.outputOf(agent)[0]?.[0]?.json as { tools: ListedTool[]; answers: ToolAnswer[] } | undefined;
	if (!json) throw new Error('The agent produced no output');
	return { ...result, tools: json.tools, answers: json.answers };
}

/** A parameter value the model fills: `={{ $fromAI('key', `description`, 'type', default) }}`. */
export function fromAi(key: string, description: string, type = 'string', fallback?: unknown): string {
	return `={{ $fromAI('${key}', \`${description}\`, '${type}'${fallback === undefined ? '' : `, ${JSON.stringify(fallback)}`}) }}`;
}

/** The last item of an answer that was cut (nodes/DattoRmm/tool-answer.ts), and the results before it. */
export function splitAnswer(items: Array<Record<string, unknown>>): { results: Array<Record<string, unknown>>; more?: Record<string, unknown> } {
	const last = items[items.length - 1];
	return last && last.moreResults === true ? { results: items.slice(0, -1), more: last } : { results: items };
}

/** The fields a tool description promises each result has ("Each result has: a, b, c."). */
export function promisedFields(description: string): string[] | undefined {
	const match = /(?:Each result|The answer) has: ([\w, ]+)\./.exec(description);
	return match?.[1].split(', ');
}

/** The items a call answered; a call that failed fails the test with its error. */
export function answerItems(answer: ToolAnswer): Array<Record<string, unknown>> {
	if (answer.error !== undefined) throw new Error(`${answer.tool} failed: ${answer.error}`);
	return answer.result as Array<Record<string, unknown>>;
}

/** The API requests (not the token exchange) a simulator received since `from`, an index into its log. */
export function apiRequests(sim: Pick<DattoSimulator, 'log'>, from: number): RecordedRequest[] {
	return sim.log.slice(from).filter((r) => r.path.startsWith('/api/'));
}
