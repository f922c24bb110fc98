import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { buildProperties, buildSubtitle } from './description';
import { executeDattoRmm } from './execute';
import { OPERATIONS, RESOURCES } from './operations';
import { listSearch } from './search';

export class DattoRmm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Datto RMM',
		name: 'dattoRmm',
		icon: { light: 'file:../../icons/datto-rmm.svg', dark: 'file:../../icons/datto-rmm.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: buildSubtitle(RESOURCES, OPERATIONS),
		description: 'Manage devices, sites, alerts, jobs and more in Datto RMM',
		defaults: { name: 'Datto RMM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dattoRmmApi', required: true }],
		properties: buildProperties(RESOURCES, OPERATIONS),
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeDattoRmm(this);
	}
}
