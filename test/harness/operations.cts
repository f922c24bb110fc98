/**
 * What the operation and transport tests (test/nodes/DattoRmm/operations, test/nodes/shared/transport)
 * share: running the Datto RMM node in n8n's engine against a simulated account, the API requests the
 * simulator saw in that run, and the errors a user reads.
 */
import type { ExecutionBaseError, IDataObject, INodeParameters } from 'n8n-workflow';

import type { RecordedRequest, SimulatorOptions } from '../simulator/index.cjs';
import { startSimulatedAccount, type DattoRunResult, type SimulatedAccount } from './index.cjs';

export const PAGINATION = '/api/v2/system/pagination';
/** The request governor's look at the account's rate (not part of any operation's requests). */
export const REQUEST_RATE = '/api/v2/system/request_rate';

/** A resource locator value given by ID. */
export function byId(value: string | number) {
	return { __rl: true, mode: 'id', value };
}

/**
 * An empty value as it arrives from an expression (e.g. a missing field of the input item): n8n's
 * engine itself refuses a literally empty required parameter before the node runs.
 */
export const EMPTY = '={{ "" }}';

/** The API requests the simulator saw (not the token exchange, nor the governor's calibrations), from `since` on. */
export function apiCalls(account: SimulatedAccount, since = 0): RecordedRequest[] {
	return account.sim.log.slice(since).filter((r) => r.path.startsWith('/api/') && r.path !== REQUEST_RATE);
}

/** Every request the simulator saw to `path` with `method`. */
export function requestsTo(account: SimulatedAccount, path: string, method = 'GET'): RecordedRequest[] {
	return account.sim.log.filter((r) => r.path === path && r.method === method);
}

/** The message and description of a node's error, as the user reads them. */
export function errorText(error: ExecutionBaseError | undefined): string {
	if (!error) return '';
	const e = error as ExecutionBaseError & { description?: string | null };
	return `${e.message}\n${e.description ?? ''}`;
}

/** Runs the node once on `account`: its result, the API calls of this run, the output items' JSON. */
export async function runOperation(account: SimulatedAccount, parameters: INodeParameters) {
	const since = account.sim.log.length;
	const result = await account.harness.runDattoNode({ parameters, credential: account.credential });
	return { ...result, calls: apiCalls(account, since), json: result.items.map((i) => i.json) };
}

export interface Outcome {
	result: DattoRunResult;
	/** API requests the simulator saw in this run, without the page-size lookup. */
	requests: RecordedRequest[];
	json: IDataObject[];
}

/** The small account the Device, Audit, Site, Variable and Filter tests run on. */
const SMALL_ACCOUNT: SimulatorOptions = { seed: 7, size: { sites: 4, devices: 60 }, rateLimit: { enabled: false } };

/**
 * A simulated account started before the calling test file's tests and closed after them, and the
 * runs on it: `run` (any outcome), `runOne` (success with exactly one API request, its body parsed),
 * `expectInputError` (refused before anything is sent, naming the field).
 */
export function operationsOn(simulator: SimulatorOptions = SMALL_ACCOUNT) {
	let account: SimulatedAccount;
	beforeAll(async () => {
		account = await startSimulatedAccount({ simulator });
	});
	afterAll(async () => {
		await account.close();
	});

	const state = () => account.sim.state;

	async function run(parameters: INodeParameters, continueOnFail = false): Promise<Outcome> {
		const { sim, harness, credential } = account;
		sim.log.length = 0;
		const result = await harness.runDattoNode({ parameters, credential, continueOnFail });
		const requests = sim.log.filter((r) => r.path.startsWith('/api/') && r.path !== PAGINATION && r.path !== REQUEST_RATE);
		return { result, requests, json: result.items.map((i) => i.json) };
	}

	/** Runs and expects success with exactly one API request; returns it parsed. */
	async function runOne(parameters: INodeParameters) {
		const outcome = await run(parameters);
		expect(outcome.result.error).toBeUndefined();
		expect(outcome.requests).toHaveLength(1);
		const [request] = outcome.requests;
		const body = request.body ? (JSON.parse(request.body) as IDataObject) : undefined;
		return { ...outcome, request, body };
	}

	/** Runs and expects a NodeOperationError that names `field`, with nothing sent to the API. */
	async function expectInputError(parameters: INodeParameters, field: string | RegExp) {
		const { sim } = account;
		const { result } = await run(parameters);
		const error = result.error as ExecutionBaseError & { description?: string };
		expect(error).toBeDefined();
		// The engine keeps the node's error serialised in the run data.
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toMatch(field);
		if (typeof field === 'string') expect(error.description).toContain(`"${field}"`);
		expect(sim.log.filter((r) => r.path.startsWith('/api/'))).toEqual([]);
		return error;
	}

	function genericDevice(index = 0) {
		return state().devices.filter((d) => d.deviceClass === 'device' && !d.deleted)[index];
	}

	function deviceOfClass(cls: 'printer' | 'esxihost') {
		return state().devices.find((d) => d.deviceClass === cls && !d.deleted) ?? state().addDevice({ deviceClass: cls });
	}

	return { state, run, runOne, expectInputError, genericDevice, deviceOfClass };
}
