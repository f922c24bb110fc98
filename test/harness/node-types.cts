/**
 * The node types the harness's workflows are built from: this package's Datto RMM node, and two
 * small test nodes (n8n-nodes-base is not installed here):
 * - a Manual Trigger that behaves like n8n's: in a manual run it emits one empty item;
 * - an Items Source that outputs the JSON items a test gives it, each paired to the trigger item.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	ITriggerFunctions,
	ITriggerResponse,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, UserError } from 'n8n-workflow';

import { DattoRmm } from '../../nodes/DattoRmm/DattoRmm.node.js';
import packageJson from '../../package.json';

export const PACKAGE_NAME: string = packageJson.name;

/** The type n8n gives an installed community node: `<package name>.<description.name>`. */
export function communityNodeType(node: INodeType): string {
	return `${PACKAGE_NAME}.${node.description.name}`;
}

export const DATTO_NODE_TYPE = communityNodeType(new DattoRmm());
export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
export const ITEMS_SOURCE_TYPE = 'harness.itemsSource';
/** The node type n8n's credential tester uses for credential types that define `test`. */
export const NO_OP_TYPE = 'n8n-nodes-base.noOp';

/**
 * Like n8n's Manual Trigger: a trigger whose manual run emits `[{ json: {} }]`. WorkflowExecute
 * runs it through TriggersAndPollers, which turns the emit into the node's output.
 */
export class TestManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: "When clicking 'Execute workflow'",
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		maxNodes: 1,
		defaults: { name: "When clicking 'Execute workflow'" },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}

/** Outputs the items in its `items` parameter (a JSON array), each paired to input item 0. */
export class TestItemsSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Items Source',
		name: 'itemsSource',
		group: ['transform'],
		version: 1,
		description: 'Test node: outputs the given JSON items',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Items (JSON)',
				name: 'items',
				type: 'json',
				default: '[]',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as unknown;
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		if (!Array.isArray(items)) throw new UserError('Items Source: "items" must be a JSON array');
		return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

/** A bare NoOp, as n8n-nodes-base's (only its description matters to the credential tester). */
export class TestNoOp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'No Operation, do nothing',
		name: 'noOp',
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** An INodeTypes registry, as n8n's NodeTypes service offers to the engine. */
export class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	constructor(entries: Array<[string, INodeType | IVersionedNodeType]> = defaultNodeTypes()) {
		for (const [name, type] of entries) this.types.set(name, type);
	}

	add(name: string, type: INodeType | IVersionedNodeType): this {
		this.types.set(name, type);
		return this;
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new UserError(`Unknown node type "${nodeType}"`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes() {
		return {};
	}
}

export function defaultNodeTypes(): Array<[string, INodeType]> {
	return [
		[DATTO_NODE_TYPE, new DattoRmm()],
		[MANUAL_TRIGGER_TYPE, new TestManualTrigger()],
		[ITEMS_SOURCE_TYPE, new TestItemsSource()],
		[NO_OP_TYPE, new TestNoOp()],
	];
}
