/**
 * Quick jobs: PUT /v2/device/{uid}/quickjob validates the component and its variables and starts a
 * job that is 'active' for jobRunMs (scaled) and then 'completed', with per-device results and
 * stdout/stderr as bare arrays of JobStdData. Status is computed from the clock: no timers.
 */
import { renderDate } from '../dates.cjs';
import { springError, validationError } from '../errors.cjs';
import { type Ctx, type Reply, parseJsonBody } from '../http.cjs';
import type { DeviceRec, JobRec } from '../model.cjs';
import { isReply, pageOf } from '../paging.cjs';
import type { Route } from '../router.cjs';
import { jobStatus, renderJob, renderJobComponent } from '../views.cjs';
import { findDevice } from './common.cjs';

function findJob(ctx: Ctx): JobRec | Reply {
	return ctx.sim.state.jobByUid.get(ctx.params.jobUid) ?? springError(404, `Job with uid ${ctx.params.jobUid} was not found`, ctx.path);
}

/** The job and one of its target devices, or 404 "Job or device was not found". */
function jobAndDevice(ctx: Ctx): { job: JobRec; device: DeviceRec } | Reply {
	const job = findJob(ctx);
	if (isReply(job)) return job;
	const device = ctx.sim.state.device(ctx.params.deviceUid);
	if (!device || !job.deviceUids.includes(device.uid)) {
		return springError(404, `Job ${job.uid} has no results for device with uid ${ctx.params.deviceUid}`, ctx.path);
	}
	return { job, device };
}

function stdout(job: JobRec, d: DeviceRec): string {
	const vars = job.variables.map((v) => `  ${v.name}=${v.value}`).join('\n');
	return [
		`Running component '${job.componentName}' on ${d.hostname}`,
		vars ? `Variables:\n${vars}` : 'No variables',
		job.fails ? 'Step 2 of 3 failed' : 'Completed successfully',
	].join('\n');
}

function createQuickJob(ctx: Ctx): Reply {
	const d = findDevice(ctx);
	if (isReply(d)) return d;
	const raw = parseJsonBody(ctx);
	if (raw === undefined || raw instanceof Error || typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		return validationError('INVALID_REQUEST_BODY', 'Request body must be a JSON object with jobName and jobComponent', {});
	}
	const b = raw as Record<string, unknown>;
	if (typeof b.jobName !== 'string' || b.jobName.trim() === '') return validationError('INVALID_JOB_NAME', "Field 'jobName' is required and must not be blank", { field: 'jobName' });
	const jc = b.jobComponent as Record<string, unknown> | undefined;
	if (typeof jc !== 'object' || jc === null || Array.isArray(jc)) return validationError('INVALID_JOB_COMPONENT', "Field 'jobComponent' is required", { field: 'jobComponent' });
	if (typeof jc.componentUid !== 'string') return validationError('INVALID_JOB_COMPONENT', "Field 'jobComponent.componentUid' is required", { field: 'jobComponent.componentUid' });
	const comp = ctx.sim.state.components.find((c) => c.uid === jc.componentUid);
	if (!comp) return validationError('COMPONENT_NOT_FOUND', `Component with uid ${jc.componentUid} was not found`, { field: 'jobComponent.componentUid', rejectedValue: jc.componentUid });
	const given = jc.variables ?? [];
	if (!Array.isArray(given)) return validationError('INVALID_JOB_VARIABLES', "Field 'jobComponent.variables' must be an array of {name, value}", { field: 'jobComponent.variables' });
	const values = new Map<string, string>();
	for (const v of given as unknown[]) {
		const o = v as Record<string, unknown>;
		if (typeof o !== 'object' || o === null || typeof o.name !== 'string' || typeof o.value !== 'string') {
			return validationError('INVALID_JOB_VARIABLES', 'Each job variable needs a string name and a string value', { field: 'jobComponent.variables' });
		}
		if (!comp.variables.some((cv) => cv.name === o.name)) {
			return validationError('UNKNOWN_JOB_VARIABLE', `Component '${comp.name}' has no variable '${o.name}'`, { field: 'jobComponent.variables', name: o.name });
		}
		values.set(o.name, o.value);
	}
	const st = ctx.sim.state;
	const now = Date.now();
	// Not idempotent: the same PUT twice starts two jobs.
	const job: JobRec = {
		id: st.nextIds.job++,
		uid: st.rng.uuid(),
		name: b.jobName.trim(),
		createdAt: now,
		completesAt: now + ctx.sim.opts.jobRunMs / ctx.sim.opts.timeScale,
		deviceUids: [d.uid],
		componentUid: comp.uid,
		componentName: comp.name,
		variables: comp.variables.map((cv) => ({ name: cv.name, value: values.get(cv.name) ?? cv.defaultVal })),
		fails: comp.fails,
	};
	st.jobs.push(job);
	st.jobByUid.set(job.uid, job);
	st.addActivity({
		category: 'job',
		action: 'create',
		deviceId: d.id,
		userId: st.users.find((u) => u.username === ctx.credential?.userName)?.id,
		details: { 'job.name': job.name, 'job.uid': job.uid },
		hasStdOut: false,
	});
	return { status: 200, body: { job: renderJob(ctx.sim.state, job), jobComponents: [renderJobComponent(job)] } };
}

export const jobRoutes: Route[] = [
	{ method: 'PUT', pattern: '/v2/device/{deviceUid}/quickjob', operationId: 'createQuickJob', handler: createQuickJob },
	{
		method: 'GET',
		pattern: '/v2/job/{jobUid}',
		operationId: 'get_1',
		handler: (ctx) => {
			const j = findJob(ctx);
			return isReply(j) ? j : { status: 200, body: renderJob(ctx.sim.state, j) };
		},
	},
	{
		method: 'GET',
		pattern: '/v2/job/{jobUid}/components',
		operationId: 'getJobComponents',
		handler: (ctx) => {
			const j = findJob(ctx);
			return isReply(j) ? j : pageOf(ctx, 'jobComponents', [j], renderJobComponent);
		},
	},
	{
		method: 'GET',
		pattern: '/v2/job/{jobUid}/results/{deviceUid}',
		operationId: 'getJobResults',
		handler: (ctx) => {
			const jd = jobAndDevice(ctx);
			if (isReply(jd)) return jd;
			const { job, device } = jd;
			const done = jobStatus(job) === 'completed';
			const body: Record<string, unknown> = {
				jobUid: job.uid,
				deviceUid: device.uid,
				jobDeploymentStatus: done ? (job.fails ? 'Failure' : 'Success') : 'Running',
				componentResults: done
					? [{ componentUid: job.componentUid, componentName: job.componentName, componentStatus: job.fails ? 'Failure' : 'Success', numberOfWarnings: job.fails ? 1 : 0, hasStdOut: true, hasStdErr: job.fails }]
					: [],
			};
			if (done) body.ranOn = renderDate(ctx.sim.state.unconfirmedDates, job.completesAt);
			return { status: 200, body };
		},
	},
	{
		method: 'GET',
		pattern: '/v2/job/{jobUid}/results/{deviceUid}/stdout',
		operationId: 'getStdOut',
		handler: (ctx) => {
			const jd = jobAndDevice(ctx);
			if (isReply(jd)) return jd;
			const { job, device } = jd;
			if (jobStatus(job) !== 'completed') return { status: 200, body: [] };
			return { status: 200, body: [{ componentUid: job.componentUid, componentName: job.componentName, stdData: stdout(job, device) }] };
		},
	},
	{
		method: 'GET',
		pattern: '/v2/job/{jobUid}/results/{deviceUid}/stderr',
		operationId: 'getStdErr',
		handler: (ctx) => {
			const jd = jobAndDevice(ctx);
			if (isReply(jd)) return jd;
			const { job } = jd;
			if (jobStatus(job) !== 'completed' || !job.fails) return { status: 200, body: [] };
			return { status: 200, body: [{ componentUid: job.componentUid, componentName: job.componentName, stdData: 'Error: diagnostic step 2 returned exit code 1' }] };
		},
	},
];
