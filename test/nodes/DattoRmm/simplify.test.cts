/**
 * Simplify, in n8n-core's engine against the simulator: version 1 keeps Datto's full object, version
 * 2 gives each item's simplified form (the same items, a stable shape, a fraction of the size).
 * Runs against n8n 2.41 and the oldest n8n 1.x (jest.config.js).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { simplifyAlert, simplifyDevice, simplifyJob, simplifySite } from '../../../nodes/DattoRmm/simplify';
import { startSimulatedAccount, type SimulatedAccount } from '../../harness/index.cjs';

let account: SimulatedAccount;

beforeAll(async () => {
	account = await startSimulatedAccount({
		simulator: { seed: 14, size: { sites: 14, devices: 80 }, rateLimit: { enabled: false } },
	});
});
afterAll(async () => {
	await account.close();
});

describe('Simplify', () => {
	/** Version 1 (Datto's full object) and version 2 (Simplify on by default), same parameters. */
	async function both(parameters: INodeParameters) {
		const { harness, credential } = account;
		const full = await harness.runDattoNode({ parameters, credential, nodeOptions: { typeVersion: 1 } });
		const simple = await harness.runDattoNode({ parameters, credential, nodeOptions: { typeVersion: 2 } });
		expect(full.error).toBeUndefined();
		expect(simple.error).toBeUndefined();
		return { full: full.items, simple: simple.items };
	}

	test("existing workflows (version 1) keep Datto's full object; in version 2 Simplify can be turned off", async () => {
		const { harness, credential } = account;
		const parameters = { resource: 'device', operation: 'getMany', limit: 2 };
		const version1 = await harness.runDattoNode({ parameters, credential, nodeOptions: { typeVersion: 1 } });
		const off = await harness.runDattoNode({ parameters: { ...parameters, simple: false }, credential, nodeOptions: { typeVersion: 2 } });
		for (const { items } of [version1, off]) {
			expect(items[0].json).toHaveProperty('udf');
			expect(items[0].json).toHaveProperty('deviceType.category');
		}
	});

	test.each([
		['devices', { resource: 'device', operation: 'getMany', returnAll: true }, simplifyDevice],
		['alerts', { resource: 'alert', operation: 'getMany', returnAll: true }, simplifyAlert],
		['sites', { resource: 'site', operation: 'getMany', returnAll: true }, simplifySite],
	] as const)('%s: the same items, each the simplified form of the full one, paired to its input', async (_label, parameters, simplify) => {
		const { full, simple } = await both(parameters);
		expect(simple).toHaveLength(full.length);
		expect(simple.map((i) => i.json)).toEqual(full.map((i) => simplify(i.json)));
		for (const item of simple) expect(item.pairedItem).toEqual({ item: 0 });
		// Every simplified item has the same keys (null where Datto sent nothing): a stable shape.
		const keys = new Set(simple.map((i) => Object.keys(i.json).join(',')));
		expect(keys.size).toBe(1);
	});

	test('a simplified device is a small fraction of the full one (npm run simplify:size prints the figures)', async () => {
		const { full, simple } = await both({ resource: 'device', operation: 'getMany', returnAll: true });
		const bytes = (items: Array<{ json: IDataObject }>) => items.reduce((n, i) => n + JSON.stringify(i.json).length, 0) / items.length;
		expect(bytes(simple) * 5).toBeLessThan(bytes(full));
	});

	test('a job: Run Quick Job and Wait simplified keeps what an agent needs to report the outcome', () => {
		const job = simplifyJob({
			uid: 'j-1',
			name: 'Disk cleanup',
			status: 'completed',
			dateCreated: 1796000000000,
			deviceUid: 'd-1',
			timedOut: false,
			jobDeploymentStatus: 'Success',
			results: { jobUid: 'j-1', deviceUid: 'd-1', ranOn: '2026-12-01T10:00:00Z', jobDeploymentStatus: 'Success', componentResults: [{ componentName: 'Disk cleanup', componentStatus: 'Success', numberOfWarnings: 0 }] },
			stdout: 'Freed 2.1 GB',
			stderr: '',
		});
		expect(job).toEqual({
			uid: 'j-1',
			name: 'Disk cleanup',
			status: 'completed',
			created: new Date(1796000000000).toISOString(),
			deviceUid: 'd-1',
			deploymentStatus: 'Success',
			ranOn: '2026-12-01T10:00:00.000Z',
			timedOut: false,
			components: [{ name: 'Disk cleanup', status: 'Success', warnings: 0 }],
			stdout: 'Freed 2.1 GB',
			stderr: '',
		});
		// Run Quick Job's answer ({ job, jobComponents }): the job, its components by name.
		expect(simplifyJob({ job: { uid: 'j-2', name: 'n8n quick job', status: 'active', dateCreated: '2026-12-01T09:00:00Z' }, jobComponents: [{ name: 'Disk cleanup' }], deviceUid: 'd-1' })).toEqual(
			expect.objectContaining({ uid: 'j-2', status: 'active', created: '2026-12-01T09:00:00.000Z', deviceUid: 'd-1', components: [{ name: 'Disk cleanup', status: null, warnings: null }], stdout: null }),
		);
	});

	test('a job through the engine: Run Quick Job simplified', async () => {
		const { sim, harness, credential } = account;
		const device = sim.state.devices.find((d) => d.deviceClass === 'device' && !d.deleted)!;
		const component = sim.state.components.find((c) => c.variables.length === 0)!;
		const { items, error } = await harness.runDattoNode({
			parameters: { resource: 'job', operation: 'runQuickJob', deviceUid: { __rl: true, mode: 'uid', value: device.uid }, componentUid: { __rl: true, mode: 'uid', value: component.uid }, jobName: 'n8n test' },
			credential,
			nodeOptions: { typeVersion: 2 },
		});
		expect(error).toBeUndefined();
		const job = sim.state.jobs[sim.state.jobs.length - 1];
		expect(items.map((i) => i.json)).toEqual([
			expect.objectContaining({ uid: job.uid, name: 'n8n test', deviceUid: device.uid, components: [{ name: component.name, status: null, warnings: null }] }),
		]);
	});
});
