import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { writeMayHaveHappened } from '../../shared/transport/errors';
import { dattoRequest, type RequestOptions } from '../../shared/transport/request';
import type { DattoContext } from '../../shared/transport/requestTypes';
import { locator } from '../../shared/descriptions/locator';
import { devicePicker, requiredText } from './fields';
import { InputError } from './validate';
import { simplifyJob } from '../simplify';
import type { BuiltRequest, FieldSpec, OperationSpec } from './types';

const jobUid: FieldSpec = {
	in: 'path',
	convert: requiredText,
	property: {
		displayName: 'Job UID',
		name: 'jobUid',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 9f1c2b3a-4d5e-6f70-8192-a3b4c5d6e7f8',
		description: 'UID of the job: a UUID, job.uid in the answer of Run Quick Job (or from the job page in Datto RMM)',
	},
};

const device = devicePicker('The device the job ran (or runs) on');

const stream: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'Output',
		name: 'stream',
		type: 'options',
		default: 'stdout',
		options: [
			{ name: 'Standard Output', value: 'stdout', description: 'What the components printed (stdout)' },
			{ name: 'Standard Error', value: 'stderr', description: 'The error output of the components (stderr)' },
		],
		description: 'Which output of the job on this device to get',
	},
};

const componentHint = "The component (script) the job runs: its uid, a UUID (component lists give it, with the component's variables)";

const component: FieldSpec = {
	in: 'none',
	toolHint: componentHint,
	property: locator({
		name: 'componentUid',
		displayName: 'Component',
		searchListMethod: 'searchComponents',
		entity: 'component',
		description: `${componentHint}. In the editor, pick it from the list (search by name).`,
	}),
};

const jobName: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'Job Name',
		name: 'jobName',
		type: 'string',
		required: true,
		default: 'n8n quick job',
		description: 'Name of the job, as shown in Datto RMM and in the activity log',
	},
};

const variables: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'Component Variables',
		name: 'variables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Variable',
		default: {},
		description:
			"Values for the component's input variables; variables left out keep the component's default value",
		options: [
			{
				displayName: 'Variable',
				name: 'variable',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. TargetFolder',
						description: 'Name of one of the component\'s variables, exactly as the component defines it (component lists give them)',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: "The variable's value, as text (Datto converts it to the variable's type)",
					},
				],
			},
		],
	},
};

const waitOptions: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'Wait Options',
		name: 'waitOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Poll Every (Seconds)',
				name: 'pollSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5,
				description: "How often to ask Datto RMM for the job's status. Each check is one API request.",
			},
			{
				displayName: 'Fail When the Component Fails',
				name: 'failOnComponentFailure',
				type: 'boolean',
				default: false,
				description:
					'Whether the node fails (or, with On Error: Continue, outputs an error item) when Datto reports the job or its component as failed on the device, instead of returning the job with jobDeploymentStatus "Failure"',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description:
					'How long to wait for the job to finish. When it runs longer, the job is returned as it is with timedOut set to true (no error: it may still finish later).',
			},
		],
	},
};

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

async function runQuickJob(
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

async function runQuickJobAndWait(
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

export const jobOperations: OperationSpec[] = [
	{
		resource: 'job',
		value: 'get',
		simplify: simplifyJob,
		name: 'Get',
		action: 'Get a job',
		description: 'Get a job by its UID (a 36-character text): name, creation date and status (active or completed)',
		operationIds: ['get_1'],
		method: 'GET',
		path: '/v2/job/{jobUid}',
		notFound: 'the job',
		fields: [jobUid],
	},
	{
		resource: 'job',
		value: 'getComponents',
		name: 'Get Components',
		action: 'Get the components of a job',
		description: 'List the components (scripts) a job runs, with the variable values it runs them with',
		operationIds: ['getJobComponents'],
		method: 'GET',
		path: '/v2/job/{jobUid}/components',
		list: { key: 'jobComponents' },
		notFound: 'the job',
		fields: [jobUid],
	},
	{
		resource: 'job',
		value: 'getResults',
		simplify: simplifyJob,
		name: 'Get Results',
		action: 'Get the results of a job on a device',
		description:
			"Get how a job went on one device (the job's UID and the device's UID): deployment status (Pending, Running, Success, Warning, Failure, ...), when it ran, and each component's status and warnings",
		operationIds: ['getJobResults'],
		method: 'GET',
		path: '/v2/job/{jobUid}/results/{deviceUid}',
		notFound: 'the job and device',
		fields: [jobUid, device],
	},
	{
		resource: 'job',
		value: 'getOutput',
		name: 'Get Output',
		action: 'Get the output of a job on a device',
		description:
			'Get what a job printed on one device, standard output or standard error: one item per component, with its stdData text. No items while the job has not finished.',
		operationIds: ['getStdOut', 'getStdErr'],
		method: 'GET',
		path: '/v2/job/{jobUid}/results/{deviceUid}/stdout',
		several: true,
		variants: [
			{ when: { stream: 'stdout' }, path: '/v2/job/{jobUid}/results/{deviceUid}/stdout', operationId: 'getStdOut' },
			{ when: { stream: 'stderr' }, path: '/v2/job/{jobUid}/results/{deviceUid}/stderr', operationId: 'getStdErr' },
		],
		notFound: 'the job and device',
		fields: [jobUid, device, stream],
	},
	{
		resource: 'job',
		value: 'runQuickJob',
		simplify: simplifyJob,
		name: 'Run Quick Job',
		action: 'Run a quick job on a device',
		description:
			"Run a component (script, given by its UID) on a device (given by its UID) as a quick job, with values for the component's variables, and return at once with the job (job.uid) and its components; use Get, Get Results and Get Output to follow it, or Run Quick Job and Wait. Sent once: never repeated automatically, so a component never runs twice.",
		operationIds: ['createQuickJob'],
		method: 'PUT',
		path: '/v2/device/{deviceUid}/quickjob',
		safety: 'create',
		writeBudget: 'device-job-create',
		notFound: 'the device',
		fields: [device, component, jobName, variables],
		run: runQuickJob,
	},
	{
		resource: 'job',
		value: 'runQuickJobAndWait',
		simplify: simplifyJob,
		name: 'Run Quick Job and Wait',
		action: 'Run a quick job on a device and wait for its output',
		description:
			"Run a component (script, given by its UID) on a device (given by its UID) as a quick job, check its status until it completes or the timeout passes, then return one item: the job's uid, name and status, the device's results, and stdout and stderr as text. On timeout the job is returned with timedOut true, without output. Sent once: never repeated automatically.",
		operationIds: ['createQuickJob', 'get_1', 'getJobResults', 'getStdOut', 'getStdErr'],
		method: 'PUT',
		path: '/v2/device/{deviceUid}/quickjob',
		safety: 'create',
		writeBudget: 'device-job-create',
		notFound: 'the device',
		fields: [device, component, jobName, variables, waitOptions],
		run: runQuickJobAndWait,
	},
];
