import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { CredentialSetupError, resolveBaseUrl } from './platforms';
import { asText, exchangeToken, type IssuedToken } from './tokenExchange';

/**
 * Token exchanges of this process, one at a time per credential (API key, secret and server):
 * many items or pages that find the token empty or expired at once share one exchange, and a
 * caller still holding a token older than the newest one gets the newest without an exchange.
 */
const exchanges = new Map<string, Promise<IssuedToken>>();
const issued = new Map<string, IssuedToken>();

/** FNV-1a: a fingerprint of the secret, so the map of tokens does not hold the secret itself. */
function fingerprint(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
	return hash.toString(16);
}

function identityOf(root: string, apiKey: string, apiSecret: string): string {
	return `${root}\n${apiKey}\n${fingerprint(apiSecret)}`;
}

/**
 * The access token for a credential: the newest this process got when the caller holds an older
 * one, else a new exchange (shared by every caller that asks while it runs). A credential that
 * cannot work fails here, before anything is sent.
 */
export async function accessTokenFor(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<string> {
	// Validate first: a credential that cannot work must not send anything.
	const root = resolveBaseUrl(credentials);
	const apiKey = asText(credentials.apiKey);
	const apiSecret = asText(credentials.apiSecret);
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
	const held = asText(credentials.accessToken);
	const newest = issued.get(identity);
	// Someone renewed while this caller used an older token: the newest one serves it too.
	if (newest && held !== newest.token && Date.now() < newest.reusableUntil) return newest.token;
	let exchange = exchanges.get(identity);
	if (!exchange) {
		exchange = exchangeToken(helper, root, apiKey, apiSecret).finally(() => exchanges.delete(identity));
		exchanges.set(identity, exchange);
	}
	const fresh = await exchange;
	issued.set(identity, fresh);
	return fresh.token;
}
