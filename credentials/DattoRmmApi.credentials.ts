import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { CUSTOM_PLATFORM, PLATFORMS } from '../nodes/shared/transport/platforms';
import { accessTokenFor } from '../nodes/shared/transport/tokenCache';

export class DattoRmmApi implements ICredentialType {
	name = 'dattoRmmApi';

	displayName = 'Datto RMM API';

	documentationUrl = 'https://rmm.datto.com/help/en/Content/2SETUP/APIv2.htm';

	icon: Icon = { light: 'file:../icons/datto-rmm.svg', dark: 'file:../icons/datto-rmm.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Platform',
			name: 'platform',
			type: 'options',
			options: [
				...PLATFORMS.map((p) => ({ name: p.name, value: p.value })),
				{ name: 'Custom URL', value: CUSTOM_PLATFORM },
			],
			default: 'merlot',
			description:
				'The Datto RMM platform your account is on: it is the first part of the address you log in to, e.g. merlot.centrastage.net is Merlot',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://127.0.0.1:8787',
			description:
				"Server root to use instead of a Datto platform, for a proxy or a test server such as this package's simulator. The token is fetched from {Base URL}/auth/oauth/token and the API is called under {Base URL}/api.",
			displayOptions: {
				show: {
					platform: [CUSTOM_PLATFORM],
				},
			},
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Generated in Datto RMM under Setup > Users > a user > Generate API Keys (API access must be enabled under Setup > Global Settings > Access Control)',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Shown once, next to the API key, when the keys are generated',
		},
		{
			displayName: 'Request Budget',
			name: 'budgetMode',
			type: 'options',
			options: [
				{
					name: 'Automatic',
					value: 'auto',
					description:
						"Use what Datto reports free below its slow-down line, less a margin for tools that start later, shared fairly with other n8n processes on the account",
				},
				{
					name: 'Fixed',
					value: 'fixed',
					description: 'At most a set number of requests per minute from each n8n process, and never more than the automatic share',
				},
			],
			default: 'auto',
			description:
				'How many requests per minute this n8n may send to the account. Datto allows 600 per account, shared with every other tool, slows every answer past 540 and blocks the IP after repeated 429s.',
		},
		{
			displayName: 'Requests per Minute',
			name: 'requestBudget',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 600 },
			default: 400,
			description: 'Most requests per minute each n8n process sends with this credential, across all its workflows',
			displayOptions: {
				show: {
					budgetMode: ['fixed'],
				},
			},
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			// n8n fills this through preAuthentication, stores it with the credential, and empties
			// it again when a request answers 401 (expirable).
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/**
	 * Datto's password-grant token exchange (transport/tokenCache.ts). n8n runs it when the stored
	 * token is empty, and again when an API call answers 401; the token it returns is saved with the
	 * credential and reused.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		return { accessToken: await accessTokenFor(this, credentials) };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			// The same rule as resolveBaseUrl: a platform's API host, or the custom server root
			// (trailing slashes and a pasted "/api" removed), then "/api".
			baseURL:
				"={{ $credentials.platform === 'custom' ? String($credentials.baseUrl).trim().replace(/\\/+$/, '').replace(/\\/api$/, '') + '/api' : 'https://' + $credentials.platform + '-api.centrastage.net/api' }}",
			url: '/v2/account',
			disableFollowRedirect: true,
		},
	};
}
