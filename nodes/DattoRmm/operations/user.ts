import type { OperationSpec } from './types';

export const userOperations: OperationSpec[] = [
	{
		resource: 'user',
		value: 'getMany',
		name: 'Get Many',
		action: 'Get many users',
		description: 'List the users of the account: username, name, email, status, creation and last access, whether disabled',
		operationIds: ['getUsers'],
		method: 'GET',
		path: '/v2/account/users',
		list: { key: 'users' },
		fields: [],
	},
	{
		resource: 'user',
		value: 'resetApiKeys',
		name: 'Reset API Keys',
		action: 'Reset the API keys of the API user',
		description:
			"WARNING: replaces the API key and secret of the user this credential belongs to, at once. The old pair stops working: every integration using it, including this n8n credential, fails until it is given the new key and secret, which this operation returns (apiAccessKey, apiSecretKey). Sent once, never repeated automatically.",
		operationIds: ['resetApiKeys'],
		method: 'POST',
		path: '/v2/user/resetApiKeys',
		safety: 'create',
		writeBudget: 'user-reset-keys',
		fields: [
			{
				// Shown in the form once the operation is chosen, not only in the Operation dropdown.
				in: 'none',
				property: {
					displayName:
						"Running this replaces the API key and secret of the user this credential belongs to, at once. This n8n credential and every other integration using the old pair stop working until they are given the new key and secret, which this operation returns (apiAccessKey, apiSecretKey). Copy them from the output into the credential right away: Datto shows the secret only here.",
					name: 'resetApiKeysNotice',
					type: 'notice',
					default: '',
				},
			},
		],
	},
];
