/**
 * Runs workflows in n8n-core's real engine (WorkflowExecute), in-process: the nodes' `this.helpers`
 * are n8n-core's own, requests go out over the network (to the simulator), and credentials go
 * through TestCredentialsHelper, which performs preAuthentication/authenticate as n8n's server does.
 */
import { randomUUID } from 'node:crypto';

import type {
	ExecutionBaseError,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	IRun,
	IRunData,
	ITaskData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';
import { ErrorReporter, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';

import { DattoRmmApi } from '../../credentials/DattoRmmApi.credentials';
import { DattoRmmWebhookSecretApi } from '../../credentials/DattoRmmWebhookSecretApi.credentials';
import { externalSecretsProxy, runExecution } from './compat.cjs';
import { DATTO_CREDENTIAL_TYPE, TestCredentialStore } from './credential-store.cjs';
import { TestCredentialsHelper } from './credentials-helper.cjs';
import {
	DATTO_NODE_TYPE,
	ITEMS_SOURCE_TYPE,
	MANUAL_TRIGGER_TYPE,
	TestNodeTypes,
} from './node-types.cjs';

export type CredentialRef = INodeCredentialsDetails & { id: string };

export interface WorkflowDefinition {
	nodes: INode[];
	connections: IConnections;
	/** Node to start from; by default n8n's choice (the trigger). */
	startNodeName?: string;
	mode?: WorkflowExecuteMode;
}

export interface WorkflowRunResult {
	run: IRun;
	runData: IRunData;
	/** The execution-level error, when the run failed. */
	error?: ExecutionBaseError;
	/** Errors n8n-core reported to its ErrorReporter (server log) during the run. */
	reportedErrors: ReportedError[];
	/** Main outputs of a node's first run (empty when it did not run or failed). */
	outputOf(nodeName: string): INodeExecutionData[][];
	/** A node's first run. */
	taskOf(nodeName: string): ITaskData | undefined;
}

export interface RunDattoNodeOptions {
	/** The Datto RMM node's parameters, e.g. `{ resource: 'account', operation: 'get' }`. */
	parameters: INodeParameters;
	/** A credential in this harness's store, or credential data to add to it (a new credential). */
	credential: CredentialRef | ICredentialDataDecryptedObject;
	/** Items fed to the node (through an Items Source node); by default the trigger's one empty item. */
	inputItems?: Array<Record<string, unknown>>;
	/** Node setting "On Error: Continue" (`onError: 'continueRegularOutput'`). */
	continueOnFail?: boolean;
	/** Extra node fields (name, retryOnFail, alwaysOutputData, typeVersion, ...). */
	nodeOptions?: Partial<INode>;
}

export interface DattoRunResult extends WorkflowRunResult {
	/** The Datto RMM node's main output 0. */
	items: INodeExecutionData[];
	/** All of the Datto RMM node's main outputs. */
	outputs: INodeExecutionData[][];
	/** The Datto RMM node's execution error (continueOnFail off), else undefined. */
	error?: ExecutionBaseError;
	nodeName: string;
	credential: CredentialRef;
}

export interface HarnessOptions {
	store?: TestCredentialStore;
	credentialTypes?: ICredentialType[];
	nodeTypes?: TestNodeTypes;
}

const TRIGGER_NAME = "When clicking 'Execute workflow'";

export interface ReportedError {
	error: unknown;
	options?: unknown;
}

/**
 * What n8n-core hands its ErrorReporter (which on a server goes to the log and to Sentry), kept
 * here instead of printed: a node's failure is reported there too, so it is part of what must
 * not leak. Set HARNESS_N8N_LOGS=1 to also let n8n print them.
 */
const reportedToN8n: ReportedError[] = [];
let reporterCaptured = false;
function captureErrorReports(): void {
	if (reporterCaptured) return;
	reporterCaptured = true;
	const original = ErrorReporter.prototype.error;
	ErrorReporter.prototype.error = function (this: ErrorReporter, error: unknown, options?: never) {
		reportedToN8n.push({ error, options });
		if (process.env.HARNESS_N8N_LOGS) original.call(this, error, options);
	};
}
const ITEMS_NAME = 'Items';

function isCredentialRef(value: CredentialRef | ICredentialDataDecryptedObject): value is CredentialRef {
	return typeof value.id === 'string' && typeof value.name === 'string' && !('apiKey' in value);
}

/** One n8n "instance": a credential store, the credential helper over it, and the node types. */
export class N8nTestHarness {
	readonly store: TestCredentialStore;
	readonly credentialsHelper: TestCredentialsHelper;
	readonly nodeTypes: TestNodeTypes;
	/** Every run, in order. */
	readonly runs: IRun[] = [];
	/** Errors n8n-core reported (to its log / error tracker) during this harness's runs. */
	readonly reportedErrors: ReportedError[] = [];

	constructor(options: HarnessOptions = {}) {
		this.store = options.store ?? new TestCredentialStore();
		this.credentialsHelper = new TestCredentialsHelper(
			this.store,
			options.credentialTypes ?? [new DattoRmmApi(), new DattoRmmWebhookSecretApi()],
		);
		this.nodeTypes = options.nodeTypes ?? new TestNodeTypes();
		captureErrorReports();
	}

	/** Saves a Datto RMM credential (or another type) and returns its reference. */
	addCredential(
		data: ICredentialDataDecryptedObject,
		options: { id?: string; name?: string; type?: string } = {},
	): CredentialRef {
		return this.store.add(data, options);
	}

	/** The additional data n8n's server passes to WorkflowExecute, reduced to what nodes use. */
	createAdditionalData(
		executionId: string,
		workflowData: IWorkflowBase,
		mode: WorkflowExecuteMode,
	): IWorkflowExecuteAdditionalData {
		const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
		const notAvailable = (what: string) => async () => {
			throw new Error(`${what} is not available in the test harness`);
		};
		const additionalData = {
			credentialsHelper: this.credentialsHelper,
			hooks,
			executionId,
			userId: 'harness-user',
			workflowId: workflowData.id,
			currentNodeExecutionIndex: 0,
			variables: {},
			restApiUrl: 'http://localhost:5678/rest',
			instanceBaseUrl: 'http://localhost:5678/',
			formBaseUrl: 'http://localhost:5678/form',
			formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
			formTestBaseUrl: 'http://localhost:5678/form-test',
			webhookBaseUrl: 'http://localhost:5678/webhook',
			webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
			mcpBaseUrl: 'http://localhost:5678/mcp',
			mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
			...externalSecretsProxy(),
			executeWorkflow: notAvailable('Executing a sub-workflow'),
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			logAiEvent: () => undefined,
			startRunnerTask: notAvailable('The task runner'),
		};
		return additionalData as unknown as IWorkflowExecuteAdditionalData;
	}

	/** Runs a workflow as a manual execution, to the end; never throws for a node's failure. */
	async runWorkflow(definition: WorkflowDefinition): Promise<WorkflowRunResult> {
		const mode = definition.mode ?? 'manual';
		const id = `wf-${randomUUID()}`;
		const nodes = definition.nodes.map((node) => ({ ...node, parameters: { ...node.parameters } }));
		const workflowData: IWorkflowBase = {
			id,
			name: 'Harness workflow',
			active: false,
			isArchived: false,
			nodes,
			connections: definition.connections,
			settings: { executionOrder: 'v1' },
			createdAt: new Date(),
			updatedAt: new Date(),
		} as IWorkflowBase;
		const workflow = new Workflow({
			id,
			name: workflowData.name,
			nodes,
			connections: definition.connections,
			active: false,
			nodeTypes: this.nodeTypes,
			settings: { executionOrder: 'v1' },
		});
		const executionId = `${this.runs.length + 1}`;
		const additionalData = this.createAdditionalData(executionId, workflowData, mode);
		const startNode = definition.startNodeName
			? workflow.getNode(definition.startNodeName) ?? undefined
			: undefined;
		const reportedBefore = reportedToN8n.length;
		const run = await runExecution(new WorkflowExecute(additionalData, mode), workflow, startNode);
		this.runs.push(run);
		this.reportedErrors.push(...reportedToN8n.slice(reportedBefore));
		const runData = run.data.resultData.runData;
		return {
			run,
			runData,
			error: run.data.resultData.error,
			reportedErrors: reportedToN8n.slice(reportedBefore),
			outputOf: (name) =>
				(runData[name]?.[0]?.data?.[NodeConnectionTypes.Main] ?? []).map((o) => o ?? []),
			taskOf: (name) => runData[name]?.[0],
		};
	}

	/** Manual Trigger → [Items Source] → Datto RMM, run once. */
	async runDattoNode(options: RunDattoNodeOptions): Promise<DattoRunResult> {
		const credential = isCredentialRef(options.credential)
			? options.credential
			: this.addCredential(options.credential);
		const nodeName = options.nodeOptions?.name ?? 'Datto RMM';
		const nodes: INode[] = [
			{
				id: randomUUID(),
				name: TRIGGER_NAME,
				type: MANUAL_TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
		];
		const connections: IConnections = {};
		const main = (to: string) => ({
			[NodeConnectionTypes.Main]: [[{ node: to, type: NodeConnectionTypes.Main, index: 0 }]],
		});
		let previous = TRIGGER_NAME;
		if (options.inputItems) {
			nodes.push({
				id: randomUUID(),
				name: ITEMS_NAME,
				type: ITEMS_SOURCE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: { items: JSON.stringify(options.inputItems) },
			});
			connections[previous] = main(ITEMS_NAME);
			previous = ITEMS_NAME;
		}
		nodes.push({
			id: randomUUID(),
			type: DATTO_NODE_TYPE,
			typeVersion: 1,
			position: [400, 0],
			...options.nodeOptions,
			name: nodeName,
			parameters: { ...options.parameters },
			credentials: { [DATTO_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		});
		connections[previous] = main(nodeName);

		const result = await this.runWorkflow({ nodes, connections });
		const outputs = result.outputOf(nodeName);
		const task = result.taskOf(nodeName);
		return {
			...result,
			items: outputs[0] ?? [],
			outputs,
			error: (task?.error as ExecutionBaseError | undefined) ??
				(result.error && !task ? result.error : undefined),
			nodeName,
			credential,
		};
	}
}

/** A harness shared by the module-level helpers below (one store for the whole test file). */
let defaultHarness: N8nTestHarness | undefined;
export function getDefaultHarness(): N8nTestHarness {
	defaultHarness ??= new N8nTestHarness();
	return defaultHarness;
}

export async function runWorkflow(definition: WorkflowDefinition, harness = getDefaultHarness()) {
	return await harness.runWorkflow(definition);
}

export async function runDattoNode(options: RunDattoNodeOptions, harness = getDefaultHarness()) {
	return await harness.runDattoNode(options);
}
