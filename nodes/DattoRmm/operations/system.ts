import type { OperationSpec } from './types';

export const systemOperations: OperationSpec[] = [
	{
		resource: 'system',
		value: 'getStatus',
		name: 'Get Status',
		action: 'Get the API status',
		description: 'Get the status of the Datto RMM API: version, status and start time. Useful as a health check.',
		operationIds: ['getStatus'],
		method: 'GET',
		path: '/v2/system/status',
		fields: [],
	},
	{
		resource: 'system',
		value: 'getRequestRate',
		name: 'Get Request Rate',
		action: 'Get the request rate of the account',
		description:
			"Get the account's live rate-limit use: requests in the sliding window against the limit (600 per 60 seconds, shared by every integration), the slow-down ratio, and write budgets per operation where the account has them",
		operationIds: ['get'],
		method: 'GET',
		path: '/v2/system/request_rate',
		fields: [],
	},
	{
		resource: 'system',
		value: 'getPagination',
		name: 'Get Pagination',
		action: 'Get the page size of the account',
		description: "Get the account's default and largest page size for lists (max; alerts are exempt from it)",
		operationIds: ['getPaginationConfigurations'],
		method: 'GET',
		path: '/v2/system/pagination',
		fields: [],
	},
];
