/** The Site operations table: what each site operation sends and its fields. */
import { simplifySite } from '../simplify';
import { descriptionOption, notesOption, onDemandOption, siteName, siteUid, splashtopOption } from './siteFields';
import { proxyFields, proxySettingsOption, toProxySettings } from './siteProxy';
import { updateSite } from './siteUpdate';
import type { OperationSpec } from './types';

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
						proxySettingsOption,
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
			...proxyFields,
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
