import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { dattoRequest, type RequestOptions } from '../../shared/transport/request';
import type { DattoContext } from '../../shared/transport/requestTypes';
import { requiredText, sitePicker } from './fields';
import { InputError } from './validate';
import { simplifySite } from '../simplify';
import type { BuiltRequest, Converter, FieldSpec, OperationSpec } from './types';

const siteUid = sitePicker();

/** A TCP port, 1..65535. */
const toPort: Converter = (value, label) => {
	const port = Number(value);
	if (value === '' || value === null || value === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
		throw new InputError(label, `${label} must be a whole number from 1 to 65535, not "${String(value ?? '')}"`);
	}
	return port;
};

/** Optional text, kept as typed (passwords may have spaces), or left out when empty. */
const optionalText: Converter = (value) => {
	const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
	return text === '' ? undefined : text;
};

const PROXY_TYPES = [
	{ name: 'HTTP', value: 'http' },
	{ name: 'SOCKS4', value: 'socks4' },
	{ name: 'SOCKS5', value: 'socks5' },
];

const toProxyType: Converter = (value, label) => {
	const type = String(value ?? '').trim().toLowerCase();
	if (!PROXY_TYPES.some((t) => t.value === type)) {
		throw new InputError(label, `${label} must be http, socks4 or socks5, not "${String(value ?? '')}"`);
	}
	return type;
};

const proxyDescriptions = {
	host: 'Host name or IP address of the proxy server the site\'s agents use',
	port: 'TCP port of the proxy server',
	type: 'Protocol of the proxy server',
	username: 'User name for the proxy, when it needs authentication',
	password: 'Password for the proxy, when it needs authentication',
};

/** The proxy of Create's Additional Fields: a ProxySettings object, host required. */
const toProxySettings: Converter = (value) => {
	const settings = ((value ?? {}) as { settings?: IDataObject }).settings;
	if (!settings || Object.keys(settings).length === 0) return undefined;
	const host = requiredText(settings.host, 'Proxy Host') as string;
	const proxy: IDataObject = {
		host,
		port: toPort(settings.port, 'Proxy Port') as number,
		type: toProxyType(settings.type ?? 'http', 'Proxy Type') as string,
	};
	const username = optionalText(settings.username, 'Proxy Username');
	const password = optionalText(settings.password, 'Proxy Password');
	if (username !== undefined) proxy.username = username as string;
	if (password !== undefined) proxy.password = password as string;
	return proxy;
};

const descriptionOption: INodeProperties = {
	displayName: 'Description',
	name: 'description',
	type: 'string',
	default: '',
	description: 'Short description of the site',
};

const notesOption: INodeProperties = {
	displayName: 'Notes',
	name: 'notes',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	description: 'Free-text notes about the site, for technicians',
};

const onDemandOption: INodeProperties = {
	displayName: 'On Demand',
	name: 'onDemand',
	type: 'boolean',
	default: false,
	description: 'Whether the site is an On Demand site (devices are supported ad hoc and not monitored continuously)',
};

const splashtopOption: INodeProperties = {
	displayName: 'Splashtop Auto Install',
	name: 'splashtopAutoInstall',
	type: 'boolean',
	default: false,
	description: 'Whether Splashtop remote control is installed automatically on the site\'s devices',
};

const siteName: FieldSpec = {
	in: 'body',
	convert: requiredText,
	property: {
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Acme Dental Group',
		description: 'Name of the new site, usually the customer\'s name',
	},
};

/** Update: only the fields given change; Datto needs the name, so the current one is read when not given. */
async function updateSite(
	ctx: DattoContext,
	itemIndex: number,
	request: BuiltRequest,
	options: RequestOptions,
): Promise<IDataObject[]> {
	const body: IDataObject = { ...request.body };
	if (Object.keys(body).length === 0) {
		throw new InputError('Update Fields', 'Give at least one field to update: add one under Update Fields');
	}
	if (body.name === '') throw new InputError('Name', 'Name cannot be cleared: a site needs a name');
	const notFoundHint = `the site "${request.pathValues.siteUid}"`;
	if (body.name === undefined) {
		const current = await dattoRequest<IDataObject>(ctx, { method: 'GET', path: request.path, notFoundHint }, options);
		body.name = current?.name;
	}
	const answer = await dattoRequest<unknown>(
		ctx,
		{ method: 'POST', path: request.path, body, safety: 'idempotent', notFoundHint },
		options,
	);
	if (answer && typeof answer === 'object' && !Array.isArray(answer)) return [answer as IDataObject];
	return [{ success: true, siteUid: request.pathValues.siteUid, ...body }];
}

export const siteOperations: OperationSpec[] = [
	{
		resource: 'site',
		value: 'getMany',
		simplify: simplifySite,
		name: 'Get Many',
		action: 'Get many sites',
		description:
			'List the sites (usually one per customer) of the account, optionally only those whose name contains a text. Each site comes with its UID, the 36-character text the other site, device and alert operations take, and its numeric ID (used in activity-log filters).',
		operationIds: ['getSites'],
		method: 'GET',
		path: '/v2/account/sites',
		list: { key: 'sites' },
		fields: [
			{
				in: 'query',
				property: {
					displayName: 'Filters',
					name: 'filters',
					type: 'collection',
					placeholder: 'Add Filter',
					default: {},
					options: [
						{
							displayName: 'Site Name',
							name: 'siteName',
							type: 'string',
							default: '',
							placeholder: 'e.g. Acme',
							description: 'Only sites whose name contains this text, e.g. Acme (empty: every site)',
						},
					],
				},
			},
		],
	},
	{
		resource: 'site',
		value: 'create',
		name: 'Create',
		action: 'Create a site',
		description: 'Create a new site in the account with the given name, optionally with a description, notes and proxy settings; returns the new site with its UID',
		operationIds: ['create'],
		method: 'PUT',
		path: '/v2/site',
		safety: 'create',
		fields: [
			siteName,
			{
				in: 'body',
				optionConverters: { proxySettings: toProxySettings },
				property: {
					displayName: 'Additional Fields',
					name: 'additionalFields',
					type: 'collection',
					placeholder: 'Add Field',
					default: {},
					options: [
						descriptionOption,
						notesOption,
						onDemandOption,
						{
							displayName: 'Proxy Settings',
							name: 'proxySettings',
							type: 'fixedCollection',
							placeholder: 'Add Proxy',
							default: {},
							description: 'Proxy server the site\'s agents use to reach Datto RMM',
							options: [
								{
									displayName: 'Proxy',
									name: 'settings',
									values: [
										{
											displayName: 'Host',
											name: 'host',
											type: 'string',
											default: '',
											placeholder: 'e.g. proxy.acme.local',
											description: proxyDescriptions.host,
										},
										{
											displayName: 'Password',
											name: 'password',
											type: 'string',
											typeOptions: { password: true },
											default: '',
											description: proxyDescriptions.password,
										},
										{
											displayName: 'Port',
											name: 'port',
											type: 'number',
											typeOptions: { minValue: 1, maxValue: 65535 },
											default: 8080,
											description: proxyDescriptions.port,
										},
										{
											displayName: 'Type',
											name: 'type',
											type: 'options',
											options: PROXY_TYPES,
											default: 'http',
											description: proxyDescriptions.type,
										},
										{
											displayName: 'Username',
											name: 'username',
											type: 'string',
											default: '',
											description: proxyDescriptions.username,
										},
									],
								},
							],
						},
						splashtopOption,
					],
				},
			},
		],
	},
	{
		resource: 'site',
		value: 'get',
		simplify: simplifySite,
		name: 'Get',
		action: 'Get a site',
		description: 'Get one site by its UID (a 36-character text, not its numeric ID): name, description, device counts (online, offline) and proxy settings',
		operationIds: ['getSite'],
		method: 'GET',
		path: '/v2/site/{siteUid}',
		notFound: 'the site',
		fields: [siteUid],
	},
	{
		resource: 'site',
		value: 'update',
		name: 'Update',
		action: 'Update a site',
		description:
			"Change a site's name, description, notes, On Demand or Splashtop setting, the site given by its UID; fields not given keep their values",
		operationIds: ['update', 'getSite'],
		method: 'POST',
		path: '/v2/site/{siteUid}',
		safety: 'idempotent',
		notFound: 'the site',
		run: updateSite,
		fields: [
			siteUid,
			{
				in: 'body',
				// An Update Field added but left empty clears that value (e.g. the notes).
				keepEmpty: true,
				property: {
					displayName: 'Update Fields',
					name: 'updateFields',
					type: 'collection',
					placeholder: 'Add Field',
					default: {},
					options: [
						descriptionOption,
						{
							displayName: 'Name',
							name: 'name',
							type: 'string',
							default: '',
							description: 'New name of the site',
						},
						notesOption,
						onDemandOption,
						splashtopOption,
					],
				},
			},
		],
	},
	{
		resource: 'site',
		value: 'getSettings',
		name: 'Get Settings',
		action: 'Get the settings of a site',
		description: 'Get the settings of a site, given by its UID: general settings, proxy settings and mail recipients',
		operationIds: ['getSiteSettings'],
		method: 'GET',
		path: '/v2/site/{siteUid}/settings',
		notFound: 'the site',
		fields: [siteUid],
	},
	{
		resource: 'site',
		value: 'updateProxy',
		name: 'Update Proxy',
		action: 'Set the proxy settings of a site',
		description:
			"Create or replace the proxy server settings (host, port, type, optional user name and password) that the agents of a site, given by its UID, use to reach Datto RMM",
		operationIds: ['updateProxy'],
		method: 'POST',
		path: '/v2/site/{siteUid}/settings/proxy',
		safety: 'idempotent',
		// Datto's name for a site's proxy budget, despite the "device".
		writeBudget: 'device-proxy-set',
		notFound: 'the site',
		fields: [
			siteUid,
			{
				in: 'body',
				convert: requiredText,
				property: {
					displayName: 'Host',
					name: 'host',
					type: 'string',
					required: true,
					default: '',
					placeholder: 'e.g. proxy.acme.local',
					description: proxyDescriptions.host,
				},
			},
			{
				in: 'body',
				convert: toPort,
				property: {
					displayName: 'Port',
					name: 'port',
					type: 'number',
					required: true,
					typeOptions: { minValue: 1, maxValue: 65535 },
					default: 8080,
					description: proxyDescriptions.port,
				},
			},
			{
				in: 'body',
				convert: toProxyType,
				property: {
					displayName: 'Type',
					name: 'type',
					type: 'options',
					options: PROXY_TYPES,
					default: 'http',
					description: proxyDescriptions.type,
				},
			},
			{
				in: 'body',
				convert: optionalText,
				property: {
					displayName: 'Username',
					name: 'username',
					type: 'string',
					default: '',
					description: proxyDescriptions.username,
				},
			},
			{
				in: 'body',
				convert: optionalText,
				property: {
					displayName: 'Password',
					name: 'password',
					type: 'string',
					typeOptions: { password: true },
					default: '',
					description: proxyDescriptions.password,
				},
			},
		],
	},
	{
		resource: 'site',
		value: 'deleteProxy',
		name: 'Delete Proxy',
		action: 'Delete the proxy settings of a site',
		description: 'Remove the proxy server settings of a site, given by its UID, so its agents connect directly',
		operationIds: ['deleteProxy'],
		method: 'DELETE',
		path: '/v2/site/{siteUid}/settings/proxy',
		safety: 'idempotent',
		writeBudget: 'device-proxy-set',
		notFound: 'the site',
		fields: [siteUid],
	},
];
