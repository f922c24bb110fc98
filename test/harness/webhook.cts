/**
 * Serves this package's Datto RMM Webhook Trigger the way n8n serves an active workflow's webhook,
 * in-process, over real HTTP on loopback:
 *   - activation runs the node's webhookMethods (checkExists, then create) in n8n-core's HookContext,
 *     as n8n does when a workflow is published (or a test webhook starts listening);
 *   - each request is read as n8n's webhook server reads it: the body's bytes into `rawBody`, a
 *     JSON body parsed (malformed JSON answered 422 before the node sees it), a text/plain body
 *     kept as text, the query parsed; then n8n-core's WebhookContext (real request helpers, the
 *     harness's credentials helper) and `nodeType.webhook.call(context)`;
 *   - its answer follows n8n's webhook helpers: the node's own answer (noWebhookResponse), or
 *     200 with `webhookResponse`; returned workflowData starts an execution (WorkflowExecute from
 *     the trigger's output, as n8n's webhook executions do) through a No Operation node, and a
 *     node that throws is answered 500 and recorded as a failed execution, as n8n records it.
 *
 * ```ts
 * const served = await serveWebhookTrigger({ harness, parameters: { secret, enrich: 'none' } });
 * const answer = await served.post({ event: 'opened', alertUid: '…' }, { secret });
 * await served.settled();
 * served.executions;   // one per started execution: its items (the trigger's output) or its error
 * await served.close();
 * ```
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INode, INodeParameters, INodeType, IRun, IWebhookData, IWorkflowBase, WorkflowExecuteMode } from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';
import { HookContext, WebhookContext, WorkflowExecute } from 'n8n-core';

import { DattoRmmWebhookTrigger } from '../../nodes/DattoRmmWebhookTrigger/DattoRmmWebhookTrigger.node.js';
import { DATTO_CREDENTIAL_TYPE } from './credential-store.cjs';
import type { CredentialRef, N8nTestHarness } from './engine.cjs';
import { NO_OP_TYPE, communityNodeType } from './node-types.cjs';

// n8n's logger prints what the trigger logs (a refused delivery is a warning): quiet here unless
// HARNESS_N8N_LOGS=1. Read when n8n first builds its logger, so it must be set before any run.
if (!process.env.HARNESS_N8N_LOGS) process.env.N8N_LOG_LEVEL ??= 'error';

export const WEBHOOK_TRIGGER_TYPE = communityNodeType(new DattoRmmWebhookTrigger());
const TRIGGER_NAME = 'Datto RMM Webhook Trigger';
const NEXT_NAME = 'Next';
/** n8n's default N8N_PAYLOAD_SIZE_MAX (16 MiB): what its webhook server reads at most. */
const N8N_PAYLOAD_MAX_BYTES = 16 * 1024 * 1024;

export interface WebhookExecution {
	id: string;
	/** The trigger's output items (what the workflow started with). */
	items: IDataObject[];
	run?: IRun;
	/** The node's error, when webhook() threw (n8n records a failed execution). */
	error?: Error;
}

export interface WebhookAnswer {
	status: number;
	text: string;
	json?: IDataObject;
}

export interface ServeOptions {
	harness: N8nTestHarness;
	parameters: INodeParameters;
	credential?: CredentialRef;
	/** 'webhook' as for an active workflow's production URL (default), 'manual' for a test URL. */
	mode?: WorkflowExecuteMode;
	/** Extra node fields (id, name, webhookId...). */
	nodeOptions?: Partial<INode>;
}

function readBytes(request: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				reject(Object.assign(new Error('request entity too large'), { status: 413 }));
				request.destroy();
				return;
			}
			chunks.push(chunk);
		});
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});
}

function queryOf(url: URL): IDataObject {
	const query: IDataObject = {};
	for (const key of new Set(url.searchParams.keys())) {
		const values = url.searchParams.getAll(key);
		query[key] = values.length === 1 ? values[0] : values;
	}
	return query;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
	if (response.headersSent) return;
	response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify(body));
}

export class ServedWebhookTrigger {
	readonly node: INode;
	/** Executions started (and failed ones n8n would list), in order. */
	readonly executions: WebhookExecution[] = [];
	/** Every answer sent, in order. */
	readonly answers: WebhookAnswer[] = [];
	url = '';
	private server?: Server;
	private readonly running = new Set<Promise<void>>();
	private readonly workflowData: IWorkflowBase;
	private workflow!: Workflow;

	constructor(private readonly options: ServeOptions) {
		const nodeTypes = options.harness.nodeTypes;
		try {
			nodeTypes.getByName(WEBHOOK_TRIGGER_TYPE);
		} catch {
			nodeTypes.add(WEBHOOK_TRIGGER_TYPE, new DattoRmmWebhookTrigger() as INodeType);
		}
		this.node = {
			id: randomUUID(),
			name: TRIGGER_NAME,
			type: WEBHOOK_TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: randomUUID(),
			...options.nodeOptions,
			parameters: { ...options.parameters },
			...(options.credential
				? { credentials: { [DATTO_CREDENTIAL_TYPE]: { id: options.credential.id, name: options.credential.name } } }
				: {}),
		};
		this.workflowData = {
			id: `wf-${randomUUID()}`,
			name: 'Webhook harness workflow',
			active: true,
			isArchived: false,
			nodes: [this.node, this.nextNode()],
			connections: this.connections(),
			settings: { executionOrder: 'v1' },
			createdAt: new Date(),
			updatedAt: new Date(),
			activeVersionId: null,
		} as unknown as IWorkflowBase;
		this.rebuild();
	}

	private nextNode(): INode {
		return { id: randomUUID(), name: NEXT_NAME, type: NO_OP_TYPE, typeVersion: 1, position: [220, 0], parameters: {} };
	}

	private connections() {
		return { [TRIGGER_NAME]: { [NodeConnectionTypes.Main]: [[{ node: NEXT_NAME, type: NodeConnectionTypes.Main, index: 0 }]] } };
	}

	private rebuild(): void {
		this.workflow = new Workflow({
			id: this.workflowData.id,
			name: this.workflowData.name,
			nodes: this.workflowData.nodes,
			connections: this.workflowData.connections,
			active: true,
			nodeTypes: this.options.harness.nodeTypes,
			staticData: {},
			settings: { executionOrder: 'v1' },
		});
	}

	get mode(): WorkflowExecuteMode {
		return this.options.mode ?? 'webhook';
	}

	get workflowId(): string {
		return this.workflowData.id!;
	}

	/** The path n8n serves the node's webhook at (below /webhook/). */
	get path(): string {
		const description = new DattoRmmWebhookTrigger().description.webhooks![0];
		return NodeHelpers.getNodeWebhookPath(this.workflowId, this.node, String(description.path), false, false);
	}

	private webhookData(additionalData: IWebhookData['workflowExecuteAdditionalData']): IWebhookData {
		const description = this.options.harness.nodeTypes.getByNameAndVersion(this.node.type, 1).description.webhooks![0];
		return {
			httpMethod: 'POST',
			node: TRIGGER_NAME,
			path: this.path,
			webhookDescription: description,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
			isTest: this.mode === 'manual',
		};
	}

	/** As n8n activates the workflow: checkExists, then create when it answers false. Throws as n8n would refuse. */
	async activate(): Promise<void> {
		const additionalData = this.options.harness.createAdditionalData('activation', this.workflowData, this.mode);
		const webhookData = this.webhookData(additionalData);
		const nodeType = this.options.harness.nodeTypes.getByNameAndVersion(this.node.type, 1);
		const methods = nodeType.webhookMethods!.default!;
		const activation = this.mode === 'manual' ? 'manual' : 'activate';
		const context = () => new HookContext(this.workflow, this.workflow.getNode(TRIGGER_NAME)!, additionalData, this.mode, activation, webhookData);
		if (!(await methods.checkExists!.call(context()))) await methods.create!.call(context());
	}

	/** As n8n deactivates it: the node's delete(). */
	async deactivate(): Promise<boolean> {
		const additionalData = this.options.harness.createAdditionalData('deactivation', this.workflowData, this.mode);
		const nodeType = this.options.harness.nodeTypes.getByNameAndVersion(this.node.type, 1);
		const context = new HookContext(this.workflow, this.workflow.getNode(TRIGGER_NAME)!, additionalData, this.mode, 'activate', this.webhookData(additionalData));
		return await nodeType.webhookMethods!.default!.delete!.call(context);
	}

	/** Changes the node's parameters, as saving and republishing the workflow does. */
	setParameters(parameters: INodeParameters): void {
		this.node.parameters = { ...parameters };
		this.rebuild();
	}

	async listen(): Promise<void> {
		const server = createServer((request, response) => {
			const work = this.handle(request, response).catch((error: Error) => sendJson(response, 500, { message: error.message }));
			this.running.add(work);
			void work.finally(() => this.running.delete(work));
		});
		this.server = server;
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}/${this.mode === 'manual' ? 'webhook-test' : 'webhook'}/${this.path}`;
	}

	/** Sends a delivery: a JSON body (or raw text), `secret` in the URL's query unless told otherwise. */
	async post(
		body: unknown,
		options: { secret?: string; contentType?: string; headers?: Record<string, string>; query?: string; raw?: boolean } = {},
	): Promise<WebhookAnswer> {
		const url = new URL(this.url);
		if (options.query !== undefined) url.search = options.query;
		else if (options.secret !== undefined) url.searchParams.set('secret', options.secret);
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': options.contentType ?? 'application/json', ...options.headers },
			body: options.raw ? String(body) : JSON.stringify(body),
		});
		const text = await response.text();
		let json: IDataObject | undefined;
		try {
			json = JSON.parse(text) as IDataObject;
		} catch {
			json = undefined;
		}
		return { status: response.status, text, json };
	}

	/** Resolves when every request so far is answered and every execution it started has finished. */
	async settled(): Promise<void> {
		while (this.running.size) await Promise.allSettled([...this.running]);
	}

	async close(): Promise<void> {
		await this.settled();
		const server = this.server;
		this.server = undefined;
		if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	private answer(response: ServerResponse, status: number, body: unknown): void {
		this.answers.push({ status, text: JSON.stringify(body), json: body as IDataObject });
		sendJson(response, status, body);
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const expected = new URL(this.url).pathname;
		if (request.method !== 'POST' || url.pathname !== expected) {
			this.answer(response, 404, { code: 404, message: `The requested webhook "${request.method} ${url.pathname}" is not registered.` });
			return;
		}
		// n8n's webhook server: read the bytes, parse what it knows how to parse.
		let rawBody: Buffer;
		try {
			rawBody = await readBytes(request, N8N_PAYLOAD_MAX_BYTES);
		} catch (error) {
			this.answer(response, (error as { status?: number }).status ?? 400, { code: 413, message: (error as Error).message });
			return;
		}
		const contentType = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() || undefined;
		let body: unknown;
		if (rawBody.length) {
			if (contentType === 'application/json') {
				try {
					body = JSON.parse(rawBody.toString('utf8').replace(/^\uFEFF/, ''));
				} catch (error) {
					this.answer(response, 422, { code: 422, message: 'Failed to parse request body', hint: (error as Error).message });
					return;
				}
			} else if (contentType === 'text/plain') {
				body = rawBody.toString('utf8');
			}
		}
		Object.assign(request, { rawBody, body, contentType, query: queryOf(url), params: {} });

		const executionId = `${this.executions.length + 1}-${randomUUID().slice(0, 8)}`;
		const additionalData = this.options.harness.createAdditionalData(executionId, this.workflowData, this.mode);
		Object.assign(additionalData, { httpRequest: request, httpResponse: response });
		const node = this.workflow.getNode(TRIGGER_NAME)!;
		const nodeType = this.workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const context = new WebhookContext(this.workflow, node, additionalData, this.mode, this.webhookData(additionalData), [], null);
		let result;
		try {
			result = await nodeType.webhook!.call(context);
		} catch (error) {
			// n8n: 500 "Workflow could not be started!", and an execution that records the error.
			this.executions.push({ id: executionId, items: [], error: error as Error });
			this.answer(response, 500, { code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
			return;
		}
		if (result.noWebhookResponse) {
			this.answers.push({ status: response.statusCode, text: '' });
			return;
		}
		if (result.workflowData === undefined) {
			this.answer(response, 200, result.webhookResponse ?? { message: 'Webhook call received' });
			return;
		}
		// responseMode onReceived: answer at once, then run.
		this.answer(response, 200, result.webhookResponse ?? { message: 'Workflow was started' });
		const execution: WebhookExecution = { id: executionId, items: (result.workflowData[0] ?? []).map((i) => i.json) };
		this.executions.push(execution);
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: result.workflowData }, source: null }] },
		});
		execution.run = await new WorkflowExecute(additionalData, this.mode, runExecutionData).processRunExecutionData(this.workflow);
	}
}

/** Activates the trigger (its webhookMethods) and serves its URL on loopback. */
export async function serveWebhookTrigger(options: ServeOptions): Promise<ServedWebhookTrigger> {
	const served = new ServedWebhookTrigger(options);
	await served.activate();
	await served.listen();
	return served;
}
