/** The quick-job runs: the body, the one PUT that starts the job, and waiting for its output. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { writeMayHaveHappened } from '../../shared/transport/errors';
import { dattoRequest, type RequestOptions } from '../../shared/transport/request';
import type { DattoContext } from '../../shared/transport/requestTypes';
import { requiredText } from './fields';
import { InputError } from './validate';
import type { BuiltRequest } from './types';

/** Errors from our transport are n8n errors already; anything else is wrapped as one. */
function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** The quick-job request body, from the item's parameters; InputError before anything is sent. */
function quickJobBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const componentUid = requiredText(
		ctx.getNodeParameter('componentUid', itemIndex, undefined, { extractValue: true }),
		'Component',
	) as string;
	const name = String(ctx.getNodeParameter('jobName', itemIndex, '') ?? '').trim();
	if (!name) throw new InputError('Job Name', 'Job Name is empty: give the job a name, e.g. "n8n quick job"');
	const given = ctx.getNodeParameter('variables', itemIndex, {}) as { variable?: IDataObject[] };
	const list: IDataObject[] = [];
	const seen = new Set<string>();
	for (const entry of given.variable ?? []) {
		const varName = String(entry.name ?? '').trim();
		if (!varName) {
			throw new InputError('Component Variables', 'A component variable has no name: give each variable the name the component defines, or remove it');
		}
		if (seen.has(varName)) {
			throw new InputError('Component Variables', `The component variable "${varName}" is given twice: keep one`);
		}
		seen.add(varName);
		list.push({ name: varName, value: entry.value === undefined || entry.value === null ? '' : String(entry.value) });
	}
	return { jobName: name, jobComponent: { componentUid, variables: list } };
}

/**
 * One PUT that starts the job. Never repeated after an ambiguous failure (safety 'create'); the
 * error then says plainly that the job may be running, so nobody starts it twice by accident.
 */
async function startQuickJob(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: BuiltRequest,
	body: IDataObject,
	options: RequestOptions,
): Promise<IDataObject> {
	const deviceUid = request.pathValues.deviceUid;
	try {
		const answer = await dattoRequest<IDataObject>(
			ctx,
			{ method: 'PUT', path: request.path, body, safety: 'create', notFoundHint: `the device "${deviceUid}"` },
			options,
		);
		return answer && typeof answer === 'object' ? answer : {};
	} catch (error) {
		if (error instanceof NodeApiError && writeMayHaveHappened(error)) {
			error.message = `The quick job may have started on device "${deviceUid}": ${error.message}`;
			error.description = `${error.description ?? ''} Look at the device's jobs in Datto RMM before running this again, or the component will run twice.`.trim();
		}
		throw asNodeError(ctx, error, itemIndex);
	}
}

function jobOf(answer: IDataObject): IDataObject {
	return answer.job && typeof answer.job === 'object' ? (answer.job as IDataObject) : {};
}

export async function runQuickJob(
	ctx: DattoContext,
	itemIndex: number,
	request: BuiltRequest,
	options: RequestOptions,
): Promise<IDataObject[]> {
	const exec = ctx as IExecuteFunctions;
	const body = quickJobBody(exec, itemIndex);
	const answer = await startQuickJob(exec, itemIndex, request, body, options);
	return [{ ...answer, deviceUid: request.pathValues.deviceUid }];
}

/** Text of a stdout/stderr answer: each component's stdData, one after another. */
function joinStdData(answer: unknown): string {
	if (!Array.isArray(answer)) return typeof answer === 'string' ? answer : '';
	return (answer as IDataObject[])
		.map((entry) => (entry && typeof entry.stdData === 'string' ? entry.stdData : ''))
		.filter((text) => text !== '')
		.join('\n');
}

/** Output of a finished job; a 404 here means the device printed nothing. */
async function getStdText(
	ctx: IExecuteFunctions,
	path: string,
	options: RequestOptions,
): Promise<string> {
	try {
		return joinStdData(await dattoRequest<unknown>(ctx, { method: 'GET', path }, options));
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '404') return '';
		throw asNodeError(ctx, error, options.itemIndex ?? 0);
	}
}

/** Still running: the spec knows 'active' and 'completed'; anything else is treated as final. */
function isRunning(job: IDataObject): boolean {
	const status = typeof job.status === 'string' ? job.status.toLowerCase() : '';
	return status === '' || status === 'active';
}

export async function runQuickJobAndWait(
	ctx: DattoContext,
	itemIndex: number,
	request: BuiltRequest,
	options: RequestOptions,
): Promise<IDataObject[]> {
	const exec = ctx as IExecuteFunctions;
	const body = quickJobBody(exec, itemIndex);
	const wait = exec.getNodeParameter('waitOptions', itemIndex, {}) as IDataObject;
	const pollMs = Math.max(1, Number(wait.pollSeconds ?? 5) || 5) * 1000;
	const timeoutMs = Math.max(1, Number(wait.timeoutSeconds ?? 300) || 300) * 1000;
	const deviceUid = request.pathValues.deviceUid;

	const started = await startQuickJob(exec, itemIndex, request, body, options);
	let job = jobOf(started);
	const uid = typeof job.uid === 'string' ? job.uid : '';
	if (!uid) {
		throw new NodeOperationError(exec.getNode(), 'Datto RMM accepted the quick job but sent no job UID, so it cannot be followed', {
			itemIndex,
			description: `The job may be running on device "${deviceUid}": check it in Datto RMM before running this again.`,
		});
	}
	const jobPath = `/v2/job/${encodeURIComponent(uid)}`;
	const resultsPath = `${jobPath}/results/${encodeURIComponent(deviceUid)}`;
	const deadline = Date.now() + timeoutMs;
	// Following the job only reads: nothing counts against the quick-job write budget.
	const reads: RequestOptions = { ...options, writeBudget: undefined };

	let timedOut = false;
	while (isRunning(job)) {
		const left = deadline - Date.now();
		if (left <= 0) {
			timedOut = true;
			break;
		}
		await sleep(Math.min(pollMs, left));
		job = await dattoRequest<IDataObject>(exec, { method: 'GET', path: jobPath, notFoundHint: `the job "${uid}"` }, reads);
		if (!job || typeof job !== 'object') job = {};
	}

	const results = await dattoRequest<IDataObject>(
		exec,
		{ method: 'GET', path: resultsPath, notFoundHint: `the job "${uid}" on device "${deviceUid}"` },
		reads,
	);
	const out: IDataObject = {
		...job,
		uid,
		deviceUid,
		timedOut,
		jobDeploymentStatus: results?.jobDeploymentStatus,
		results,
	};
	if (!timedOut) {
		out.stdout = await getStdText(exec, `${resultsPath}/stdout`, reads);
		out.stderr = await getStdText(exec, `${resultsPath}/stderr`, reads);
	}
	if (wait.failOnComponentFailure === true && !timedOut && hasFailed(results)) {
		const name = typeof job.name === 'string' ? job.name : uid;
		const stderr = typeof out.stderr === 'string' ? out.stderr.trim().slice(0, 500) : '';
		throw new NodeOperationError(exec.getNode(), `The quick job "${name}" failed on device "${deviceUid}" (${String(results?.jobDeploymentStatus ?? 'Failure')})`, {
			itemIndex,
			description: `${stderr ? `Its error output: ${stderr}. ` : ''}Look at job ${uid} in Datto RMM, or turn off "Fail When the Component Fails" to get the job's results as an item.`,
		});
	}
	return [out];
}

/** Datto's verdict on the device: the deployment or one of its components failed. */
function hasFailed(results: IDataObject | undefined): boolean {
	if (!results || typeof results !== 'object') return false;
	if (results.jobDeploymentStatus === 'Failure') return true;
	const components = Array.isArray(results.componentResults) ? (results.componentResults as IDataObject[]) : [];
	return components.some((c) => c?.componentStatus === 'Failure');
}
