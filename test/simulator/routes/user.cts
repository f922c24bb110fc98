/**
 * POST /v2/user/resetApiKeys: new key and secret for the calling user only (the credential whose
 * token made the call). The old pair stops working for new token exchanges; tokens already issued
 * stay valid until they expire. `sim.apiKey`/`sim.apiSecret` follow the demo user's new pair.
 */
import { randomBytes } from 'node:crypto';
import { springError } from '../errors.cjs';
import type { Route } from '../router.cjs';

export const userRoutes: Route[] = [
	{
		method: 'POST',
		pattern: '/v2/user/resetApiKeys',
		operationId: 'resetApiKeys',
		handler: (ctx) => {
			const cred = ctx.credential;
			if (!cred) return springError(401, 'Unauthorized', ctx.path);
			cred.key = randomBytes(10).toString('hex').toUpperCase();
			cred.secret = randomBytes(16).toString('hex').toUpperCase();
			return { status: 200, body: { apiAccessKey: cred.key, apiSecretKey: cred.secret, userName: cred.userName } };
		},
	},
];
