import type { OperationSpec } from './types';

export const deviceOperations: OperationSpec[] = [
	{
		resource: 'device',
		value: 'getMany',
		name: 'Get Many',
		action: 'Get many devices',
		description: 'List the devices of the whole account, optionally filtered by hostname, type, operating system, site or device filter',
		operationIds: ['getUserAccountDevices'],
		method: 'GET',
		path: '/v2/account/devices',
		list: { key: 'devices' },
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
							displayName: 'Device Type',
							name: 'deviceType',
							type: 'string',
							default: '',
							placeholder: 'e.g. Laptop',
							description: 'Only devices of this type (the category shown in Datto RMM, e.g. Desktop, Laptop, Server)',
						},
						{
							displayName: 'Filter ID',
							name: 'filterId',
							type: 'number',
							default: 0,
							description: 'Only devices matching this default or custom device filter (see Filter > Get Many)',
						},
						{
							displayName: 'Hostname',
							name: 'hostname',
							type: 'string',
							default: '',
							placeholder: 'e.g. DESKTOP-',
							description: 'Only devices whose hostname contains this text',
						},
						{
							displayName: 'Operating System',
							name: 'operatingSystem',
							type: 'string',
							default: '',
							placeholder: 'e.g. Windows 11',
							description: 'Only devices whose operating system contains this text',
						},
						{
							displayName: 'Site Name',
							name: 'siteName',
							type: 'string',
							default: '',
							description: 'Only devices of sites whose name contains this text',
						},
					],
				},
			},
		],
	},
];
