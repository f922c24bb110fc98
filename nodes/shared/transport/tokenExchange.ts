import type { IDataObject, IHttpRequestHelper, IN8nHttpFullResponse } from 'n8n-workflow';

import { formsOf, redact } from './redact';

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

/** A credential field or answer field as text (empty when absent). */
export function asText(value: unknown): string {
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
	const code = asText((error as { code?: unknown } | null)?.code).toUpperCase();
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
	const oauthError = scrub(asText(json?.error), secrets);
	const oauthDescription = scrub(asText(json?.error_description ?? json?.message), secrets).slice(0, 200);
	const said = oauthDescription || oauthError;

	if (status >= 300 && status < 400) {
		const location = asText((response.headers as IDataObject | undefined)?.location);
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
export interface IssuedToken {
	token: string;
	reusableUntil: number;
}

/** A token is handed out again for this long at most (Datto's live 100 hours, less a margin). */
const REUSE_LIMIT_MS = 60 * 60_000;

/** Datto's password-grant exchange: one POST, its whole answer within the deadline, no redirect followed. */
export async function exchangeToken(helper: IHttpRequestHelper, root: string, apiKey: string, apiSecret: string): Promise<IssuedToken> {
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
