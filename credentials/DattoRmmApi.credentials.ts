import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IN8nHttpFullResponse,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	CUSTOM_PLATFORM,
	CredentialSetupError,
	PLATFORMS,
	resolveBaseUrl,
} from '../nodes/DattoRmm/transport/platforms';
import { formsOf, redact } from '../nodes/DattoRmm/transport/redact';

/**
 * Datto's token endpoint authenticates a fixed, public OAuth client: base64("public-client:public").
 * It is the same for every account and is not a secret.
 */
const PUBLIC_CLIENT_BASIC = 'Basic cHVibGljLWNsaWVudDpwdWJsaWM=';

/** Longest wait for the token endpoint, in milliseconds. */
const EXCHANGE_TIMEOUT_MS = 30_000;

/**
 * Why the token exchange failed, in words a user can act on. It never carries the API secret,
 * the form body or a token, and no `status`/`code` property either: n8n would otherwise swap
 * this message for a generic one when it wraps the error in a NodeApiError.
 */
export class DattoRmmAuthError extends Error {
	constructor(
		message: string,
		/** The credential field most likely to need a fix. */
		readonly field: string,
		/** HTTP status of the token endpoint's answer, when it answered. */
		readonly answerStatus?: number,
	) {
		super(message);
		this.name = 'DattoRmmAuthError';
	}
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** Removes the key and secret, in every form they travel in, from text a server sent back. */
function scrub(value: string, secrets: string[]): string {
	return redact(value, formsOf(secrets));
}

/** The answer's JSON object, or undefined when the body is not a JSON object. */
function parseJsonObject(body: unknown): IDataObject | undefined {
	let value = body;
	if (typeof value === 'string') {
		const trimmed = value.trim();
		if (!trimmed.startsWith('{')) return undefined;
		try {
			value = JSON.parse(trimmed);
		} catch {
			return undefined;
		}
	}
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as IDataObject)
		: undefined;
}

/** Describes a transport failure (no HTTP answer) without quoting the library's error. */
function networkFailure(error: unknown, host: string): DattoRmmAuthError {
	const code = text((error as { code?: unknown } | null)?.code).toUpperCase();
	const why: Record<string, string> = {
		ECONNREFUSED: 'the connection was refused (nothing is listening there)',
		ENOTFOUND: 'the host name could not be resolved',
		EAI_AGAIN: 'the host name could not be resolved (DNS lookup failed)',
		ECONNRESET: 'the connection was closed before an answer arrived',
		ETIMEDOUT: 'the connection did not complete in time',
		ECONNABORTED: `no answer arrived in time (timed out after ${EXCHANGE_TIMEOUT_MS / 1000} s)`,
		// Our deadline for the whole answer aborted the request.
		ERR_CANCELED: `its whole answer did not arrive in time (timed out after ${EXCHANGE_TIMEOUT_MS / 1000} s)`,
		EHOSTUNREACH: 'the host is unreachable from this machine',
		ENETUNREACH: 'the network is unreachable from this machine',
		CERT_HAS_EXPIRED: 'its TLS certificate has expired',
		DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
		SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is self-signed',
		UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified',
		ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate does not match the host name',
	};
	const reason = why[code] ?? 'the connection failed';
	return new DattoRmmAuthError(
		`Could not reach the Datto RMM token endpoint on host "${host}": ${reason}. ` +
			'Check the Platform (or the Base URL, for Custom URL) in the Datto RMM API credential, and that this machine can reach that host.',
		'platform',
	);
}

/** Turns the token endpoint's answer into the token, or into an error that says what to check. */
function readTokenAnswer(
	response: IN8nHttpFullResponse,
	host: string,
	secrets: string[],
): string {
	const status = Number(response.statusCode);
	const json = parseJsonObject(response.body);
	const oauthError = scrub(text(json?.error), secrets);
	const oauthDescription = scrub(text(json?.error_description ?? json?.message), secrets).slice(0, 200);
	const said = oauthDescription || oauthError;

	if (status >= 300 && status < 400) {
		const location = text((response.headers as IDataObject | undefined)?.location);
		let target = location || 'an address it did not give';
		try {
			target = location ? new URL(location, `http://${host}`).host : target;
		} catch {
			// keep what the server said
		}
		throw new DattoRmmAuthError(
			`The token endpoint on host "${host}" redirected to "${scrub(target, secrets)}" (HTTP ${status}); the API secret is only ever sent to the credential's own server, so the redirect was not followed. ` +
				'Check the Platform / Base URL in the Datto RMM API credential: Custom URL must point at the server that answers directly.',
			'baseUrl',
			status,
		);
	}
	if (status >= 200 && status < 300) {
		if (!json) {
			throw new DattoRmmAuthError(
				`The token endpoint on host "${host}" answered something that is not JSON: check the Platform / Base URL in the Datto RMM API credential (Custom URL must point at the server root, e.g. https://merlot-api.centrastage.net).`,
				'baseUrl',
				status,
			);
		}
		const token = json.access_token;
		if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) {
			throw new DattoRmmAuthError(
				`The token endpoint on host "${host}" answered JSON without an access_token: it does not behave like Datto RMM. Check the Platform / Base URL in the Datto RMM API credential.`,
				'baseUrl',
				status,
			);
		}
		return token;
	}

	if (status === 400 || status === 401) {
		throw new DattoRmmAuthError(
			`Datto RMM rejected the API key or secret (HTTP ${status}: ${said || 'no reason given'}). ` +
				'Check the API Key and API Secret, and that Platform is the one your account is on (a wrong platform also answers this way). ' +
				'Keys are generated in Datto RMM under Setup > Users > your user > Generate API Keys; generating new keys invalidates the old pair.',
			'apiSecret',
			status,
		);
	}
	if (status === 403) {
		throw new DattoRmmAuthError(
			`Datto RMM refused the token request (HTTP 403${said ? `: ${said}` : ''}). ` +
				'Either this IP address is temporarily blocked (after too many refused or rate-limited requests; it lasts about five minutes) ' +
				'or API access is disabled for the account: an administrator enables it under Setup > Global Settings > Access Control > Enable API Access.',
			'apiKey',
			status,
		);
	}
	if (status === 429) {
		throw new DattoRmmAuthError(
			'Datto RMM is rate limiting this account (HTTP 429) and refused a new token: the 600 requests per minute are shared by every integration on the account. Wait a minute and run again.',
			'apiKey',
			status,
		);
	}
	if (!json) {
		throw new DattoRmmAuthError(
			`The token endpoint on host "${host}" answered HTTP ${status} with something that is not JSON: check the Platform / Base URL in the Datto RMM API credential.`,
			'baseUrl',
			status,
		);
	}
	if (status === 404) {
		throw new DattoRmmAuthError(
			`The token endpoint on host "${host}" was not found (HTTP 404): check the Platform / Base URL in the Datto RMM API credential.`,
			'baseUrl',
			status,
		);
	}
	throw new DattoRmmAuthError(
		`The Datto RMM token endpoint on host "${host}" failed (HTTP ${status}${said ? `: ${said}` : ''}). ` +
			(status >= 500
				? 'This is usually temporary on Datto\'s side: try again in a few minutes.'
				: 'Check the Platform / Base URL in the Datto RMM API credential.'),
		status >= 500 ? 'platform' : 'baseUrl',
		status,
	);
}

/** A token this process got, for whom, and until when it may be handed out again. */
interface IssuedToken {
	token: string;
	reusableUntil: number;
}

/**
 * Token exchanges of this process, one at a time per credential (API key, secret and server):
 * many items or pages that find the token empty or expired at once share one exchange, and a
 * caller still holding a token older than the newest one gets the newest without an exchange.
 */
const exchanges = new Map<string, Promise<IssuedToken>>();
const issued = new Map<string, IssuedToken>();

/** A token is handed out again for this long at most (Datto's live 100 hours, less a margin). */
const REUSE_LIMIT_MS = 60 * 60_000;

/** FNV-1a: a fingerprint of the secret, so the map of tokens does not hold the secret itself. */
function fingerprint(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
	return hash.toString(16);
}

function identityOf(root: string, apiKey: string, apiSecret: string): string {
	return `${root}\n${apiKey}\n${fingerprint(apiSecret)}`;
}

/** Datto's password-grant exchange: one POST, its whole answer within the deadline, no redirect followed. */
async function exchangeToken(helper: IHttpRequestHelper, root: string, apiKey: string, apiSecret: string): Promise<IssuedToken> {
	const url = `${root}/auth/oauth/token`;
	const host = new URL(url).host;
	const body = 'grant_type=password' + `&username=${encodeURIComponent(apiKey)}` + `&password=${encodeURIComponent(apiSecret)}`;
	let response: IN8nHttpFullResponse;
	try {
		// Full response and no status errors: the library's own error would carry the request,
		// and so the secret, into n8n's error output. The answer is read here instead.
		response = (await helper.helpers.httpRequest({
			method: 'POST',
			url,
			headers: {
				Authorization: PUBLIC_CLIENT_BASIC,
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
			},
			body,
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: EXCHANGE_TIMEOUT_MS,
			abortSignal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw networkFailure(error, host);
	}
	const token = readTokenAnswer(response, host, [apiKey, apiSecret]);
	const json = parseJsonObject(response.body);
	const lifetimeMs = Number(json?.expires_in) * 1000;
	const reuseMs = Number.isFinite(lifetimeMs) && lifetimeMs > 0 ? Math.min(REUSE_LIMIT_MS, lifetimeMs / 2) : REUSE_LIMIT_MS;
	return { token, reusableUntil: Date.now() + reuseMs };
}

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
	 * Datto's password-grant token exchange. n8n runs it when the stored token is empty, and again
	 * when an API call answers 401; the token it returns is saved with the credential and reused.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		// Validate first: a credential that cannot work must not send anything.
		const root = resolveBaseUrl(credentials);
		const apiKey = text(credentials.apiKey);
		const apiSecret = text(credentials.apiSecret);
		if (apiKey.trim() === '') {
			throw new CredentialSetupError(
				'API Key is empty: enter the API key generated in Datto RMM (Setup > Users > a user > Generate API Keys)',
				'apiKey',
			);
		}
		if (apiSecret.trim() === '') {
			throw new CredentialSetupError(
				'API Secret is empty: enter the API secret shown when the API keys were generated in Datto RMM',
				'apiSecret',
			);
		}

		const identity = identityOf(root, apiKey, apiSecret);
		const held = text(credentials.accessToken);
		const newest = issued.get(identity);
		// Someone renewed while this caller used an older token: the newest one serves it too.
		if (newest && held !== newest.token && Date.now() < newest.reusableUntil) return { accessToken: newest.token };
		let exchange = exchanges.get(identity);
		if (!exchange) {
			exchange = exchangeToken(this, root, apiKey, apiSecret).finally(() => exchanges.delete(identity));
			exchanges.set(identity, exchange);
		}
		const fresh = await exchange;
		issued.set(identity, fresh);
		return { accessToken: fresh.token };
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
