/**
 * What the editor's credential "Test" button does for a credential type with `test.request`,
 * following n8n's CredentialsTester service (packages/cli/src/services/credentials-tester.service.ts):
 *
 * 1. the submitted data gets the type's defaults and resolved expressions (mode 'internal');
 * 2. a temporary workflow holds one node of type `n8n-nodes-base.noOp` whose only parameter,
 *    `temp` (default ''), routes `test.request`; the node carries the credential's id and name;
 * 3. n8n-core's RoutingNode runs it with the submitted credentials: httpRequestWithAuthentication
 *    calls preAuthentication (which always runs for that test node), authenticate, then sends;
 * 4. a thrown error becomes `{ status: 'Error', message }`: the HTTP status text when the request
 *    got an answer, else the transport error code, else the error's message; otherwise 'OK'.
 */
import { randomUUID } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import { ExecuteContext, RoutingNode } from 'n8n-core';

import { emptyRunExecutionData, withExpressionIsolate } from './compat.cjs';
import { DATTO_CREDENTIAL_TYPE } from './credential-store.cjs';
import type { N8nTestHarness } from './engine.cjs';
import { NO_OP_TYPE } from './node-types.cjs';

export interface CredentialTestOptions {
	/** Credential type; Datto RMM API by default. */
	type?: string;
	/** Test a credential already in the store (its stored data is used unless `data` is given). */
	id?: string;
}

export interface CredentialTestOutcome extends INodeCredentialTestResult {
	/** The credential's id in the store (the editor saves a credential before testing it). */
	id: string;
}

function get(value: unknown, path: string): unknown {
	let current = value;
	for (const key of path.split('.')) {
		if (typeof current !== 'object' || current === null) return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

export async function testCredential(
	harness: N8nTestHarness,
	data: ICredentialDataDecryptedObject | undefined,
	options: CredentialTestOptions = {},
): Promise<CredentialTestOutcome> {
	const type = options.type ?? DATTO_CREDENTIAL_TYPE;
	const helper = harness.credentialsHelper;
	const credentialType = helper.getCredentialType(type);

	let id = options.id;
	if (id === undefined) {
		id = harness.addCredential(data ?? {}, { type, name: `Tested credential ${randomUUID().slice(0, 8)}` }).id;
	}
	const stored = harness.store.get(id, type);
	const credentialsDecrypted: ICredentialsDecrypted = {
		id,
		name: stored.name,
		type,
		data: data ? { ...data } : stored.data,
	};

	if (!credentialType.test) {
		return { id, status: 'Error', message: 'No testing function found for this credential.' };
	}

	const executionId = `credential-test-${randomUUID()}`;
	const additionalData = harness.createAdditionalData(
		executionId,
		{ id: 'credential-test', name: 'Credential test', nodes: [], connections: {} } as never,
		'internal',
	);

	try {
		credentialsDecrypted.data = await helper.applyDefaultsAndOverwrites(
			additionalData,
			credentialsDecrypted.data ?? {},
			type,
			'internal',
		);
	} catch (error) {
		return { id, status: 'Error', message: String((error as Error).message) };
	}

	const noOp = harness.nodeTypes.getByNameAndVersion(NO_OP_TYPE);
	const version = noOp.description.version;
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: noOp.description.name.includes('.') ? noOp.description.name : NO_OP_TYPE,
		typeVersion: Array.isArray(version) ? version[version.length - 1] : version,
		position: [0, 0],
		credentials: { [type]: { id, name: stored.name } },
	};
	const testNodeType: INodeType = {
		description: {
			...noOp.description,
			name: node.type,
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: credentialType.test.request },
					default: '',
				},
			],
		},
	};
	const testNodeTypes: INodeTypes = {
		getByName: () => testNodeType,
		getByNameAndVersion: (_name, v) => NodeHelpers.getVersionedNodeType(testNodeType, v),
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: testNodeTypes,
	});

	const inputData = { main: [[{ json: {} } as INodeExecutionData]] };
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		emptyRunExecutionData(),
		0,
		[],
		inputData,
		executeData,
		[],
	);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await withExpressionIsolate(workflow, async () => await new RoutingNode(context, testNodeType, credentialsDecrypted).runNode());
	} catch (error) {
		// n8n: the tester reports the failure to its ErrorReporter (server log) first.
		harness.reportedErrors.push({ error });
		const cause = (error as { cause?: { response?: { status?: number; statusText?: string }; code?: unknown } })
			.cause;
		if (cause?.response) {
			const statusCode = Number(cause.response.status);
			for (const rule of credentialType.test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === statusCode) {
					return { id, status: 'Error', message: rule.properties.message };
				}
			}
			if (statusCode < 199 || statusCode > 299) {
				return {
					id,
					status: 'Error',
					message: cause.response.statusText || `Received HTTP status code: ${statusCode}`,
				};
			}
		} else if (cause?.code) {
			return { id, status: 'Error', message: String(cause.code) };
		}
		return { id, status: 'Error', message: String((error as Error).message) };
	}

	for (const rule of credentialType.test.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const body = response?.[0]?.[0]?.json;
			if (get(body, rule.properties.key) === rule.properties.value) {
				return { id, status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { id, status: 'OK', message: 'Connection successful!' };
}
