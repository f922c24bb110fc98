import type { OperationSpec } from './types';

export const accountOperations: OperationSpec[] = [
	{
		resource: 'account',
		value: 'get',
		name: 'Get',
		action: 'Get the account',
		description: 'Get the Datto RMM account the credential belongs to: name, currency, device counts',
		operationIds: ['getUserAccount'],
		method: 'GET',
		path: '/v2/account',
		fields: [],
	},
	{
		resource: 'account',
		value: 'getDnetSiteMappings',
		name: 'Get DNet Site Mappings',
		action: 'Get the Datto Networking site mappings',
		description:
			'List the sites mapped to Datto Networking (DNet) networks: site ID, UID, name, description, the mapped network IDs and the portal link',
		operationIds: ['getDnetSiteMappings'],
		method: 'GET',
		path: '/v2/account/dnet-site-mappings',
		list: { key: 'dnetSiteMappings' },
		fields: [],
	},
];
