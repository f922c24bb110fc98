/**
 * Job operations, run in n8n's engine against the simulator over HTTP: the request each one sends,
 * the items it outputs, Run Quick Job and Wait, and a quick job never started twice.
 */
import { sleep } from 'n8n-workflow';

import { apiCalls, byId, errorText, runOperation } from '../../../harness/operations.cjs';
import { startSimulatedAccount, type SimulatedAccount } from '../../../harness/index.cjs';

describe('Job', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator: { seed: 11, jobRunMs: 300 } });
	});
	afterAll(async () => {
		await account.close();
	});

	const component = (name: string) => account.sim.state.components.find((c) => c.name === name)!;
	const device = () => account.sim.state.devices[0];

	test('Run Quick Job sends one PUT with the job name, component and variables', async () => {
		const comp = component('Collect Event Logs');
		const jobsBefore = account.sim.state.jobs.length;
		const result = await runOperation(account, {
			resource: 'job',
			operation: 'runQuickJob',
			deviceUid: byId(device().uid),
			componentUid: byId(comp.uid),
			jobName: 'Collect logs',
			variables: { variable: [{ name: 'LogName', value: 'System' }, { name: 'Hours', value: '6' }] },
		});
		expect(result.error).toBeUndefined();
		expect(result.calls).toHaveLength(1);
		expect(result.calls[0]).toMatchObject({ method: 'PUT', path: `/api/v2/device/${device().uid}/quickjob` });
		expect(JSON.parse(result.calls[0].body)).toEqual({
			jobName: 'Collect logs',
			jobComponent: {
				componentUid: comp.uid,
				variables: [
					{ name: 'LogName', value: 'System' },
					{ name: 'Hours', value: '6' },
				],
			},
		});
		expect(account.sim.state.jobs.length).toBe(jobsBefore + 1);
		const out = result.json[0];
		expect(out).toMatchObject({ deviceUid: device().uid, job: { name: 'Collect logs', status: 'active' } });
		const jobUid = (out.job as { uid: string }).uid;

		// Get, Get Components, Get Results, Get Output (once it has completed).
		const got = await runOperation(account, { resource: 'job', operation: 'get', jobUid });
		expect(got.calls).toEqual([expect.objectContaining({ method: 'GET', path: `/api/v2/job/${jobUid}` })]);
		expect(got.json).toEqual([expect.objectContaining({ uid: jobUid, name: 'Collect logs' })]);

		const components = await runOperation(account, { resource: 'job', operation: 'getComponents', jobUid, returnAll: true });
		expect(components.error).toBeUndefined();
		expect(components.calls.map((c) => c.path)).toContain(`/api/v2/job/${jobUid}/components`);
		expect(components.json).toEqual([
			expect.objectContaining({ uid: comp.uid, variables: expect.arrayContaining([{ name: 'LogName', value: 'System' }]) }),
		]);

		await sleep(400); // the job runs 300 ms
		const results = await runOperation(account, { resource: 'job', operation: 'getResults', jobUid, deviceUid: byId(device().uid) });
		expect(results.calls).toEqual([
			expect.objectContaining({ method: 'GET', path: `/api/v2/job/${jobUid}/results/${device().uid}` }),
		]);
		expect(results.json).toEqual([expect.objectContaining({ jobUid, jobDeploymentStatus: 'Success' })]);

		const stdout = await runOperation(account, { resource: 'job', operation: 'getOutput', jobUid, deviceUid: byId(device().uid) });
		expect(stdout.calls).toEqual([
			expect.objectContaining({ method: 'GET', path: `/api/v2/job/${jobUid}/results/${device().uid}/stdout` }),
		]);
		expect(stdout.json).toHaveLength(1);
		expect(stdout.json[0]).toMatchObject({ componentUid: comp.uid, stdData: expect.stringContaining('LogName=System') });

		const stderr = await runOperation(account, {
			resource: 'job',
			operation: 'getOutput',
			stream: 'stderr',
			jobUid,
			deviceUid: byId(device().uid),
		});
		expect(stderr.error).toBeUndefined();
		expect(stderr.calls[0].path).toBe(`/api/v2/job/${jobUid}/results/${device().uid}/stderr`);
		expect(stderr.json).toHaveLength(0);
	});

	test('Run Quick Job and Wait returns the completed job with its output', async () => {
		const comp = component('Run Failing Diagnostic');
		const result = await runOperation(account, {
			resource: 'job',
			operation: 'runQuickJobAndWait',
			deviceUid: byId(device().uid),
			componentUid: byId(comp.uid),
			variables: { variable: [{ name: 'Mode', value: 'full' }] },
			waitOptions: { pollSeconds: 1 },
		});
		expect(result.error).toBeUndefined();
		expect(result.json).toHaveLength(1);
		const out = result.json[0];
		expect(out).toMatchObject({
			name: 'n8n quick job',
			status: 'completed',
			timedOut: false,
			deviceUid: device().uid,
			jobDeploymentStatus: 'Failure',
			results: { componentResults: [expect.objectContaining({ componentStatus: 'Failure' })] },
			stdout: expect.stringContaining('Mode=full'),
			stderr: expect.stringContaining('exit code 1'),
		});
		const paths = result.calls.map((c) => `${c.method} ${c.path}`);
		const uid = out.uid as string;
		expect(paths[0]).toBe(`PUT /api/v2/device/${device().uid}/quickjob`);
		expect(paths.filter((p) => p.startsWith('PUT'))).toHaveLength(1);
		expect(paths).toContain(`GET /api/v2/job/${uid}`);
		expect(paths.slice(-3)).toEqual([
			`GET /api/v2/job/${uid}/results/${device().uid}`,
			`GET /api/v2/job/${uid}/results/${device().uid}/stdout`,
			`GET /api/v2/job/${uid}/results/${device().uid}/stderr`,
		]);
	});

	test('Run Quick Job and Wait returns timedOut when the job outlasts the timeout', async () => {
		const slow = await startSimulatedAccount({ simulator: { seed: 11, jobRunMs: 60_000 } });
		try {
			const started = Date.now();
			const result = await runOperation(slow, {
				resource: 'job',
				operation: 'runQuickJobAndWait',
				deviceUid: byId(slow.sim.state.devices[0].uid),
				componentUid: byId(slow.sim.state.components[0].uid),
				waitOptions: { pollSeconds: 1, timeoutSeconds: 2 },
			});
			expect(result.error).toBeUndefined();
			expect(Date.now() - started).toBeLessThan(10_000);
			expect(result.json).toEqual([expect.objectContaining({ status: 'active', timedOut: true, jobDeploymentStatus: 'Running' })]);
			expect(result.json[0].stdout).toBeUndefined();
			expect(result.calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
			expect(result.calls.filter((c) => /\/api\/v2\/job\/[^/]+$/.test(c.path)).length).toBeGreaterThanOrEqual(2);
		} finally {
			await slow.close();
		}
	});

	test('a quick job whose answer is lost is not started again, and the error says it may have started', async () => {
		const jobsBefore = account.sim.state.jobs.length;
		const since = account.sim.log.length;
		account.sim.inject({ method: 'PUT', path: /\/quickjob$/, drop: 'after' });
		const result = await runOperation(account, {
			resource: 'job',
			operation: 'runQuickJobAndWait',
			deviceUid: byId(device().uid),
			componentUid: byId(component('Check Disk Health').uid),
			waitOptions: { pollSeconds: 1 },
		});
		expect(result.error).toBeDefined();
		expect(errorText(result.error)).toMatch(/may have started/);
		expect(account.sim.state.jobs.length).toBe(jobsBefore + 1);
		expect(apiCalls(account, since).filter((c) => c.method === 'PUT')).toHaveLength(1);
	});

	test('bad input fails with the field named and nothing sent', async () => {
		// An expression that finds nothing in the item (an empty field is caught by n8n's own check).
		const emptyJob = await runOperation(account, { resource: 'job', operation: 'get', jobUid: '={{ $json.jobUid ?? "" }}' });
		expect(emptyJob.error?.name).toBe('NodeOperationError');
		expect(errorText(emptyJob.error)).toContain('Job UID is empty');
		expect(errorText(emptyJob.error)).toContain('Fix the "Job UID" parameter');
		expect(emptyJob.calls).toHaveLength(0);

		const noComponent = await runOperation(account, {
			resource: 'job',
			operation: 'runQuickJob',
			deviceUid: byId(device().uid),
			componentUid: byId('={{ $json.componentUid ?? "" }}'),
		});
		expect(noComponent.error?.name).toBe('NodeOperationError');
		expect(errorText(noComponent.error)).toContain('Component');
		expect(noComponent.calls).toHaveLength(0);

		const unnamedVariable = await runOperation(account, {
			resource: 'job',
			operation: 'runQuickJob',
			deviceUid: byId(device().uid),
			componentUid: byId(component('Collect Event Logs').uid),
			variables: { variable: [{ name: '', value: 'x' }] },
		});
		expect(unnamedVariable.error?.name).toBe('NodeOperationError');
		expect(errorText(unnamedVariable.error)).toContain('Component Variables');
		expect(unnamedVariable.calls).toHaveLength(0);
	});
});
