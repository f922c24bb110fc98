import type { OperationSpec } from './types';

export const componentOperations: OperationSpec[] = [
	{
		resource: 'component',
		value: 'getMany',
		name: 'Get Many',
		action: 'Get many components',
		description:
			'List the components (scripts) of the account that jobs can run: UID, name, category, description, whether credentials are required, and their input variables with defaults',
		operationIds: ['getComponents'],
		method: 'GET',
		path: '/v2/account/components',
		list: { key: 'components' },
		fields: [],
	},
];
