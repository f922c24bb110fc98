import { InputError, requiredText, shownWhen, sitePicker, toPositiveId } from './fields';
import type { Converter, FieldSpec, OperationSpec } from './types';

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
	sitePicker('The site whose variables these are, picked from the list (search by name) or given by its UID'),
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
		description: 'The numeric ID of the variable (see Variable > Get Many)',
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

function variants(account: { path: string; operationId: string }, site: { path: string; operationId: string }) {
	return [
		{ when: { scope: 'account' }, ...account },
		{ when: { scope: 'site' }, ...site },
	];
}

export const variableOperations: OperationSpec[] = [
	{
		resource: 'variable',
		value: 'getMany',
		name: 'Get Many',
		action: 'Get many variables',
		description: 'List the variables of the account or of one site, with their IDs; masked values are hidden',
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
		description: 'Create an account or site variable that components can read; a masked value is never shown again',
		operationIds: ['createAccountVariable', 'createSiteVariable'],
		method: 'PUT',
		path: '/v2/account/variable',
		variants: variants(
			{ path: '/v2/account/variable', operationId: 'createAccountVariable' },
			{ path: '/v2/site/{siteUid}/variable', operationId: 'createSiteVariable' },
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
		description: 'Change the name and value of an account or site variable, found by its ID',
		operationIds: ['updateAccountVariable', 'updateSiteVariable'],
		method: 'POST',
		path: '/v2/account/variable/{variableId}',
		variants: variants(
			{ path: '/v2/account/variable/{variableId}', operationId: 'updateAccountVariable' },
			{ path: '/v2/site/{siteUid}/variable/{variableId}', operationId: 'updateSiteVariable' },
		),
		safety: 'idempotent',
		notFound: 'the site or variable',
		fields: [scope, siteUid, variableId, name, value],
	},
	{
		resource: 'variable',
		value: 'delete',
		name: 'Delete',
		action: 'Delete a variable',
		description: 'Delete an account or site variable, found by its ID',
		operationIds: ['deleteAccountVariable', 'deleteSiteVariable'],
		method: 'DELETE',
		path: '/v2/account/variable/{variableId}',
		variants: variants(
			{ path: '/v2/account/variable/{variableId}', operationId: 'deleteAccountVariable' },
			{ path: '/v2/site/{siteUid}/variable/{variableId}', operationId: 'deleteSiteVariable' },
		),
		safety: 'idempotent',
		notFound: 'the site or variable',
		fields: [scope, siteUid, variableId],
	},
];
