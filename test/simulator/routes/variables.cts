/**
 * Account and site variables. Masked values are never shown (value "*****"). Creating a variable
 * whose name already exists in the same scope answers 409 with an empty body (one of the live
 * API's body-less errors).
 */
import { emptyReply, springError, validationError } from '../errors.cjs';
import { type Ctx, type Reply, parseJsonBody } from '../http.cjs';
import type { VariableRec } from '../model.cjs';
import { isReply, pageOf } from '../paging.cjs';
import type { Route } from '../router.cjs';
import { renderVariable } from '../views.cjs';
import { findSite } from './common.cjs';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The body of a create (name and value required) or an update (name, value, both or neither: the
 * spec requires neither, and what is left out keeps its value).
 */
function body(ctx: Ctx, creating: boolean): { name?: string; value?: string; masked?: boolean } | Reply {
	const b = parseJsonBody(ctx);
	if (b === undefined || b instanceof Error || typeof b !== 'object' || b === null || Array.isArray(b)) {
		return validationError('INVALID_VARIABLE', 'Request body must be a JSON object with name and value', {});
	}
	const o = b as Record<string, unknown>;
	if ((creating || o.name !== undefined) && (typeof o.name !== 'string' || !NAME_RE.test(o.name))) {
		return validationError('INVALID_VARIABLE_NAME', `Invalid variable name '${String(o.name)}': letters, digits and '_' only, starting with a letter or '_'`, { field: 'name' });
	}
	if ((creating || o.value !== undefined) && typeof o.value !== 'string') return validationError('INVALID_VARIABLE_VALUE', "Field 'value' is required and must be a string", { field: 'value' });
	if (typeof o.value === 'string' && o.value.length > 1000) return validationError('INVALID_VARIABLE_VALUE', "Field 'value' must be at most 1000 characters", { field: 'value' });
	if (creating && o.masked !== undefined && typeof o.masked !== 'boolean') return validationError('INVALID_VARIABLE', "Field 'masked' must be a boolean", { field: 'masked' });
	return { name: o.name as string | undefined, value: o.value as string | undefined, masked: creating ? (o.masked as boolean | undefined) === true : undefined };
}

function variableId(ctx: Ctx): number | Reply {
	const raw = ctx.params.variableId;
	if (!/^\d+$/.test(raw)) return validationError('INVALID_PARAMETER', `Invalid value '${raw}' for parameter 'variableId': must be an integer`, { parameter: 'variableId' });
	return Number(raw);
}

function create(ctx: Ctx, list: VariableRec[]): Reply {
	const b = body(ctx, true);
	if (isReply(b)) return b;
	if (list.some((v) => v.name === b.name)) return emptyReply(409);
	const v: VariableRec = { id: ctx.sim.state.nextIds.variable++, name: b.name!, value: b.value!, masked: b.masked === true };
	list.push(v);
	return { status: 200, body: renderVariable(v) };
}

function update(ctx: Ctx, list: VariableRec[]): Reply {
	const id = variableId(ctx);
	if (isReply(id)) return id;
	const v = list.find((x) => x.id === id);
	if (!v) return springError(404, `Variable with id ${id} was not found`, ctx.path);
	const b = body(ctx, false);
	if (isReply(b)) return b;
	if (b.name !== undefined && list.some((x) => x !== v && x.name === b.name)) return emptyReply(409);
	if (b.name !== undefined) v.name = b.name;
	if (b.value !== undefined) v.value = b.value;
	return { status: 200 };
}

function remove(ctx: Ctx, list: VariableRec[]): Reply {
	const id = variableId(ctx);
	if (isReply(id)) return id;
	const i = list.findIndex((x) => x.id === id);
	if (i < 0) return springError(404, `Variable with id ${id} was not found`, ctx.path);
	list.splice(i, 1);
	return { status: 200 };
}

/** Run `fn` on a site's variable list (404 for an unknown site). */
function onSite(fn: (ctx: Ctx, list: VariableRec[]) => Reply): (ctx: Ctx) => Reply {
	return (ctx) => {
		const s = findSite(ctx);
		return isReply(s) ? s : fn(ctx, s.variables);
	};
}

export const variableRoutes: Route[] = [
	{
		method: 'GET',
		pattern: '/v2/account/variables',
		operationId: 'getAccountVariables',
		handler: (ctx) => pageOf(ctx, 'variables', ctx.sim.state.accountVariables, renderVariable),
	},
	{ method: 'PUT', pattern: '/v2/account/variable', operationId: 'createAccountVariable', handler: (ctx) => create(ctx, ctx.sim.state.accountVariables) },
	{ method: 'POST', pattern: '/v2/account/variable/{variableId}', operationId: 'updateAccountVariable', handler: (ctx) => update(ctx, ctx.sim.state.accountVariables) },
	{ method: 'DELETE', pattern: '/v2/account/variable/{variableId}', operationId: 'deleteAccountVariable', handler: (ctx) => remove(ctx, ctx.sim.state.accountVariables) },
	{
		method: 'GET',
		pattern: '/v2/site/{siteUid}/variables',
		operationId: 'getSiteVariables',
		handler: onSite((ctx, list) => pageOf(ctx, 'variables', list, renderVariable)),
	},
	{ method: 'PUT', pattern: '/v2/site/{siteUid}/variable', operationId: 'createSiteVariable', handler: onSite(create) },
	{ method: 'POST', pattern: '/v2/site/{siteUid}/variable/{variableId}', operationId: 'updateSiteVariable', handler: onSite(update) },
	{ method: 'DELETE', pattern: '/v2/site/{siteUid}/variable/{variableId}', operationId: 'deleteSiteVariable', handler: onSite(remove) },
];
