/**
 * What the editor shows of the Datto RMM node (issue 12's editor items), checked on the node's
 * description, on n8n's own expression engine (the canvas subtitle), and on executions in n8n-core's
 * engine; the pickers' searches are in test/nodes/shared/methods/listSearch.test.cts. The browser
 * test in test/e2e/editor.test.cts drives the same editor in real n8n.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { INode, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { DattoRmm } from '../../../nodes/DattoRmm/DattoRmm.node.js';
import { buildProperties, operationParameters } from '../../../nodes/DattoRmm/description';
import type { FieldSpec, OperationSpec } from '../../../nodes/DattoRmm/operations/types';
import { OPERATIONS } from '../../../nodes/DattoRmm/operations';
import { UID_MODE } from '../../../nodes/shared/descriptions/locator';
import { DattoRmmTrigger } from '../../../nodes/DattoRmmTrigger/DattoRmmTrigger.node.js';
import { withExpressionIsolate } from '../../harness/compat.cjs';
import { startSimulatedAccount, type SimulatedAccount } from '../../harness/index.cjs';

const description: INodeTypeDescription = new DattoRmm().description;
const ROOT = path.resolve(__dirname, '../../..');

/**
 * The node's parameters shown for one operation, in the order the editor lists them: in the
 * editor's node, or (`asTool`) in the tool variant n8n makes of it (the "@tool" condition).
 */
function shownFor(resource: string, operation: string, asTool = false): INodeProperties[] {
	return description.properties.filter((p) => {
		const { show, hide } = p.displayOptions ?? {};
		if (hide?.['@tool']?.includes(asTool)) return false;
		if (!show) return true;
		if (show['@tool'] && !show['@tool'].includes(asTool)) return false;
		if (show.resource && !show.resource.includes(resource)) return false;
		if (show.operation && !show.operation.includes(operation)) return false;
		return true;
	});
}

describe('field order', () => {
	test.each(OPERATIONS.map((op) => [`${op.resource} > ${op.name}`, op] as const))(
		'%s: the editor lists its parameters in the operation\'s reading order',
		(_label, op) => {
			const wanted = operationParameters(op);
			// Both variants: the editor's node and the AI tool (each parameter belongs to one or both).
			const shown = description.properties
				.filter((p) => shownFor(op.resource, op.value).includes(p) || shownFor(op.resource, op.value, true).includes(p))
				.filter((p) => p.name !== 'resource' && p.name !== 'operation')
				.map((p) => {
					// The field's own conditions (e.g. Limit only without Return All), without resource/operation.
					const { resource: _r, operation: _o, ...own } = p.displayOptions?.show ?? {};
					const hide = p.displayOptions?.hide;
					const displayOptions = { ...(Object.keys(own).length ? { show: own } : {}), ...(hide ? { hide } : {}) };
					return { ...p, displayOptions: Object.keys(displayOptions).length ? displayOptions : undefined };
				});
			expect(shown).toEqual(wanted);
		},
	);

	test('operations that order shared fields differently each keep their own order', () => {
		const text = (name: string): FieldSpec => ({ in: 'query', property: { displayName: name, name, type: 'string', default: '' } });
		const op = (value: string, names: string[]): OperationSpec => ({
			resource: 'thing', value, name: value, action: value, description: value, operationIds: [], method: 'GET', path: '/x',
			fields: names.map(text),
		});
		const ops = [op('first', ['a', 'b', 'c']), op('second', ['c', 'a']), op('third', ['b', 'a'])];
		const built = buildProperties([{ value: 'thing', name: 'Thing', description: 'x' }], ops);
		for (const { value, fields } of ops) {
			const shown = built.filter((p) => p.displayOptions?.show?.operation?.includes(value)).map((p) => p.name);
			expect(shown).toEqual(['toolDescription', ...fields.map((f) => f.property.name), 'options']);
		}
	});

	test('in a list, the required fields come before Return All and Limit, optional collections after', () => {
		const names = (resource: string, operation: string) =>
			shownFor(resource, operation).map((p) => p.name).filter((n) => n !== 'resource' && n !== 'operation');
		expect(names('device', 'getManyWithNetworkInterfaces')).toEqual(['siteUid', 'returnAll', 'limit', 'options']);
		expect(names('device', 'getMany')).toEqual(['scope', 'siteUid', 'returnAll', 'limit', 'simple', 'filters', 'siteFilters', 'options']);
		for (const op of OPERATIONS.filter((o) => o.list)) {
			const shown = shownFor(op.resource, op.value);
			const returnAll = shown.findIndex((p) => p.name === 'returnAll');
			const lastRequired = shown.map((p) => p.required === true).lastIndexOf(true);
			expect({ op: op.value, lastRequired: Math.min(lastRequired, returnAll) }).toEqual({ op: op.value, lastRequired });
		}
	});
});

describe('pickers', () => {
	const pickers = [...description.properties, ...new DattoRmmTrigger().description.properties].filter((p) => p.type === 'resourceLocator');

	test('every picker offers "From List" and "By UID", with no mode named "id" (n8n labels that "By ID")', () => {
		expect(pickers.length).toBeGreaterThan(5);
		for (const picker of pickers) {
			expect(picker.modes?.map((m) => [m.name, m.displayName])).toEqual([
				['list', 'From List'],
				[UID_MODE, 'By UID'],
			]);
		}
	});
});

describe('notices, options and links', () => {
	test('Reset API Keys warns in the form once chosen, not only in the Operation dropdown', () => {
		const notices = shownFor('user', 'resetApiKeys').filter((p) => p.type === 'notice');
		expect(notices).toHaveLength(1);
		expect(notices[0].displayName).toMatch(/replaces the API key and secret.*This n8n credential.*stop working/);
		expect(shownFor('user', 'getMany').some((p) => p.type === 'notice')).toBe(false);
	});

	test('Activity Log > Get Many has one Options collection, holding its page size and details parsing', () => {
		const collections = shownFor('activityLog', 'getMany').filter((p) => p.type === 'collection');
		expect(collections.map((c) => c.displayName)).toEqual(['Filters', 'Options']);
		const options = collections[1].options as INodeProperties[];
		expect(options.map((o) => o.name)).toEqual(['isoDates', 'maxRetries', 'pageSize', 'parseDetails', 'timeout']);
	});

	test('"Fetch Pages Concurrently" is offered only where Return All reads pages by number', () => {
		const offers = (resource: string, operation: string) =>
			(shownFor(resource, operation).find((p) => p.name === 'options')?.options as INodeProperties[]).some((o) => o.name === 'concurrentPages');
		expect(offers('device', 'getMany')).toBe(true);
		expect(offers('device', 'get')).toBe(false);
		expect(offers('activityLog', 'getMany')).toBe(false);
	});

	test.each(['nodes/DattoRmm/DattoRmm.node.json', 'nodes/DattoRmmTrigger/DattoRmmTrigger.node.json'])(
		'%s: the docs link has no #fragment (n8n appends its ?utm_ query to the link)',
		(file) => {
			const codex = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { resources: Record<string, Array<{ url: string }>> };
			for (const { url } of Object.values(codex.resources).flat()) expect(url).not.toContain('#');
		},
	);
});

describe('canvas subtitle', () => {
	async function subtitle(parameters: Record<string, unknown>): Promise<unknown> {
		const node: INode = { id: '1', name: 'Datto RMM', type: 'x.dattoRmm', typeVersion: 1, position: [0, 0], parameters: parameters as INode['parameters'] };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: { getByName: () => new DattoRmm(), getByNameAndVersion: () => new DattoRmm(), getKnownTypes: () => ({}) } as never });
		return await withExpressionIsolate(workflow, async () =>
			workflow.expression.getSimpleParameterValue(node, description.subtitle!, 'internal', {}),
		);
	}

	test('reads "Resource: Operation" in the dropdowns\' words, not the internal values', async () => {
		expect(await subtitle({ resource: 'device', operation: 'getMany' })).toBe('Device: Get Many');
		expect(await subtitle({ resource: 'job', operation: 'runQuickJobAndWait' })).toBe('Job: Run Quick Job and Wait');
		expect(await subtitle({ resource: 'activityLog', operation: 'getMany' })).toBe('Activity Log: Get Many');
	});

	test('n8n\'s "Custom API Call" choice reads as itself', async () => {
		expect(await subtitle({ resource: '__CUSTOM_API_CALL__' })).toBe('Custom API Call');
	});
});

describe('executions that the editor items are about', () => {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator: { seed: 12 } });
	});
	afterAll(async () => {
		await account.close();
	});

	const rl = (value: string, mode = UID_MODE) => ({ __rl: true, mode, value });

	test('n8n\'s "Custom API Call" resource fails clearly, pointing to the HTTP Request node, and sends nothing', async () => {
		const before = account.sim.log.length;
		const result = await account.harness.runDattoNode({ parameters: { resource: '__CUSTOM_API_CALL__' }, credential: account.credential });
		expect(result.error?.message).toBe('Custom API Call is done with an HTTP Request node, not with the Datto RMM node');
		expect((result.error as { description?: string }).description).toMatch(/HTTP Request node.*Predefined Credential Type.*Datto RMM API/);
		expect(account.sim.log.length).toBe(before);
	});

	test('a picker value saved with the earlier mode name "id" still runs', async () => {
		const device = account.sim.state.devices.find((d) => !d.deleted)!;
		const result = await account.harness.runDattoNode({
			parameters: { resource: 'device', operation: 'get', deviceUid: rl(device.uid, 'id') },
			credential: account.credential,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.uid)).toEqual([device.uid]);
	});

	describe('Run Quick Job and Wait, "Fail When the Component Fails"', () => {
		const quickJob = (failOnComponentFailure: boolean | undefined, componentName: string) => {
			const device = account.sim.state.devices.find((d) => !d.deleted && d.deviceClass === 'device')!;
			const component = account.sim.state.components.find((c) => c.name === componentName)!;
			return account.harness.runDattoNode({
				parameters: {
					resource: 'job',
					operation: 'runQuickJobAndWait',
					deviceUid: rl(device.uid),
					componentUid: rl(component.uid),
					waitOptions: { pollSeconds: 1, ...(failOnComponentFailure === undefined ? {} : { failOnComponentFailure }) },
				},
				credential: account.credential,
			});
		};

		test('off (the default): a failed component is a green item with jobDeploymentStatus "Failure"', async () => {
			const result = await quickJob(undefined, 'Run Failing Diagnostic');
			expect(result.error).toBeUndefined();
			expect(result.items[0].json).toMatchObject({ jobDeploymentStatus: 'Failure', timedOut: false });
		});

		test('on: a failed component fails the node, naming the job, the device and its error output', async () => {
			const result = await quickJob(true, 'Run Failing Diagnostic');
			expect(result.error?.message).toMatch(/^The quick job "n8n quick job" failed on device ".+" \(Failure\)$/);
			expect((result.error as { description?: string }).description).toMatch(/error output: .*exit code 1/);
		});

		test('on: a component that succeeds gives its item as before', async () => {
			const result = await quickJob(true, 'Restart Print Spooler');
			expect(result.error).toBeUndefined();
			expect(result.items[0].json).toMatchObject({ jobDeploymentStatus: 'Success' });
		});
	});
});
