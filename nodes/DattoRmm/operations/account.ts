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
];
