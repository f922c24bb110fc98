/**
 * A picker's search as the editor runs it: n8n's server builds a LoadOptionsContext for the node's
 * parameter (real request helpers, the harness's credentials) and calls the node type's
 * `methods.listSearch[name]` with the typed filter and the pagination token of the previous page.
 */
import { randomUUID } from 'node:crypto';

import type { INode, INodeListSearchResult, INodeParameters, INodeType, IWorkflowBase } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { LoadOptionsContext } from 'n8n-core';

import { DATTO_CREDENTIAL_TYPE } from './credential-store.cjs';
import { DATTO_NODE_TYPE } from './node-types.cjs';
import type { SimulatedAccount } from './simulator.cjs';

export interface ListSearchOptions {
	/** The node's parameters while the user searches (e.g. the chosen resource and operation). */
	parameters?: INodeParameters;
	filter?: string;
	paginationToken?: string;
	/** The picker's parameter, e.g. `deviceUid`. */
	parameterName?: string;
}

/** One page of a picker's list, as the editor would show it. */
export async function searchList(account: SimulatedAccount, method: string, options: ListSearchOptions = {}): Promise<INodeListSearchResult> {
	const { harness, credential } = account;
	const node: INode = {
		id: randomUUID(),
		name: 'Datto RMM',
		type: DATTO_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { ...options.parameters },
		credentials: { [DATTO_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	};
	const workflowData = { id: `wf-${randomUUID()}`, name: 'Picker', nodes: [node], connections: {}, active: false } as unknown as IWorkflowBase;
	const workflow = new Workflow({ id: workflowData.id, nodes: [node], connections: {}, active: false, nodeTypes: harness.nodeTypes });
	const additionalData = harness.createAdditionalData('list-search', workflowData, 'manual');
	const context = new LoadOptionsContext(workflow, node, additionalData, `parameters.${options.parameterName ?? 'value'}`);
	const nodeType = harness.nodeTypes.getByNameAndVersion(DATTO_NODE_TYPE, 1) as INodeType;
	const search = nodeType.methods?.listSearch?.[method];
	if (!search) throw new Error(`The Datto RMM node has no list search "${method}"`);
	return await search.call(context, options.filter, options.paginationToken);
}

/** Every page of a picker's list, following pagination tokens. */
export async function searchAll(account: SimulatedAccount, method: string, options: ListSearchOptions = {}): Promise<INodeListSearchResult['results']> {
	const results: INodeListSearchResult['results'] = [];
	let token: string | undefined;
	for (let pages = 0; pages < 100; pages++) {
		const page = await searchList(account, method, { ...options, paginationToken: token });
		results.push(...page.results);
		token = page.paginationToken as string | undefined;
		if (!token) return results;
	}
	throw new Error(`${method}: more than 100 pages`);
}
