import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { governorFor } from './governor/registry';
import type { RequestGovernor } from './governor/requestGovernor';
import { checkBaseUrl } from './platforms';
import { CREDENTIAL_TYPE, type DattoContext } from './requestTypes';

/** Requests in flight at once per account: enough to keep the budget busy at Datto's latencies. */
const MAX_CONCURRENCY = 24;

export interface Account {
	baseUrl: string;
	governor: RequestGovernor;
}

const accounts = new WeakMap<object, Promise<Account>>();

/** The credential's fixed request budget, or undefined to follow Datto's free room (the default). */
function fixedBudget(credentials: ICredentialDataDecryptedObject): number | undefined {
	if (credentials.budgetMode !== 'fixed') return undefined;
	const budget = Number(credentials.requestBudget);
	return Number.isFinite(budget) && budget >= 1 ? Math.floor(budget) : undefined;
}

/** The credential's server and request governor, resolved once per execution context. */
export function getAccount(ctx: DattoContext): Promise<Account> {
	let pending = accounts.get(ctx);
	if (!pending) {
		pending = ctx.getCredentials(CREDENTIAL_TYPE).then((credentials) => {
			const checked = checkBaseUrl(credentials);
			if (!('url' in checked)) {
				throw new NodeOperationError(ctx.getNode(), checked.message, {
					description: `Open the Datto RMM API credential and fix its "${checked.field}" field.`,
				});
			}
			const governor = governorFor(`${checked.url}|${String(credentials.apiKey ?? '')}`, {
				fixedBudget: fixedBudget(credentials),
				maxConcurrency: MAX_CONCURRENCY,
			});
			return { baseUrl: checked.url, governor };
		});
		accounts.set(ctx, pending);
	}
	return pending;
}

/** The credential's server root, e.g. for checking next-page links. */
export async function getBaseUrl(ctx: DattoContext): Promise<string> {
	return (await getAccount(ctx)).baseUrl;
}
