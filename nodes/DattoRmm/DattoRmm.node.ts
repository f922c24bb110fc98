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
import { listSearch } from '../shared/methods/listSearch';

export class DattoRmm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Datto RMM',
		name: 'dattoRmm',
		icon: { light: 'file:../../icons/datto-rmm.svg', dark: 'file:../../icons/datto-rmm.dark.svg' },
		group: ['transform'],
		// 2: Simplify for devices, alerts, sites and jobs, on by default. Workflows saved with
		// version 1 have no Simplify and keep Datto's full objects.
		version: [1, 2],
		defaultVersion: 2,
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
