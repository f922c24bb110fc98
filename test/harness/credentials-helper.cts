/**
 * An ICredentialsHelper that behaves like the n8n server's `CredentialsHelper`
 * (packages/cli/src/credentials-helper.ts in n8n-io/n8n, n8n 2.x), minus what a package test
 * has no use for: credential overwrites, external secrets, dynamic (per-user) credentials,
 * project policies and OAuth. Where the code below decides something, the comment says which
 * part of n8n's helper it follows.
 *
 * What n8n-core's request helpers expect from it (see n8n-core
 * `request-helpers/authentication.js`, `httpRequestWithAuthentication`):
 *   1. `getDecrypted` gives the node the stored data, with defaults and expressions resolved;
 *   2. `preAuthentication(helpers, data, type, node, false)` before every authenticated request,
 *      then `authenticate(...)`, then the request;
 *   3. on a 401, `preAuthentication(..., true)` once more, `authenticate`, and one retry.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentialsHelper,
	NodeHelpers,
	UserError,
	Workflow,
} from 'n8n-workflow';
import { getAdditionalKeys } from 'n8n-core';

import { credentialOwnAllowedDomains, isExpression, withExpressionIsolate } from './compat.cjs';
import { StoredCredentials, type TestCredentialStore } from './credential-store.cjs';

/** The mock node n8n resolves credential expressions against when no node is running. */
const MOCK_NODE: INode = {
	id: 'mock',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};

const MOCK_NODE_TYPES: INodeTypes = {
	getByName: () => ({ description: { properties: [] } }) as never,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as never,
	getKnownTypes: () => ({}),
};

export interface PreAuthenticationCall {
	typeName: string;
	nodeName: string;
	credentialsExpired: boolean;
	/** Whether the credential type's preAuthentication actually ran. */
	ran: boolean;
	/** Whether it threw. */
	failed: boolean;
}

export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly types = new Map<string, ICredentialType>();

	/** Every call n8n-core made to `preAuthentication`, in order. */
	readonly preAuthenticationCalls: PreAuthenticationCall[] = [];

	constructor(
		readonly store: TestCredentialStore,
		credentialTypes: ICredentialType[],
	) {
		super();
		for (const type of credentialTypes) this.types.set(type.name, type);
	}

	/** How many times a credential type's preAuthentication ran (token exchanges attempted). */
	get preAuthenticationRuns(): number {
		return this.preAuthenticationCalls.filter((c) => c.ran).length;
	}

	getCredentialType(typeName: string): ICredentialType {
		const type = this.types.get(typeName);
		if (!type) throw new UserError(`Unknown credential type "${typeName}"`);
		return type;
	}

	// n8n: CredentialTypes.getParentTypes, which follows `extends` recursively.
	getParentTypes(typeName: string): string[] {
		const type = this.types.get(typeName);
		if (!type?.extends) return [];
		const parents: string[] = [];
		for (const parent of type.extends) {
			parents.push(parent, ...this.getParentTypes(parent));
		}
		return parents;
	}

	// n8n: only credential types with `restrictToSupportedNodes` limit which nodes may use them.
	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = this.types.get(credentialType);
		if (!type?.restrictToSupportedNodes) return true;
		return (type.supportedNodes ?? []).some(
			(supported) => supported === nodeType || nodeType.endsWith(`.${supported}`),
		);
	}

	/**
	 * n8n: `authenticate`. A function runs as is; a generic description has every key and value
	 * of every part (headers, qs, body, auth) resolved as an expression against `$credentials`
	 * (workflow.expression.getSimpleParameterValue, mode 'internal') and set on the request.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions & Record<string, unknown>;
		const { authenticate } = this.getCredentialType(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (typeof authenticate === 'object') {
			if (!workflow || !node) {
				throw new Error(`Credential type "${typeName}" authenticates declaratively: a workflow and a node are needed`);
			}
			requestOptions.headers ??= {};
			if (authenticate.type === 'generic') {
				for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
					for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
						const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
						const valueResolved = this.resolveValue(
							value as string,
							{ $credentials: credentials },
							workflow,
							node,
						);
						const target = (requestOptions[outerKey] ??= {}) as Record<string, unknown>;
						target[keyResolved] = valueResolved;
					}
				}
			}
		}
		return requestOptions;
	}

	// n8n: `resolveValue`: non-expressions unchanged; falsy results become ''.
	private resolveValue(
		parameterValue: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(parameterValue)) return parameterValue;
		const value = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!value) return '';
		return value.toString();
	}

	/**
	 * n8n: `preAuthentication`. Runs the credential type's hook only when the type has a hidden
	 * `expirable` property and that property is empty, or the caller says the credentials expired
	 * (a 401), or this is the editor's credential test (node `n8n-nodes-base.noOp` with
	 * `temp === ''`). The output is merged into the stored data (fields stored as expressions are
	 * kept, except the expirable one), saved with `updateCredentials`, and merged into the
	 * in-memory credentials, which is returned. Without node credentials nothing is stored and
	 * undefined is returned, as in n8n.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getCredentialType(typeName);
		const call: PreAuthenticationCall = {
			typeName,
			nodeName: node?.name,
			credentialsExpired,
			ran: false,
			failed: false,
		};
		this.preAuthenticationCalls.push(call);

		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;

		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';

		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (
			!(credentials[expirableProperty.name] === '' || credentialsExpired || isTestingCredentials)
		) {
			return undefined;
		}

		call.ran = true;
		let output: ICredentialDataDecryptedObject;
		try {
			output = (await credentialType.preAuthentication.call(
				restrictToCredentialDomains(helpers, credentials),
				credentials,
			)) as ICredentialDataDecryptedObject;
		} catch (error) {
			call.failed = true;
			throw error;
		}

		if (output[expirableProperty.name] === undefined) return undefined;

		if (node.credentials) {
			const nodeCredentials = node.credentials[credentialType.name];
			const storedData = await (await this.getCredentials(nodeCredentials, credentialType.name)).getData();
			const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
			for (const [key, value] of Object.entries(output)) {
				if (key === expirableProperty.name || !isExpression(storedData[key])) {
					dataToPersist[key] = value;
				}
			}
			await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	// n8n: `runPreAuthentication` (used by OAuth2 requests): the hook without guard or storage.
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getCredentialType(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject) ?? undefined;
	}

	// n8n: `getCredentials` loads the row by id and type (a missing id is an error).
	async getCredentials(
		nodeCredential: INodeCredentialsDetails,
		type: string,
	): Promise<StoredCredentials> {
		if (!nodeCredential?.id) {
			throw new UserError(
				`Credential "${nodeCredential?.name ?? ''}" of type "${type}" has no ID: save it first`,
			);
		}
		const row = this.store.get(nodeCredential.id, type);
		return new StoredCredentials({ id: row.id, name: row.name }, row.type, JSON.stringify(row.data));
	}

	// n8n: `getDecrypted`: read the row, then apply defaults and resolve expressions (raw: as stored).
	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		const decryptedDataOriginal = await credentials.getData();
		if (raw === true) return decryptedDataOriginal;
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			decryptedDataOriginal,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/**
	 * n8n: `applyDefaultsAndOverwrites` (no overwrites here): the type's defaults through
	 * NodeHelpers.getNodeParameters (fields hidden by displayOptions drop out, as in n8n), then
	 * expressions resolved, against the running node when there is one, else a mock workflow.
	 */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentialsProperties = this.getCredentialsProperties(type);
		let decryptedData = NodeHelpers.getNodeParameters(
			credentialsProperties,
			{ ...decryptedDataOriginal } as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;

		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });

		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} catch (e) {
				(e as Error).message += ' [Error resolving credentials]';
				throw e;
			}
		} else {
			const workflow = new Workflow({
				nodes: [{ ...MOCK_NODE }],
				connections: {},
				active: false,
				nodeTypes: MOCK_NODE_TYPES,
			});
			const unresolved = decryptedData;
			decryptedData = await withExpressionIsolate(
				workflow,
				async () =>
					workflow.expression.getComplexParameterValue(
						MOCK_NODE,
						unresolved as INodeParameters,
						mode,
						additionalKeys,
						undefined,
						undefined,
						unresolved,
					) as ICredentialDataDecryptedObject,
			);
		}
		return decryptedData;
	}

	// n8n: `updateCredentials`: set the whole data on the credentials and save the row.
	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.setData(data);
		this.store.write(credentials.id!, type, JSON.parse(credentials.getDataToSave().data!));
	}

	// n8n: `updateCredentialsOauthTokenData` (static credentials only).
	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.updateData({ oauthTokenData: data.oauthTokenData });
		this.store.write(credentials.id!, type, JSON.parse(credentials.getDataToSave().data!));
	}

	// n8n: `getCredentialsProperties`: own properties, or the merged chain of `extends`.
	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.getCredentialType(type);
		if (credentialType.extends === undefined) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}
}

/**
 * n8n: `restrictToCredentialDomains`. The hook sees only `helpers.httpRequest`, limited to the
 * credential's own allowed domains when the user set some.
 */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	const httpRequest = async (requestOptions: IHttpRequestOptions) => {
		// Read per request, as n8n does: a hook that sends nothing must not fail on the setting.
		const ownDomains = credentialOwnAllowedDomains(credentials);
		if (ownDomains === undefined) return await helpers.helpers.httpRequest(requestOptions);
		if (requestOptions.allowedDomains !== undefined) {
			throw new UserError(
				'The credential limits its requests to some domains; its authentication step may not name domains of its own.',
			);
		}
		return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains: ownDomains });
	};
	return { helpers: { httpRequest } } as IHttpRequestHelper;
}
