import { shownWhen, sitePicker } from './fields';
import type { OperationSpec } from './types';



const siteUid = shownWhen(
	sitePicker('The site whose own device filters to list'),
	{ type: ['site'] },
);

export const filterOperations: OperationSpec[] = [
	{
		resource: 'filter',
		value: 'getMany',
		name: 'Get Many',
		action: 'Get many device filters',
		description:
			"List device filters with their numeric IDs (to use as Filter ID in Device > Get Many): Datto's default ones, the account's custom ones, or those of one site (given by the site's UID)",
		operationIds: ['getDefaultsFilters', 'getCustomFilters', 'getSiteDeviceFilters'],
		method: 'GET',
		path: '/v2/filter/default-filters',
		variants: [
			{ when: { type: 'default' }, path: '/v2/filter/default-filters', operationId: 'getDefaultsFilters' },
			{ when: { type: 'custom' }, path: '/v2/filter/custom-filters', operationId: 'getCustomFilters' },
			{ when: { type: 'site' }, path: '/v2/site/{siteUid}/filters', operationId: 'getSiteDeviceFilters' },
		],
		list: { key: 'filters' },
		notFound: 'the site',
		fields: [
			{
				in: 'none',
				property: {
					displayName: 'Type',
					name: 'type',
					type: 'options',
					noDataExpression: true,
					options: [
						{ name: 'Custom', value: 'custom', description: 'Filters created in the account (as seen with the administrator role)' },
						{ name: 'Default', value: 'default', description: "Datto RMM's built-in filters" },
						{ name: 'Site', value: 'site', description: 'The device filters of one site' },
					],
					default: 'default',
					description: 'Which device filters to list',
				},
			},
			siteUid,
		],
	},
];
