/**
 * The few places where n8n-core's engine API differs between the oldest supported n8n (1.x) and
 * 2.x, in one file. The engine tests run against both (jest.config.js, project "n8n 1.x"), so the
 * harness asks the loaded n8n-core what it has instead of assuming 2.x.
 */
import type { ICredentialDataDecryptedObject, INode, IRun, IRunExecutionData, Workflow } from 'n8n-workflow';
import * as n8nWorkflow from 'n8n-workflow';
import * as n8nCore from 'n8n-core';
import { WorkflowExecute } from 'n8n-core';

/** n8n-core's version as loaded (2.41.1, or the oldest supported 1.x under the "n8n 1.x" project). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const N8N_CORE_VERSION: string = (require('n8n-core/package.json') as { version: string }).version;

/**
 * `WorkflowExecute.run`: 2.x takes one options object, 1.x positional arguments. 1.x leaves a
 * failed run's status at "running" and lets the server decide it (an error in the result data
 * makes it "error"); that rule is applied here, so tests read the status a user would see.
 */
export async function runExecution(executor: WorkflowExecute, workflow: Workflow, startNode?: INode): Promise<IRun> {
	const run = executor.run as unknown as (...args: unknown[]) => Promise<IRun>;
	if (run.length <= 1) return await run.call(executor, { workflow, startNode });
	const result = await run.call(executor, workflow, startNode);
	if (result.status === 'running' && result.data.resultData.error) result.status = 'error';
	return result;
}

/** n8n-core 2.x reads external secrets through this proxy; 1.x has none. */
export function externalSecretsProxy(): Record<string, unknown> {
	return 'ExternalSecretsProxy' in n8nCore ? { externalSecretsProxy: new n8nCore.ExternalSecretsProxy() } : {};
}

/**
 * The domains a credential limits its own requests to (n8n 2.x's "Allowed HTTP Request Domains"
 * setting), or undefined when there is no limit; n8n 1.x has no such setting.
 */
export function credentialOwnAllowedDomains(credentials: ICredentialDataDecryptedObject): string | undefined {
	if (!('getCredentialOwnRequestAllowedDomains' in n8nWorkflow)) return undefined;
	return n8nWorkflow.getCredentialOwnRequestAllowedDomains(credentials);
}

/** n8n's rule for an expression: a string starting with "=" (2.x exports it, 1.x does not). */
export function isExpression(value: unknown): value is string {
	return typeof value === 'string' && value.charAt(0) === '=';
}

interface IsolatedExpression {
	acquireIsolate?: () => Promise<void>;
	releaseIsolate?: () => Promise<void>;
}

/**
 * Evaluates expressions of `workflow` inside `work`: n8n 2.x runs them in an isolate that must be
 * acquired first and released after; 1.x evaluates them in-process and has no isolate.
 */
export async function withExpressionIsolate<T>(workflow: Workflow, work: () => Promise<T>): Promise<T> {
	const expression = workflow.expression as unknown as IsolatedExpression;
	if (!expression.acquireIsolate) return await work();
	await expression.acquireIsolate();
	try {
		return await work();
	} finally {
		await expression.releaseIsolate?.();
	}
}

/** Empty run data for a single node run: 2.x builds it with createRunExecutionData, 1.x is a plain object. */
export function emptyRunExecutionData(): IRunExecutionData {
	const init = { resultData: { runData: {} } };
	if ('createRunExecutionData' in n8nWorkflow) return n8nWorkflow.createRunExecutionData(init);
	return init as IRunExecutionData;
}

/**
 * n8n 2.x's PollContext offers the poll's time budget (getPollBudgetMs, from its constructor); 1.x
 * has none, so a 1.x host never limits a poll and the trigger uses its own 50 s. A test that sets
 * a budget gets it on 1.x too, so the trigger's own budget logic is tested on both.
 */
export function offerPollBudget(context: object, budgetMs: number | undefined): void {
	const host = context as { getPollBudgetMs?: () => number };
	if (budgetMs !== undefined && typeof host.getPollBudgetMs !== 'function') host.getPollBudgetMs = () => budgetMs;
}
