import type { IDataObject } from 'n8n-workflow';

import { dattoRequest, type RequestOptions } from '../../shared/transport/request';
import type { DattoContext } from '../../shared/transport/requestTypes';
import { requiredText, shownWhen, sitePicker, toPositiveId } from './fields';
import { InputError } from './validate';
import type { BuiltRequest, Converter, FieldSpec, OperationSpec, PathVariant } from './types';

/** A variable's value, kept as typed (spaces may matter to a script), but not empty. */
const requiredValue: Converter = (input, label) => {
	const text = typeof input === 'string' ? input : input === undefined || input === null ? '' : String(input);
	if (text === '') throw new InputError(label, `${label} is empty: enter the variable's value`);
	return text;
};

const scope: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account', description: 'A variable of the whole account, seen by every site' },
			{ name: 'Site', value: 'site', description: 'A variable of one site' },
		],
		default: 'account',
		description: 'Whether the variable belongs to the account or to one site',
	},
};

const siteUid = shownWhen(
	sitePicker('The site whose variables these are'),
	{ scope: ['site'] },
);

const variableId: FieldSpec = {
	in: 'path',
	convert: toPositiveId,
	property: {
		displayName: 'Variable ID',
		name: 'variableId',
		type: 'number',
		required: true,
		default: 0,
		placeholder: 'e.g. 42',
		description: 'The numeric ID of the variable: a whole number, the ID of a variable in a variable list',
	},
};

const name: FieldSpec = {
	in: 'body',
	convert: requiredText,
	property: {
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. BackupServer',
		description: 'Name of the variable, as components read it',
	},
};

const value: FieldSpec = {
	in: 'body',
	convert: requiredValue,
	property: {
		displayName: 'Value',
		name: 'value',
		type: 'string',
		required: true,
		default: '',
		description: 'Value of the variable',
	},
};

/** Update: an empty field keeps the variable's current name or value, so it is not sent. */
const newName: FieldSpec = {
	in: 'body',
	convert: (input) => (typeof input === 'string' && input.trim() ? input.trim() : undefined),
	property: {
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. BackupServer',
		description: 'New name of the variable; leave empty to keep its name',
	},
};

const newValue: FieldSpec = {
	in: 'body',
	convert: (input) => (input === undefined || input === null || input === '' ? undefined : String(input)),
	property: {
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		description: 'New value of the variable, kept as typed; leave empty to keep its value (e.g. to rename it only)',
	},
};

/** Changes only what is given: a new name, a new value, or both. */
async function updateVariable(
	ctx: DattoContext,
	_itemIndex: number,
	request: BuiltRequest,
	options: RequestOptions,
): Promise<IDataObject[]> {
	const body: IDataObject = { ...request.body };
	if (body.name === undefined && body.value === undefined) {
		throw new InputError(
			'Name or Value',
			'Name or Value is needed: both are empty. Give a new name, a new value, or both (an empty one keeps its current value)',
		);
	}
	const ids = Object.values(request.pathValues).map((v) => `"${v}"`).join(' / ');
	const answer = await dattoRequest<unknown>(
		ctx,
		{ method: 'POST', path: request.path, body, safety: 'idempotent', notFoundHint: `the site or variable ${ids}` },
		options,
	);
	if (answer && typeof answer === 'object' && !Array.isArray(answer)) return [answer as IDataObject];
	return [{ success: true, ...request.pathValues }];
}

/**
 * The account and site endpoints of an operation. Each writes against its own Datto budget
 * (`account-variable-set` or `site-variable-set`), so the budget is chosen with the endpoint.
 */
function variants(
	account: { path: string; operationId: string },
	site: { path: string; operationId: string },
	write = false,
): PathVariant[] {
	return [
		{ when: { scope: 'account' }, ...account, ...(write ? { writeBudget: 'account-variable-set' } : {}) },
		{ when: { scope: 'site' }, ...site, ...(write ? { writeBudget: 'site-variable-set' } : {}) },
	];
}

export const variableOperations: OperationSpec[] = [
	{
		resource: 'variable',
		value: 'getMany',
		name: 'Get Many',
		action: 'Get many variables',
		description: "List the variables of the account or of one site (given by the site's UID), with their numeric IDs, names and values; masked values are hidden",
		operationIds: ['getAccountVariables', 'getSiteVariables'],
		method: 'GET',
		path: '/v2/account/variables',
		variants: variants(
			{ path: '/v2/account/variables', operationId: 'getAccountVariables' },
			{ path: '/v2/site/{siteUid}/variables', operationId: 'getSiteVariables' },
		),
		list: { key: 'variables' },
		notFound: 'the site',
		fields: [scope, siteUid],
	},
	{
		resource: 'variable',
		value: 'create',
		name: 'Create',
		action: 'Create a variable',
		description: 'Create an account or site variable (name and value) that components can read; a masked value is never shown again',
		operationIds: ['createAccountVariable', 'createSiteVariable'],
		method: 'PUT',
		path: '/v2/account/variable',
		variants: variants(
			{ path: '/v2/account/variable', operationId: 'createAccountVariable' },
			{ path: '/v2/site/{siteUid}/variable', operationId: 'createSiteVariable' },
			true,
		),
		safety: 'create',
		notFound: 'the site',
		fields: [
			scope,
			siteUid,
			name,
			value,
			{
				in: 'body',
				property: {
					displayName: 'Masked',
					name: 'masked',
					type: 'boolean',
					default: false,
					description: 'Whether to hide the value in Datto RMM and in API answers (for passwords and keys)',
				},
			},
		],
	},
	{
		resource: 'variable',
		value: 'update',
		name: 'Update',
		action: 'Update a variable',
		description: 'Change the name, the value, or both of an account or site variable, found by its numeric ID; what is left empty keeps its current value',
		operationIds: ['updateAccountVariable', 'updateSiteVariable'],
		method: 'POST',
		path: '/v2/account/variable/{variableId}',
		variants: variants(
			{ path: '/v2/account/variable/{variableId}', operationId: 'updateAccountVariable' },
			{ path: '/v2/site/{siteUid}/variable/{variableId}', operationId: 'updateSiteVariable' },
			true,
		),
		safety: 'idempotent',
		notFound: 'the site or variable',
		run: updateVariable,
		// Required fields first: the Variable ID before the optional new name and value.
		fields: [scope, siteUid, variableId, newName, newValue],
	},
	{
		resource: 'variable',
		value: 'delete',
		name: 'Delete',
		action: 'Delete a variable',
		description: 'Delete an account or site variable, found by its numeric ID; components that read it no longer get a value',
		operationIds: ['deleteAccountVariable', 'deleteSiteVariable'],
		method: 'DELETE',
		path: '/v2/account/variable/{variableId}',
		variants: variants(
			{ path: '/v2/account/variable/{variableId}', operationId: 'deleteAccountVariable' },
			{ path: '/v2/site/{siteUid}/variable/{variableId}', operationId: 'deleteSiteVariable' },
			true,
		),
		safety: 'idempotent',
		notFound: 'the site or variable',
		fields: [scope, siteUid, variableId],
	},
];
