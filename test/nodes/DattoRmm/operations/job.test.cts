/**
 * Alert, Job, Activity Log, User, Component, System and Account operations, run in n8n's engine
 * against the simulator over HTTP: the request each one sends, and the items it outputs.
 */
import type { ExecutionBaseError, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { startSimulatedAccount, type SimulatedAccount } from '../../../harness/index.cjs';
import type { RecordedRequest } from '../../../simulator/index.cjs';

const rl = (value: string) => ({ __rl: true, mode: 'id', value });

/** The request governor's look at the account's rate (not part of any operation's requests). */
const REQUEST_RATE = '/api/v2/system/request_rate';

/** The API requests the simulator saw (not the token exchange, nor the governor's calibrations), from `since` on. */
function apiCalls(account: SimulatedAccount, since = 0): RecordedRequest[] {
	return account.sim.log.slice(since).filter((r) => r.path.startsWith('/api/') && r.path !== REQUEST_RATE);
}

function errorText(error: ExecutionBaseError | undefined): string {
	if (!error) return '';
	const e = error as ExecutionBaseError & { description?: string | null };
	return `${e.message}\n${e.description ?? ''}`;
}

async function run(account: SimulatedAccount, parameters: INodeParameters) {
	const since = account.sim.log.length;
	const result = await account.harness.runDattoNode({ parameters, credential: account.credential });
	return { ...result, calls: apiCalls(account, since), json: result.items.map((i) => i.json) };
}

describe('Alert', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator: { seed: 7 } });
	});
	afterAll(async () => {
		await account.close();
	});

	test('Get Many reaches the six endpoints by scope and status', async () => {
		const st = account.sim.state;
		// A device that has open and resolved alerts, and its site.
		const deviceUid = st.alerts.find(
			(a) => !a.resolved && st.alerts.some((b) => b.resolved && b.deviceUid === a.deviceUid),
		)?.deviceUid ?? st.alerts[0].deviceUid;
		const siteUid = st.deviceByUid.get(deviceUid)!.siteUid;
		const cases = [
			{ scope: 'account', status: 'open', path: '/api/v2/account/alerts/open', resolved: false },
			{ scope: 'account', status: 'resolved', path: '/api/v2/account/alerts/resolved', resolved: true },
			{ scope: 'site', status: 'open', path: `/api/v2/site/${siteUid}/alerts/open`, resolved: false },
			{ scope: 'site', status: 'resolved', path: `/api/v2/site/${siteUid}/alerts/resolved`, resolved: true },
			{ scope: 'device', status: 'open', path: `/api/v2/device/${deviceUid}/alerts/open`, resolved: false },
			{ scope: 'device', status: 'resolved', path: `/api/v2/device/${deviceUid}/alerts/resolved`, resolved: true },
		];
		for (const c of cases) {
			const result = await run(account, {
				resource: 'alert',
				operation: 'getMany',
				scope: c.scope,
				status: c.status,
				siteUid: rl(siteUid),
				deviceUid: rl(deviceUid),
				returnAll: true,
			});
			expect(result.error).toBeUndefined();
			const calls = result.calls.filter((r) => r.path !== '/api/v2/system/pagination');
			expect(calls.length).toBeGreaterThanOrEqual(1);
			expect(calls[0]).toMatchObject({ method: 'GET', path: c.path, query: { page: '0' } });
			expect(calls[0].query.muted).toBeUndefined();
			const expected = st.alerts.filter(
				(a) =>
					a.resolved === c.resolved &&
					(c.scope === 'account' ||
						(c.scope === 'site' && st.deviceByUid.get(a.deviceUid)?.siteUid === siteUid) ||
						(c.scope === 'device' && a.deviceUid === deviceUid)),
			);
			expect(result.json).toHaveLength(expected.length);
			for (const alert of result.json) expect(alert.resolved).toBe(c.resolved);
		}
	});

	test('Get Many filters muted alerts and stops at the Limit', async () => {
		const onlyMuted = await run(account, { resource: 'alert', operation: 'getMany', muted: 'true', returnAll: true });
		expect(onlyMuted.error).toBeUndefined();
		expect(onlyMuted.calls.find((r) => r.path === '/api/v2/account/alerts/open')?.query.muted).toBe('true');
		expect(onlyMuted.json.length).toBe(account.sim.state.alerts.filter((a) => !a.resolved && a.muted).length);
		for (const alert of onlyMuted.json) expect(alert.muted).toBe(true);

		const unmuted = await run(account, { resource: 'alert', operation: 'getMany', muted: 'false', limit: 3 });
		expect(unmuted.error).toBeUndefined();
		expect(unmuted.calls.find((r) => r.path === '/api/v2/account/alerts/open')?.query).toMatchObject({ muted: 'false', max: '3' });
		expect(unmuted.json).toHaveLength(3);
		for (const alert of unmuted.json) expect(alert.muted).toBe(false);
	});

	test('Get returns one alert; Resolve resolves it', async () => {
		const alert = account.sim.state.alerts.find((a) => !a.resolved)!;
		const got = await run(account, { resource: 'alert', operation: 'get', alertUid: alert.alertUid });
		expect(got.error).toBeUndefined();
		expect(got.calls).toEqual([expect.objectContaining({ method: 'GET', path: `/api/v2/alert/${alert.alertUid}` })]);
		expect(got.json).toEqual([expect.objectContaining({ alertUid: alert.alertUid, resolved: false })]);

		const resolved = await run(account, { resource: 'alert', operation: 'resolve', alertUid: alert.alertUid });
		expect(resolved.error).toBeUndefined();
		expect(resolved.calls).toEqual([
			expect.objectContaining({ method: 'POST', path: `/api/v2/alert/${alert.alertUid}/resolve` }),
		]);
		expect(resolved.json).toEqual([expect.objectContaining({ success: true, alertUid: alert.alertUid })]);
		expect(account.sim.state.alertByUid.get(alert.alertUid)?.resolved).toBe(true);
	});

	test('an unknown alert answers with a hint naming it', async () => {
		const result = await run(account, { resource: 'alert', operation: 'get', alertUid: 'no-such-alert' });
		expect(result.error?.name).toBe('NodeApiError');
		expect(errorText(result.error)).toContain('the alert "no-such-alert"');
	});

	test('an empty alert UID fails before any request', async () => {
		const result = await run(account, { resource: 'alert', operation: 'resolve', alertUid: '  ' });
		expect(result.error?.name).toBe('NodeOperationError');
		expect(errorText(result.error)).toContain('Fix the "Alert UID" parameter');
		expect(result.calls).toHaveLength(0);
	});

	test('Mute and Unmute are not offered', async () => {
		const { DattoRmm } = await import('../../../../nodes/DattoRmm/DattoRmm.node.js');
		const operation = new DattoRmm().description.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('alert'),
		);
		const values = (operation?.options ?? []).map((o) => ('value' in o ? o.value : undefined));
		expect(values.sort()).toEqual(['get', 'getMany', 'resolve']);
	});
});

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
		const result = await run(account, {
			resource: 'job',
			operation: 'runQuickJob',
			deviceUid: rl(device().uid),
			componentUid: rl(comp.uid),
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
		const got = await run(account, { resource: 'job', operation: 'get', jobUid });
		expect(got.calls).toEqual([expect.objectContaining({ method: 'GET', path: `/api/v2/job/${jobUid}` })]);
		expect(got.json).toEqual([expect.objectContaining({ uid: jobUid, name: 'Collect logs' })]);

		const components = await run(account, { resource: 'job', operation: 'getComponents', jobUid, returnAll: true });
		expect(components.error).toBeUndefined();
		expect(components.calls.map((c) => c.path)).toContain(`/api/v2/job/${jobUid}/components`);
		expect(components.json).toEqual([
			expect.objectContaining({ uid: comp.uid, variables: expect.arrayContaining([{ name: 'LogName', value: 'System' }]) }),
		]);

		await sleep(400); // the job runs 300 ms
		const results = await run(account, { resource: 'job', operation: 'getResults', jobUid, deviceUid: rl(device().uid) });
		expect(results.calls).toEqual([
			expect.objectContaining({ method: 'GET', path: `/api/v2/job/${jobUid}/results/${device().uid}` }),
		]);
		expect(results.json).toEqual([expect.objectContaining({ jobUid, jobDeploymentStatus: 'Success' })]);

		const stdout = await run(account, { resource: 'job', operation: 'getOutput', jobUid, deviceUid: rl(device().uid) });
		expect(stdout.calls).toEqual([
			expect.objectContaining({ method: 'GET', path: `/api/v2/job/${jobUid}/results/${device().uid}/stdout` }),
		]);
		expect(stdout.json).toHaveLength(1);
		expect(stdout.json[0]).toMatchObject({ componentUid: comp.uid, stdData: expect.stringContaining('LogName=System') });

		const stderr = await run(account, {
			resource: 'job',
			operation: 'getOutput',
			stream: 'stderr',
			jobUid,
			deviceUid: rl(device().uid),
		});
		expect(stderr.error).toBeUndefined();
		expect(stderr.calls[0].path).toBe(`/api/v2/job/${jobUid}/results/${device().uid}/stderr`);
		expect(stderr.json).toHaveLength(0);
	});

	test('Run Quick Job and Wait returns the completed job with its output', async () => {
		const comp = component('Run Failing Diagnostic');
		const result = await run(account, {
			resource: 'job',
			operation: 'runQuickJobAndWait',
			deviceUid: rl(device().uid),
			componentUid: rl(comp.uid),
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
			const result = await run(slow, {
				resource: 'job',
				operation: 'runQuickJobAndWait',
				deviceUid: rl(slow.sim.state.devices[0].uid),
				componentUid: rl(slow.sim.state.components[0].uid),
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
		const result = await run(account, {
			resource: 'job',
			operation: 'runQuickJobAndWait',
			deviceUid: rl(device().uid),
			componentUid: rl(component('Check Disk Health').uid),
			waitOptions: { pollSeconds: 1 },
		});
		expect(result.error).toBeDefined();
		expect(errorText(result.error)).toMatch(/may have started/);
		expect(account.sim.state.jobs.length).toBe(jobsBefore + 1);
		expect(apiCalls(account, since).filter((c) => c.method === 'PUT')).toHaveLength(1);
	});

	test('bad input fails with the field named and nothing sent', async () => {
		// An expression that finds nothing in the item (an empty field is caught by n8n's own check).
		const emptyJob = await run(account, { resource: 'job', operation: 'get', jobUid: '={{ $json.jobUid ?? "" }}' });
		expect(emptyJob.error?.name).toBe('NodeOperationError');
		expect(errorText(emptyJob.error)).toContain('Job UID is empty');
		expect(errorText(emptyJob.error)).toContain('Fix the "Job UID" parameter');
		expect(emptyJob.calls).toHaveLength(0);

		const noComponent = await run(account, {
			resource: 'job',
			operation: 'runQuickJob',
			deviceUid: rl(device().uid),
			componentUid: rl('={{ $json.componentUid ?? "" }}'),
		});
		expect(noComponent.error?.name).toBe('NodeOperationError');
		expect(errorText(noComponent.error)).toContain('Component');
		expect(noComponent.calls).toHaveLength(0);

		const unnamedVariable = await run(account, {
			resource: 'job',
			operation: 'runQuickJob',
			deviceUid: rl(device().uid),
			componentUid: rl(component('Collect Event Logs').uid),
			variables: { variable: [{ name: '', value: 'x' }] },
		});
		expect(unnamedVariable.error?.name).toBe('NodeOperationError');
		expect(errorText(unnamedVariable.error)).toContain('Component Variables');
		expect(unnamedVariable.calls).toHaveLength(0);
	});
});

describe('Activity Log', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator: { seed: 5 } });
	});
	afterAll(async () => {
		await account.close();
	});

	const PATH = '/api/v2/activity-logs';
	const inWindow = (from: string, until: string) =>
		account.sim.state.activities.filter((a) => a.dateMs >= Date.parse(from) && a.dateMs <= Date.parse(until));

	test('by default asks for the last 24 hours, newest first, and parses details', async () => {
		const before = Date.now();
		const result = await run(account, { resource: 'activityLog', operation: 'getMany', returnAll: true });
		expect(result.error).toBeUndefined();
		const first = result.calls[0];
		expect(first).toMatchObject({ method: 'GET', path: PATH, query: { order: 'desc', size: '100' } });
		expect(first.query.from).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
		expect(first.query.until).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
		const until = Date.parse(first.query.until);
		expect(Math.abs(until - before)).toBeLessThan(5000);
		expect(until - Date.parse(first.query.from)).toBe(24 * 3600 * 1000);
		const expected = inWindow(first.query.from, first.query.until);
		expect(expected.length).toBeGreaterThan(5);
		expect(result.json).toHaveLength(expected.length);
		const dates = result.json.map((a) => a.date as number);
		expect([...dates].sort((a, b) => b - a)).toEqual(dates);
		for (const entry of result.json) {
			expect(typeof entry.details).toBe('object');
			expect(entry.date as number).toBeLessThan(1e11); // epoch seconds, kept as Datto sends them
		}
	});

	test('follows the cursor across pages up to the Limit', async () => {
		const result = await run(account, {
			resource: 'activityLog',
			operation: 'getMany',
			order: 'asc',
			limit: 12,
			options: { pageSize: 5, parseDetails: false },
		});
		expect(result.error).toBeUndefined();
		expect(result.calls.map((c) => c.query.size)).toEqual(['5', '5', '2']);
		expect(result.calls[0].query.searchAfter).toBeUndefined();
		for (const call of result.calls.slice(1)) {
			expect(call.query).toMatchObject({ page: 'next', order: 'asc', searchAfter: expect.stringMatching(/^\d+,/) });
			expect(call.query.from).toBe(result.calls[0].query.from);
			expect(call.query.until).toBe(result.calls[0].query.until);
		}
		expect(result.json).toHaveLength(12);
		expect(new Set(result.json.map((a) => a.id)).size).toBe(12);
		const expected = inWindow(result.calls[0].query.from, result.calls[0].query.until).slice(0, 12);
		expect(result.json.map((a) => a.id)).toEqual(expected.map((a) => a.id));
		expect(typeof result.json[0].details).toBe('string');
	});

	test('Return All walks every page of a small page size', async () => {
		const result = await run(account, {
			resource: 'activityLog',
			operation: 'getMany',
			returnAll: true,
			from: new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString(),
			options: { pageSize: 25 },
		});
		expect(result.error).toBeUndefined();
		const expected = inWindow(result.calls[0].query.from, result.calls[0].query.until);
		expect(expected.length).toBeGreaterThan(50);
		expect(result.json).toHaveLength(expected.length);
		expect(new Set(result.json.map((a) => a.id)).size).toBe(expected.length);
		expect(result.calls.length).toBe(Math.ceil(expected.length / 25));
	});

	test('sends the filters as Datto expects them', async () => {
		const site = account.sim.state.sites[0];
		const result = await run(account, {
			resource: 'activityLog',
			operation: 'getMany',
			returnAll: true,
			from: '2020-01-01T00:00:00Z',
			until: new Date().toISOString(),
			filters: {
				entities: ['device'],
				categories: 'job, device',
				actions: 'deployment,create,note',
				siteIds: `${site.id}`,
				searchQuery: 'site.name : "*"',
			},
		});
		expect(result.error).toBeUndefined();
		expect(result.calls[0].query).toMatchObject({
			from: '2020-01-01T00:00:00Z',
			entities: 'device',
			categories: 'job,device',
			actions: 'deployment,create,note',
			siteIds: String(site.id),
			searchQuery: 'site.name : "*"',
		});
		expect(result.json.length).toBeGreaterThan(0);
		for (const entry of result.json) {
			expect(entry).toMatchObject({ entity: 'DEVICE', site: { id: site.id } });
			expect(['job', 'device']).toContain(entry.category);
		}
	});

	test('a repeating cursor stops with an error instead of looping', async () => {
		const page = {
			pageDetails: { count: 1, nextPageUrl: `${account.sim.url}/api/v2/activity-logs?searchAfter=1,loop&page=next` },
			activities: [{ id: 'loop', entity: 'USER', category: 'user', action: 'login', date: 1, details: '{}' }],
		};
		account.sim.inject({ method: 'GET', path: PATH, status: 200, body: page, times: 3 });
		const result = await run(account, { resource: 'activityLog', operation: 'getMany', returnAll: true });
		account.sim.clearFaults();
		// The same cursor brings the same entries again: the runaway guard stops it at once.
		expect(errorText(result.error)).toMatch(/returned only entries already read|went in a circle/);
		expect(result.calls).toHaveLength(2);
	});

	test('bad dates and IDs fail with the field named and nothing sent', async () => {
		const badFrom = await run(account, { resource: 'activityLog', operation: 'getMany', from: 'yesterday-ish' });
		expect(badFrom.error?.name).toBe('NodeOperationError');
		expect(errorText(badFrom.error)).toMatch(/From is not a valid date/);
		expect(errorText(badFrom.error)).toContain('"From"');
		expect(badFrom.calls).toHaveLength(0);

		const reversed = await run(account, {
			resource: 'activityLog',
			operation: 'getMany',
			from: '2026-01-02T00:00:00Z',
			until: '2026-01-01T00:00:00Z',
		});
		expect(errorText(reversed.error)).toContain('From');
		expect(reversed.calls).toHaveLength(0);

		const badSites = await run(account, { resource: 'activityLog', operation: 'getMany', filters: { siteIds: '4, eight' } });
		expect(errorText(badSites.error)).toContain('Site IDs');
		expect(badSites.calls).toHaveLength(0);
	});
});

describe('User, Component, System, Account', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator: { seed: 3, size: { sites: 12 } } });
	});
	afterAll(async () => {
		await account.close();
	});

	test('list operations return one item per entity', async () => {
		const st = account.sim.state;
		const lists = [
			{ parameters: { resource: 'user', operation: 'getMany' }, path: '/api/v2/account/users', count: st.users.length },
			{ parameters: { resource: 'component', operation: 'getMany' }, path: '/api/v2/account/components', count: st.components.length },
			{
				parameters: { resource: 'account', operation: 'getDnetSiteMappings' },
				path: '/api/v2/account/dnet-site-mappings',
				count: st.sites.filter((s) => s.dnetNetworkIds.length > 0).length,
			},
		];
		for (const list of lists) {
			const result = await run(account, { ...list.parameters, returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.calls.map((c) => c.path)).toContain(list.path);
			expect(result.json).toHaveLength(list.count);
		}
		const limited = await run(account, { resource: 'component', operation: 'getMany', limit: 4 });
		expect(limited.json).toHaveLength(4);
		expect(limited.calls.find((c) => c.path === '/api/v2/account/components')?.query.max).toBe('4');
	});

	test('System operations', async () => {
		const status = await run(account, { resource: 'system', operation: 'getStatus' });
		expect(status.calls).toEqual([expect.objectContaining({ method: 'GET', path: '/api/v2/system/status' })]);
		expect(status.json).toEqual([expect.objectContaining({ status: 'OK', version: expect.any(String) })]);

		const rate = await run(account, { resource: 'system', operation: 'getRequestRate' });
		// Its one call is a request_rate call, like the governor's own (which apiCalls leaves out).
		expect(rate.calls).toEqual([]);
		expect(account.sim.log.filter((r) => r.path === REQUEST_RATE).length).toBeGreaterThanOrEqual(1);
		expect(rate.json).toEqual([expect.objectContaining({ accountRateLimit: 600, slidingTimeWindowSizeSeconds: 60 })]);

		const pagination = await run(account, { resource: 'system', operation: 'getPagination' });
		expect(pagination.calls).toEqual([expect.objectContaining({ path: '/api/v2/system/pagination' })]);
		expect(pagination.json).toEqual([{ max: 250 }]);
	});

	test('Reset API Keys is sent once and returns the new pair', async () => {
		const oldKey = account.sim.apiKey;
		const result = await run(account, { resource: 'user', operation: 'resetApiKeys' });
		expect(result.error).toBeUndefined();
		expect(result.calls).toEqual([expect.objectContaining({ method: 'POST', path: '/api/v2/user/resetApiKeys' })]);
		expect(account.sim.apiKey).not.toBe(oldKey);
		expect(result.json).toEqual([
			expect.objectContaining({ apiAccessKey: account.sim.apiKey, apiSecretKey: account.sim.apiSecret }),
		]);
	});
});
