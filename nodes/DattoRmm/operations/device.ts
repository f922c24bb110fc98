import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getListItems } from '../../shared/transport/pagination';
import type { RequestOptions } from '../../shared/transport/request';
import type { DattoContext } from '../../shared/transport/requestTypes';
import {
	devicePicker,
	macAddressField,
	requiredText,
	shownWhen,
	sitePicker,
	toDayDate,
	toPositiveId,
} from './fields';
import { simplifyDevice } from '../simplify';
import { fetchToolList } from '../tool-answer';
import { isToolNode, listLimit } from './limits';
import { moveDeviceTool, setUdfsTool, setWarrantyTool } from './tool-writes';
import type { BuiltRequest, Converter, FieldSpec, Found, OperationSpec } from './types';
import { setUdfs, udfsField } from './udf';

/** An optional filter ID of a collection: left at 0 or empty means "no filter". */
const toOptionalFilterId: Converter = (value, label) => {
	if (value === 0 || value === '0' || value === '' || value === undefined || value === null) return undefined;
	return Number(toPositiveId(value, label));
};


const deviceUid = devicePicker();

const siteUid = sitePicker();

/** The site of Get Many, shown only when the scope is a site. */
const scopedSiteUid = shownWhen(siteUid, { scope: ['site'] });

const targetSiteUid = sitePicker('The site to move the device to', 'Target Site');

const filterIdOption: INodeProperties = {
	displayName: 'Filter ID',
	name: 'filterId',
	type: 'number',
	default: 0,
	description:
		'Only devices matching this device filter: its numeric ID, as device filter lists give it (0: no filter). When set, the filter alone decides which devices are returned.',
};

const scope: FieldSpec = {
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

const accountFilters: FieldSpec = {
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

const siteFilters: FieldSpec = {
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

const macAddress = macAddressField;

const MATCH_EXACT = 'exact';

/** How many devices whose hostname contains the text an exact Find by Hostname reads at most, as an AI tool. */
const TOOL_SCAN_MAX = 1000;

/**
 * Find by Hostname: the account list filtered by hostname (Datto: contains the text), then matched
 * here, case-insensitively. As an AI tool it never reads every page: Partial reads the limit (and
 * one more); Exact reads at most TOOL_SCAN_MAX candidates and says when there were more.
 */
async function findByHostname(ctx: DattoContext, itemIndex: number, request: BuiltRequest, options: RequestOptions): Promise<IDataObject[] | Found> {
	const exec = ctx as IExecuteFunctions;
	const wanted = String(request.qs.hostname).toLowerCase();
	const exact = exec.getNodeParameter('match', itemIndex, MATCH_EXACT) === MATCH_EXACT;
	// Datto's filter is SQL LIKE, where _ and % are wildcards: check every hostname here too.
	const matches = (device: IDataObject) => {
		const hostname = String(device.hostname ?? '').toLowerCase();
		return exact ? hostname === wanted : hostname.includes(wanted);
	};
	const list = { path: request.path, qs: request.qs, key: 'devices' };
	if (!isToolNode(exec)) return (await getListItems(ctx, list, options)).filter(matches);
	const found = await fetchToolList(ctx, { ...list, limit: exact ? TOOL_SCAN_MAX : listLimit(exec, itemIndex)! }, options);
	const items = found.items.filter(matches);
	if (exact) return { items, total: items.length, more: found.total !== undefined && found.total > found.items.length };
	return { items, total: /[_%]/.test(wanted) ? undefined : found.total };
}

export const deviceOperations: OperationSpec[] = [
	{
		resource: 'device',
		value: 'getMany',
		simplify: simplifyDevice,
		name: 'Get Many',
		action: 'Get many devices',
		description:
			"List the devices of the whole account or of one site (given by the site's UID). Account-wide they can be filtered by text the hostname, device type, operating system or site name contains, or by a device filter's numeric ID. Each device comes with its UID, the 36-character text the other device, alert, audit and job operations take.",
		operationIds: ['getUserAccountDevices', 'getSiteDevices'],
		method: 'GET',
		path: '/v2/account/devices',
		variants: [
			{ when: { scope: 'account' }, path: '/v2/account/devices', operationId: 'getUserAccountDevices' },
			{ when: { scope: 'site' }, path: '/v2/site/{siteUid}/devices', operationId: 'getSiteDevices' },
		],
		list: { key: 'devices' },
		notFound: 'the site or device filter',
		fields: [scope, scopedSiteUid, accountFilters, siteFilters],
	},
	{
		resource: 'device',
		value: 'get',
		simplify: simplifyDevice,
		name: 'Get',
		action: 'Get a device',
		description:
			'Get one device by its UID (a 36-character text, not its numeric ID): hostname, site, online status, last seen, operating system, UDFs, antivirus and patch status',
		operationIds: ['getByUid'],
		method: 'GET',
		path: '/v2/device/{deviceUid}',
		notFound: 'the device',
		fields: [deviceUid],
	},
	{
		resource: 'device',
		value: 'getById',
		simplify: simplifyDevice,
		name: 'Get by ID',
		action: 'Get a device by ID',
		description: 'Get one device by its numeric ID (a whole number, as in activity logs and some reports), not its UID',
		operationIds: ['getById'],
		method: 'GET',
		path: '/v2/device/id/{deviceId}',
		notFound: 'the device with ID',
		fields: [
			{
				in: 'path',
				convert: toPositiveId,
				property: {
					displayName: 'Device ID',
					name: 'deviceId',
					type: 'number',
					required: true,
					default: 0,
					placeholder: 'e.g. 123456',
					description: 'The numeric ID of the device: a whole number such as 123456 (the ID of a device, not its UID)',
				},
			},
		],
	},
	{
		resource: 'device',
		value: 'getByMacAddress',
		simplify: simplifyDevice,
		name: 'Get by MAC Address',
		action: 'Get devices by MAC address',
		description:
			'Get the devices that have a network adapter with this MAC address (12 hex digits, with or without separators), one item per device',
		operationIds: ['getByMacAddress'],
		method: 'GET',
		path: '/v2/device/macAddress/{macAddress}',
		several: true,
		notFound: 'a device with MAC address',
		fields: [macAddress],
	},
	{
		resource: 'device',
		value: 'getManyWithNetworkInterfaces',
		name: 'Get Many With Network Interfaces',
		action: 'Get many devices with network interfaces',
		description:
			"List the devices of one site (given by the site's UID) in short form, with their network adapters: IP addresses and MAC addresses",
		operationIds: ['getSiteDevicesWithNetworkInterface'],
		method: 'GET',
		path: '/v2/site/{siteUid}/devices/network-interface',
		list: { key: 'devices' },
		notFound: 'the site',
		fields: [siteUid],
	},
	{
		resource: 'device',
		value: 'findByHostname',
		simplify: simplifyDevice,
		name: 'Find by Hostname',
		action: 'Find devices by hostname',
		description:
			'Find the devices whose hostname equals the given text (or, with Match set to Partial, contains it), ignoring case; returns nothing when none match',
		operationIds: ['getUserAccountDevices'],
		method: 'GET',
		path: '/v2/account/devices',
		run: findByHostname,
		several: true,
		fields: [
			{
				in: 'query',
				convert: requiredText,
				property: {
					displayName: 'Hostname',
					name: 'hostname',
					type: 'string',
					required: true,
					default: '',
					placeholder: 'e.g. ACME-DT001',
					description: 'The hostname to look for, e.g. ACME-DT001; case does not matter',
				},
			},
			{
				in: 'none',
				property: {
					displayName: 'Match',
					name: 'match',
					type: 'options',
					options: [
						{ name: 'Exact', value: MATCH_EXACT, description: 'The hostname equals the text' },
						{ name: 'Partial', value: 'partial', description: 'The hostname contains the text' },
					],
					default: MATCH_EXACT,
					description: 'Whether the hostname must equal the text or only contain it',
				},
			},
		],
	},
	{
		resource: 'device',
		value: 'move',
		name: 'Move to Site',
		action: 'Move a device to another site',
		description: "Move a device (given by its UID) to another site of the account (given by the site's UID)",
		operationIds: ['moveDevice'],
		method: 'PUT',
		path: '/v2/device/{deviceUid}/site/{siteUid}',
		safety: 'create',
		toolRun: moveDeviceTool,
		notFound: 'the device and the target site',
		fields: [deviceUid, targetSiteUid],
	},
	{
		resource: 'device',
		value: 'setUdfs',
		name: 'Set UDFs',
		action: 'Set user-defined fields of a device',
		description:
			'Set user-defined fields (UDF 1 to 300) of a device, given by its UID. Only the UDFs listed change; an empty value clears that UDF.',
		operationIds: ['setUdfFields'],
		method: 'POST',
		path: '/v2/device/{deviceUid}/udf',
		safety: 'idempotent',
		writeBudget: 'device-udf-set',
		notFound: 'the device',
		run: setUdfs,
		toolRun: setUdfsTool,
		fields: [deviceUid, udfsField],
	},
	{
		resource: 'device',
		value: 'setWarranty',
		name: 'Set Warranty',
		action: 'Set the warranty date of a device',
		description: 'Set the warranty expiry date of a device, given by its UID, to a day such as 2027-03-31 (only the day is kept)',
		operationIds: ['setWarrantyData'],
		method: 'POST',
		path: '/v2/device/{deviceUid}/warranty',
		safety: 'idempotent',
		toolRun: setWarrantyTool,
		notFound: 'the device',
		fields: [
			deviceUid,
			{
				in: 'body',
				convert: toDayDate,
				property: {
					displayName: 'Warranty Date',
					name: 'warrantyDate',
					type: 'dateTime',
					required: true,
					default: '',
					description: 'The day the warranty ends, as yyyy-mm-dd, e.g. 2027-03-31',
				},
			},
		],
	},
];
