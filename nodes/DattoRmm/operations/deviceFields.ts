/** The device operations' fields: the device and site pickers, the Get Many scope and filters, the MAC address. */
import type { INodeProperties } from 'n8n-workflow';

import { devicePicker, macAddressField, shownWhen, sitePicker, toPositiveId } from './fields';
import type { Converter, FieldSpec } from './types';

/** An optional filter ID of a collection: left at 0 or empty means "no filter". */
const toOptionalFilterId: Converter = (value, label) => {
	if (value === 0 || value === '0' || value === '' || value === undefined || value === null) return undefined;
	return Number(toPositiveId(value, label));
};

export const deviceUid = devicePicker();

export const siteUid = sitePicker();

/** The site of Get Many, shown only when the scope is a site. */
export const scopedSiteUid = shownWhen(siteUid, { scope: ['site'] });

export const targetSiteUid = sitePicker('The site to move the device to', 'Target Site');

const filterIdOption: INodeProperties = {
	displayName: 'Filter ID',
	name: 'filterId',
	type: 'number',
	default: 0,
	description:
		'Only devices matching this device filter: its numeric ID, as device filter lists give it (0: no filter). When set, the filter alone decides which devices are returned.',
};

export const scope: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account', description: 'Devices of every site in the account' },
			{ name: 'Site', value: 'site', description: 'Devices of one site' },
		],
		default: 'account',
		description: 'Whether to list the devices of the whole account or of one site',
	},
};

export const accountFilters: FieldSpec = {
	in: 'query',
	optionConverters: { filterId: toOptionalFilterId },
	property: {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { scope: ['account'] } },
		options: [
			{
				displayName: 'Device Type',
				name: 'deviceType',
				type: 'string',
				default: '',
				placeholder: 'e.g. Laptop',
				description: 'Only devices of this type: the category shown in Datto RMM, e.g. Desktop, Laptop, Server (empty: any type)',
			},
			filterIdOption,
			{
				displayName: 'Hostname',
				name: 'hostname',
				type: 'string',
				default: '',
				placeholder: 'e.g. DESKTOP-',
				description: 'Only devices whose hostname contains this text, e.g. DESKTOP- or ACME (empty: any hostname)',
			},
			{
				displayName: 'Operating System',
				name: 'operatingSystem',
				type: 'string',
				default: '',
				placeholder: 'e.g. Windows 11',
				description: 'Only devices whose operating system contains this text, e.g. Windows 11 or Server 2019 (empty: any)',
			},
			{
				displayName: 'Site Name',
				name: 'siteName',
				type: 'string',
				default: '',
				description: 'Only devices of sites whose name contains this text, e.g. Acme (empty: every site)',
			},
		],
	},
};

export const siteFilters: FieldSpec = {
	in: 'query',
	optionConverters: { filterId: toOptionalFilterId },
	property: {
		displayName: 'Filters',
		name: 'siteFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { scope: ['site'] } },
		options: [filterIdOption],
	},
};

export const macAddress = macAddressField;
