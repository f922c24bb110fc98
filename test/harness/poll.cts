/**
 * Polls this package's Datto RMM Trigger the way n8n does, in-process: a `Workflow` holding the
 * trigger node, n8n-core's own `PollContext` (real request helpers, the harness's credentials
 * helper and additional data), and `nodeType.poll.call(context)`.
 *
 * Static data is kept like n8n keeps it for an active workflow: one `Workflow` object lives for
 * the activation and its `staticData` carries over from poll to poll (in memory, whatever a poll
 * did to it, even when it threw); after a poll that succeeded and changed it, it is "saved" (a JSON
 * snapshot, `saved`) as n8n saves it to the database. `restart()` rebuilds the workflow from that
 * snapshot, as after an n8n restart.
 *
 * ```ts
 * const poller = createTriggerPoller(account, { event: 'alertOpened' });
 * await poller.poll();                 // activation: mode 'trigger', the first poll
 * const { items, calls } = await poller.poll();
 * await poller.poll('manual');         // "Fetch Test Event"
 * poller.staticDataBytes();            // JSON size of the workflow's static data
 * ```
 */
import { randomUUID } from 'node:crypto';

import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWorkflowBase,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { PollContext } from 'n8n-core';

import { DattoRmmTrigger } from '../../nodes/DattoRmmTrigger/DattoRmmTrigger.node.js';
import type { DattoSimulator, RecordedRequest } from '../simulator/index.cjs';
import { offerPollBudget } from './compat.cjs';
import { DATTO_CREDENTIAL_TYPE } from './credential-store.cjs';
import type { CredentialRef, N8nTestHarness } from './engine.cjs';
import { communityNodeType } from './node-types.cjs';

export const TRIGGER_NODE_TYPE = communityNodeType(new DattoRmmTrigger());
const NODE_NAME = 'Datto RMM Trigger';

export type PollMode = 'trigger' | 'manual';

export interface PollResult {
	/** What `poll()` returned: null when it had nothing to emit. */
	returned: INodeExecutionData[][] | null;
	/** The JSON of the emitted items (output 0). */
	items: IDataObject[];
	/** The poll's error, when it threw (the harness never throws for it). */
	error?: Error;
	/** The API requests the simulator saw during this poll (token exchanges excluded). */
	calls: RecordedRequest[];
}

export interface TriggerPollerOptions {
	harness: N8nTestHarness;
	credential: CredentialRef;
	/** The simulator, to report each poll's requests. */
	sim?: DattoSimulator;
	/** What the host's getPollBudgetMs() answers (n8n-core's PollContext default: 5 minutes). */
	budgetMs?: number;
	/** Extra node fields. */
	nodeOptions?: Partial<INode>;
}

export class TriggerPoller {
	workflow!: Workflow;
	readonly node: INode;
	/** The static data as last saved (what n8n would have in its database). */
	saved: IDataObject = {};
	/** Every poll's result, in order. */
	readonly polls: PollResult[] = [];
	budgetMs?: number;
	private readonly workflowData: IWorkflowBase;

	constructor(
		private readonly options: TriggerPollerOptions,
		parameters: INodeParameters,
	) {
		const trigger = new DattoRmmTrigger();
		const nodeTypes = options.harness.nodeTypes;
		// The harness's registry learns the trigger, so its workflows can hold it too.
		try {
			nodeTypes.getByName(TRIGGER_NODE_TYPE);
		} catch {
			nodeTypes.add(TRIGGER_NODE_TYPE, trigger as INodeType);
		}
		this.budgetMs = options.budgetMs;
		this.node = {
			id: randomUUID(),
			name: NODE_NAME,
			type: TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			...options.nodeOptions,
			parameters: { ...parameters },
			credentials: {
				[DATTO_CREDENTIAL_TYPE]: { id: options.credential.id, name: options.credential.name },
			},
		};
		const id = `wf-${randomUUID()}`;
		this.workflowData = {
			id,
			name: 'Trigger harness workflow',
			active: true,
			isArchived: false,
			nodes: [this.node],
			connections: {},
			settings: { executionOrder: 'v1' },
			createdAt: new Date(),
			updatedAt: new Date(),
		} as IWorkflowBase;
		this.restart();
	}

	/** A new Workflow object from the saved static data, as n8n builds one when it (re)activates. */
	restart(): void {
		this.workflow = new Workflow({
			id: this.workflowData.id,
			name: this.workflowData.name,
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: this.options.harness.nodeTypes,
			staticData: JSON.parse(JSON.stringify(this.saved)) as IDataObject,
			settings: { executionOrder: 'v1' },
		});
	}

	/** Changes the node's parameters (n8n reactivates the workflow; static data stays). */
	setParameters(parameters: INodeParameters): void {
		this.node.parameters = { ...parameters };
		this.restart();
	}

	/** The trigger node's static data, in memory. */
	get nodeStaticData(): IDataObject {
		return this.workflow.getStaticData('node', this.workflow.getNode(NODE_NAME)!);
	}

	/** Size in bytes of the workflow's static data as n8n would store it (JSON). */
	staticDataBytes(): number {
		return Buffer.byteLength(JSON.stringify(this.workflow.staticData));
	}

	/** One poll: 'trigger' as an active workflow's schedule runs it, 'manual' for "Fetch Test Event". */
	async poll(mode: PollMode = 'trigger'): Promise<PollResult> {
		const node = this.workflow.getNode(NODE_NAME)!;
		// n8n creates an active workflow's poll functions once, when it activates it.
		const activation: WorkflowActivateMode = mode === 'manual' ? 'manual' : 'activate';
		const additionalData = this.options.harness.createAdditionalData(
			`poll-${this.polls.length + 1}`,
			this.workflowData,
			mode,
		);
		const budget = this.budgetMs;
		const context = new PollContext(
			this.workflow,
			node,
			additionalData,
			mode,
			activation,
			undefined,
			undefined,
			undefined,
			undefined,
			undefined,
			budget === undefined ? undefined : () => budget,
		);
		offerPollBudget(context, budget);
		const nodeType = this.workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const since = this.options.sim?.log.length ?? 0;
		const result: PollResult = { returned: null, items: [], calls: [] };
		try {
			result.returned = (await nodeType.poll!.call(context)) ?? null;
			result.items = (result.returned?.[0] ?? []).map((item) => item.json);
			// n8n saves static data after a poll that changed it.
			if (this.workflow.staticData.__dataChanged) {
				this.saved = JSON.parse(JSON.stringify(this.workflow.staticData)) as IDataObject;
				this.workflow.staticData.__dataChanged = false;
			}
		} catch (error) {
			result.error = error as Error;
		}
		if (this.options.sim) result.calls = this.options.sim.log.slice(since).filter((r) => r.path.startsWith('/api/'));
		this.polls.push(result);
		return result;
	}
}

export function createTriggerPoller(
	account: { harness: N8nTestHarness; credential: CredentialRef; sim?: DattoSimulator },
	parameters: INodeParameters,
	options: { budgetMs?: number; nodeOptions?: Partial<INode> } = {},
): TriggerPoller {
	return new TriggerPoller({ harness: account.harness, credential: account.credential, sim: account.sim, ...options }, parameters);
}

/**
 * Makes the simulator answer a given page of a list with an error, `times` times in a row (so
 * retries see it too): the fault is queued the moment the simulator records the request for that
 * page, before it handles it (scripted faults match the path only, not the query).
 */
export function failPage(
	sim: DattoSimulator,
	options: { path: string; page: number; status?: number; times?: number },
): void {
	const log = sim.log as RecordedRequest[] & { push: (...items: RecordedRequest[]) => number };
	const push = log.push.bind(log);
	let armed = true;
	log.push = (...items: RecordedRequest[]) => {
		for (const r of items) {
			if (armed && r.path === options.path && r.query.page === String(options.page)) {
				armed = false;
				sim.inject({ path: options.path, status: options.status ?? 500, times: options.times ?? 1 });
				log.push = push;
			}
		}
		return push(...items);
	};
}
