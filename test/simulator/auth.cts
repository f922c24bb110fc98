/**
 * OAuth token exchange (POST /auth/oauth/token, outside /api) and bearer checks, mirroring
 * Spring Security OAuth2: fixed public client `public-client:public` in Basic auth, password grant
 * with the API key as username and the API secret as password.
 */
import { randomBytes } from 'node:crypto';
import { oauthError } from './errors.cjs';
import type { Ctx, Reply } from './http.cjs';
import type { ApiCredential } from './model.cjs';

interface TokenRec {
	credential: ApiCredential;
	expiresAt: number;
}

export const PUBLIC_CLIENT = 'public-client:public';

/** Never echo a whole token back: 4 characters are enough to tell tokens apart in logs. */
function shortToken(t: string): string {
	return `${t.slice(0, 4)}...`;
}

export class TokenStore {
	private tokens = new Map<string, TokenRec>();

	constructor(private lifetimeSeconds: number) {}

	issue(credential: ApiCredential): { token: string; expiresIn: number } {
		const token = randomBytes(24).toString('base64url');
		this.tokens.set(token, { credential, expiresAt: Date.now() + this.lifetimeSeconds * 1000 });
		return { token, expiresIn: this.lifetimeSeconds };
	}

	expireAll(): void {
		for (const t of this.tokens.values()) t.expiresAt = 0;
	}

	/** Validate an Authorization header; a credential on success, a 401 reply otherwise. */
	check(authorization: string | undefined): ApiCredential | Reply {
		const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
		if (!m) {
			return oauthError(401, 'unauthorized', 'Full authentication is required to access this resource', {
				'WWW-Authenticate': 'Bearer realm="oauth2-resource", error="unauthorized", error_description="Full authentication is required to access this resource"',
			});
		}
		const rec = this.tokens.get(m[1]);
		if (!rec) {
			const d = `Invalid access token: ${shortToken(m[1])}`;
			return oauthError(401, 'invalid_token', d, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${d}"` });
		}
		if (Date.now() >= rec.expiresAt) {
			const d = `Access token expired: ${shortToken(m[1])}`;
			return oauthError(401, 'invalid_token', d, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${d}"` });
		}
		return rec.credential;
	}
}

export interface TokenOutcome {
	reply: Reply;
	ok: boolean;
}

/** POST /auth/oauth/token. */
export function handleTokenRequest(ctx: Ctx): TokenOutcome {
	const fail = (reply: Reply): TokenOutcome => ({ reply, ok: false });
	if (ctx.method !== 'POST') {
		return fail(oauthError(405, 'method_not_allowed', `Request method '${ctx.method}' not supported`, { Allow: 'POST' }));
	}
	const basic = /^Basic\s+(\S+)\s*$/i.exec(ctx.headers['authorization'] ?? '');
	const client = basic ? Buffer.from(basic[1], 'base64').toString('utf8') : '';
	if (client !== PUBLIC_CLIENT) {
		return fail(oauthError(401, 'unauthorized', 'Full authentication is required to access this resource', { 'WWW-Authenticate': 'Basic realm="oauth2/client"' }));
	}
	const ct = (ctx.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	// A body that is not form-encoded is not read at all, so the grant type is "missing".
	const form = ct === 'application/x-www-form-urlencoded' ? new URLSearchParams(ctx.body) : new URLSearchParams();
	const grant = form.get('grant_type');
	if (!grant) return fail(oauthError(400, 'invalid_request', 'Missing grant type'));
	if (grant !== 'password') return fail(oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grant}`));
	// URLSearchParams decodes %XX (UTF-8) and '+' as space, exactly as a form decoder does.
	const username = form.get('username') ?? '';
	const password = form.get('password') ?? '';
	const cred = ctx.sim.state.credentials.find((c) => c.key === username && c.secret === password);
	if (!cred) return fail(oauthError(400, 'invalid_grant', 'Bad credentials'));
	const { token, expiresIn } = ctx.sim.tokens.issue(cred);
	return {
		ok: true,
		reply: {
			status: 200,
			body: { access_token: token, token_type: 'bearer', expires_in: expiresIn, scope: 'default' },
			headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
		},
	};
}
