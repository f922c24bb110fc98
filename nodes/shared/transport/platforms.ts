/**
 * Datto RMM platforms and base-URL rules, shared by the credential and the node.
 * An account lives on exactly one platform; a wrong one answers 401 to valid keys.
 */

export const PLATFORMS = [
	{ value: 'pinotage', name: 'Pinotage (US/Canada)' },
	{ value: 'merlot', name: 'Merlot (US/Canada)' },
	{ value: 'concord', name: 'Concord (EU)' },
	{ value: 'vidal', name: 'Vidal (EU)' },
	{ value: 'zinfandel', name: 'Zinfandel (APAC)' },
	{ value: 'syrah', name: 'Syrah (UK)' },
] as const;

export const CUSTOM_PLATFORM = 'custom';

export interface PlatformCredentials {
	platform?: unknown;
	baseUrl?: unknown;
}

/** Thrown for a credential that cannot name a server; `field` is the credential field to fix. */
export class CredentialSetupError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'CredentialSetupError';
	}
}

function problem(field: string, message: string): BaseUrlCheck {
	return { field, message };
}

export type BaseUrlCheck = { url: string } | { field: string; message: string };

function parseUrl(raw: string): URL | undefined {
	try {
		return new URL(raw);
	} catch {
		return undefined;
	}
}

/**
 * The server root for a credential, without a trailing slash, or what is wrong with it:
 * API calls go to `{root}/api/v2/...`, the token exchange to `{root}/auth/oauth/token`.
 */
export function checkBaseUrl(credentials: PlatformCredentials): BaseUrlCheck {
	const platform = typeof credentials.platform === 'string' ? credentials.platform.trim() : '';
	if (platform === CUSTOM_PLATFORM) {
		const raw = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
		if (!raw) {
			return problem(
				'baseUrl',
				'Base URL is empty: enter the address of your proxy or test server, e.g. https://rmm-proxy.example.com',
			);
		}
		const url = parseUrl(raw);
		if (!url) {
			return problem('baseUrl', `Base URL "${raw}" is not a valid URL: it must start with http:// or https://`);
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			return problem('baseUrl', `Base URL must use http or https, not "${url.protocol.replace(':', '')}"`);
		}
		// Users often paste the API root; the token endpoint sits beside /api, so strip it.
		return { url: `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(/\/api$/, '') };
	}
	if (!PLATFORMS.some((p) => p.value === platform)) {
		return problem(
			'platform',
			`Unknown platform "${platform}": choose one of ${PLATFORMS.map((p) => p.value).join(', ')}, or Custom URL`,
		);
	}
	return { url: `https://${platform}-api.centrastage.net` };
}

/** Like checkBaseUrl, but throws CredentialSetupError (naming the field) when the credential is unusable. */
export function resolveBaseUrl(credentials: PlatformCredentials): string {
	const checked = checkBaseUrl(credentials);
	if ('url' in checked) return checked.url;
	throw new CredentialSetupError(checked.message, checked.field);
}
