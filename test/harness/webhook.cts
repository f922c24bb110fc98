/**
 * Serves this package's Datto RMM Webhook Trigger the way n8n serves an active workflow's webhook,
 * in-process, over real HTTP on loopback:
 *   - activation runs the node's webhookMethods (checkExists, then create) in n8n-core's HookContext,
 *     as n8n does when a workflow is published (or a test webhook starts listening);
 *   - each request is read as n8n's webhook server reads it: the body's bytes into `rawBody`, a
 *     JSON body parsed (malformed JSON answered 422 before the node sees it), a text/plain body
 *     kept as text, the query parsed; then n8n-core's WebhookContext (real request helpers, the
 *     harness's credentials helper) and `nodeType.webhook.call(context)`;
 *   - its answer follows n8n 2.41's webhook helpers (packages/cli webhooks/webhook-helpers.ts): the
 *     node's own answer (noWebhookResponse); without workflowData, 200 with `webhookResponse`;
 *     with workflowData and no answer of its own, once the execution exists, what n8n 2.x sends
 *     for an onReceived webhook (webhook-on-received-response-extractor.ts): the description's
 *     responseData (undefined counts as the text "firstEntryJson"; "noData" an empty body), or
 *     when that is empty the node's `webhookResponse`. Returned workflowData starts an execution (WorkflowExecute from the trigger's output, as n8n's webhook executions
 *     do) through a No Operation node; a node that throws is answered 500 and recorded as a
 *     failed execution, as n8n records it.
 * The trigger's secret is a Datto RMM Webhook Secret API credential in the harness's store (`secret`
 * makes one).
 *
 * ```ts
 * const served = await serveWebhookTrigger({ harness, secret, parameters: { enrich: 'none' } });
 * const answer = await served.post({ event: 'opened', alertUid: '…' }, { secret });
 * await served.settled();
 * served.executions;   // one per started execution: its items (the trigger's output) or its error
 * await served.close();
 * ```
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	IDataObject,
	IExecuteData,
	INode,
	INodeParameters,
	INodeType,
	IRun,
	IRunExecutionData,
	IWebhookData,
	IWorkflowBase,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import * as n8nWorkflow from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';
import { HookContext, WebhookContext, WorkflowExecute } from 'n8n-core';

import { DattoRmmWebhookTrigger } from '../../nodes/DattoRmmWebhookTrigger/DattoRmmWebhookTrigger.node.js';
import { SECRET_CREDENTIAL } from '../../nodes/DattoRmmWebhookTrigger/settings';
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
	/** The content-type header, as sent. */
	contentType: string;
	/** The retry-after header, when there is one. */
	retryAfter?: string;
	text: string;
	json?: IDataObject;
}

export interface LogLine {
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
	meta?: unknown;
}

export interface ServeOptions {
	harness: N8nTestHarness;
	parameters: INodeParameters;
	/** The trigger's secret: saved as a Datto RMM Webhook Secret API credential of the harness. */
	secret?: string;
	/** An existing Datto RMM Webhook Secret API credential instead (e.g. one shared by two triggers). */
	secretCredential?: CredentialRef;
	/** The Datto RMM API credential (for Enrich). */
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

const JSON_TYPE = 'application/json; charset=utf-8';

function send(response: ServerResponse, status: number, contentType: string, text: string): void {
	if (response.headersSent) return;
	response.writeHead(status, { 'content-type': contentType });
	response.end(text);
}

/** Keeps what is written to `response`, so the served trigger can list every answer as sent. */
function recordBody(response: ServerResponse): () => string {
	const chunks: Buffer[] = [];
	const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
	const write = response.write.bind(response) as (...args: unknown[]) => boolean;
	const keep = (chunk: unknown) => {
		if (typeof chunk === 'string') chunks.push(Buffer.from(chunk));
		else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
	};
	response.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), write(chunk, ...rest))) as ServerResponse['write'];
	response.end = ((chunk?: unknown, ...rest: unknown[]) => {
		if (typeof chunk !== 'function') keep(chunk);
		return end(chunk, ...rest);
	}) as ServerResponse['end'];
	return () => Buffer.concat(chunks).toString('utf8');
}

function parsed(text: string): IDataObject | undefined {
	try {
		return JSON.parse(text) as IDataObject;
	} catch {
		return undefined;
	}
}

export class ServedWebhookTrigger {
	readonly node: INode;
	/** Executions started (and failed ones n8n would list), in order. */
	readonly executions: WebhookExecution[] = [];
	/** Every answer sent, in order. */
	readonly answers: WebhookAnswer[] = [];
	/** What the trigger logged while handling deliveries (passed on to n8n's logger as well). */
	readonly logLines: LogLine[] = [];
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
		const secret =
			options.secretCredential ??
			(options.secret !== undefined ? options.harness.addCredential({ secret: options.secret }, { type: SECRET_CREDENTIAL, name: 'Webhook secret' }) : undefined);
		const credentials: INode['credentials'] = {};
		if (secret) credentials[SECRET_CREDENTIAL] = { id: secret.id, name: secret.name };
		if (options.credential) credentials[DATTO_CREDENTIAL_TYPE] = { id: options.credential.id, name: options.credential.name };
		this.node = {
			id: randomUUID(),
			name: TRIGGER_NAME,
			type: WEBHOOK_TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: randomUUID(),
			...options.nodeOptions,
			parameters: { ...options.parameters },
			credentials,
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
			const work = this.handle(request, response).catch((error: Error) => send(response, 500, JSON_TYPE, JSON.stringify({ message: error.message })));
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
		const retryAfter = response.headers.get('retry-after') ?? undefined;
		return { status: response.status, contentType: response.headers.get('content-type') ?? '', ...(retryAfter ? { retryAfter } : {}), text, json: parsed(text) };
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

	/** What n8n sends itself: JSON, text (which Express sends as text/html), or nothing. */
	private answer(response: ServerResponse, status: number, body: unknown): void {
		if (body === undefined) send(response, status, 'text/html; charset=utf-8', '');
		else if (typeof body === 'string') send(response, status, 'text/html; charset=utf-8', body);
		else send(response, status, JSON_TYPE, JSON.stringify(body));
	}

	/**
	 * Keeps each line the node logs through `context`, and passes it on to n8n's logger (`n8n`: the
	 * logger of another context). n8n-core memoizes `logger` on first read as a read-only
	 * property, so it is defined here before anything reads it.
	 */
	private recordLogs(context: WebhookContext, n8n: WebhookContext['logger']): void {
		const lines = this.logLines;
		const recording = Object.create(n8n) as WebhookContext['logger'];
		for (const level of ['debug', 'info', 'warn', 'error'] as const) {
			// n8n's logger's level methods are read-only: define, not assign.
			Object.defineProperty(recording, level, {
				value: (message: string, meta?: never) => {
					lines.push({ level, message, meta });
					n8n[level](message, meta);
				},
			});
		}
		Object.defineProperty(context, 'logger', { value: recording });
	}

	/** Lists the answer as it went out, whoever wrote it. */
	private recorded(response: ServerResponse, text: string): void {
		const retryAfter = response.getHeader('retry-after');
		this.answers.push({
			status: response.statusCode,
			contentType: String(response.getHeader('content-type') ?? ''),
			...(retryAfter !== undefined ? { retryAfter: String(retryAfter) } : {}),
			text,
			json: parsed(text),
		});
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const written = recordBody(response);
		try {
			await this.serve(request, response);
		} finally {
			this.recorded(response, written());
		}
	}

	private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
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
			// raw-body's "too large" error is no n8n response error: n8n answers it 500.
			this.answer(response, 500, { code: 0, message: (error as Error).message });
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
		const newContext = () => new WebhookContext(this.workflow, node, additionalData, this.mode, this.webhookData(additionalData), [], null);
		const context = newContext();
		this.recordLogs(context, newContext().logger);
		let result;
		try {
			result = await nodeType.webhook!.call(context);
		} catch (error) {
			// n8n: 500 "Workflow could not be started!", and an execution that records the error.
			this.executions.push({ id: executionId, items: [], error: error as Error });
			this.answer(response, 500, { code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
			return;
		}
		if (result.workflowData === undefined) {
			if (!result.noWebhookResponse) this.answer(response, 200, result.webhookResponse ?? { message: 'Webhook call received' });
			return;
		}
		const execution: WebhookExecution = { id: executionId, items: (result.workflowData[0] ?? []).map((i) => i.json) };
		this.executions.push(execution);
		// onReceived: n8n answers once the execution exists, unless the node answered itself.
		if (!result.noWebhookResponse) this.answer(response, 200, onReceivedBody(nodeType.description.webhooks?.[0]?.responseData, result.webhookResponse));
		const runExecutionData = startingWith({ node, data: { main: result.workflowData }, source: null });
		execution.run = await new WorkflowExecute(additionalData, this.mode, runExecutionData).processRunExecutionData(this.workflow);
	}
}

/** n8n 2.41's body for an onReceived webhook that started a workflow (undefined: an empty body). */
function onReceivedBody(responseData: string | undefined, webhookResponse: unknown): unknown {
	const evaluated = responseData === undefined ? 'firstEntryJson' : responseData;
	if (evaluated === 'noData') return undefined;
	if (evaluated) return evaluated;
	return webhookResponse ?? { message: 'Workflow was started' };
}

/** Run data whose stack holds the trigger's output: 2.x builds it with createRunExecutionData, 1.x is a plain object. */
function startingWith(start: IExecuteData): IRunExecutionData {
	const executionData = { nodeExecutionStack: [start] };
	if ('createRunExecutionData' in n8nWorkflow) return n8nWorkflow.createRunExecutionData({ executionData });
	return {
		startData: {},
		resultData: { runData: {} },
		executionData: { contextData: {}, nodeExecutionStack: [start], metadata: {}, waitingExecution: {}, waitingExecutionSource: {} },
	} as unknown as IRunExecutionData;
}
/** Activates the trigger (its webhookMethods) and serves its URL on loopback. */
export async function serveWebhookTrigger(options: ServeOptions): Promise<ServedWebhookTrigger> {
	const served = new ServedWebhookTrigger(options);
	await served.activate();
	await served.listen();
	return served;
}
