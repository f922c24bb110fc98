import { formsOf } from './redact';
import { CREDENTIAL_TYPE, type DattoContext } from './requestTypes';

const secretForms = new WeakMap<object, Promise<string[]>>();

/**
 * What must never appear in anything we produce, in every form: the API secret and the stored
 * token. Read once per execution context; `fresh` reads again (n8n stores a renewed token with
 * the credential), as every failure does before its message is built.
 */
export function secretFormsOf(ctx: DattoContext, fresh = false): Promise<string[]> {
	let forms = fresh ? undefined : secretForms.get(ctx);
	if (!forms) {
		forms = ctx.getCredentials(CREDENTIAL_TYPE).then(
			(credentials) => formsOf([String(credentials.apiSecret ?? ''), String(credentials.accessToken ?? '')]),
			() => [],
		);
		secretForms.set(ctx, forms);
	}
	return forms;
}
