import { devicePicker, requiredText, shownWhen, sitePicker } from './fields';
import { simplifyAlert } from '../simplify';
import { resolveAlertTool } from './tool-writes';
import { InputError, shown } from './validate';
import type { Converter, FieldSpec, OperationSpec, PathVariant } from './types';

/** The alert's UID, as `alertUid` in alert lists and alert webhooks. */
const alertUid: FieldSpec = {
	in: 'path',
	convert: requiredText,
	property: {
		displayName: 'Alert UID',
		name: 'alertUid',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 3c7e1a52-9a8b-4f1d-8e2c-0b6a9d4f5e21',
		description: 'UID of the alert: a UUID, the alertUid of an alert in an alert list or an alert webhook',
	},
};

const status: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'Status',
		name: 'status',
		type: 'options',
		default: 'open',
		options: [
			{ name: 'Open', value: 'open', description: 'Alerts still open (not resolved)' },
			{ name: 'Resolved', value: 'resolved', description: 'Alerts already resolved, by a technician, the API or auto-resolution' },
		],
		description: 'Whether to list open or resolved alerts',
	},
};

const scope: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		default: 'account',
		options: [
			{ name: 'Account', value: 'account', description: 'Alerts of every device in the account' },
			{ name: 'Device', value: 'device', description: 'Alerts of one device' },
			{ name: 'Site', value: 'site', description: 'Alerts of the devices of one site' },
		],
		description: 'Whose alerts to list: the whole account, one site or one device',
	},
};

const site = shownWhen(sitePicker('The site whose alerts to list'), { scope: ['site'] });

const device = shownWhen(devicePicker('The device whose alerts to list'), { scope: ['device'] });

/** "any" sends nothing (Datto then returns muted and unmuted alerts alike). */
const toMuted: Converter = (value, label) => {
	if (value === 'true' || value === true) return true;
	if (value === 'false' || value === false) return false;
	if (value === 'any' || value === undefined || value === null || value === '') return undefined;
	throw new InputError(label, `${label} must be one of "any", "true", "false", not ${shown(value)}`);
};

const muted: FieldSpec = {
	in: 'query',
	convert: toMuted,
	property: {
		displayName: 'Muted',
		name: 'muted',
		type: 'options',
		default: 'any',
		options: [
			{ name: 'Any', value: 'any', description: 'Muted and unmuted alerts alike' },
			{ name: 'Only Muted', value: 'true', description: 'Only alerts that were muted' },
			{ name: 'Only Unmuted', value: 'false', description: 'Only alerts that were not muted' },
		],
		description: 'Whether to filter the alerts by their muted flag',
	},
};

const alertListVariants: PathVariant[] = [
	{ when: { scope: 'account', status: 'open' }, path: '/v2/account/alerts/open', operationId: 'getUserAccountOpenAlerts' },
	{ when: { scope: 'account', status: 'resolved' }, path: '/v2/account/alerts/resolved', operationId: 'getUserAccountClosedAlerts' },
	{ when: { scope: 'site', status: 'open' }, path: '/v2/site/{siteUid}/alerts/open', operationId: 'getSiteOpenAlerts' },
	{ when: { scope: 'site', status: 'resolved' }, path: '/v2/site/{siteUid}/alerts/resolved', operationId: 'getSiteResolvedAlerts' },
	{ when: { scope: 'device', status: 'open' }, path: '/v2/device/{deviceUid}/alerts/open', operationId: 'getDeviceOpenAlerts' },
	{ when: { scope: 'device', status: 'resolved' }, path: '/v2/device/{deviceUid}/alerts/resolved', operationId: 'getDeviceResolvedAlerts' },
];

/*
 * Mute and Unmute (POST /v2/alert/{alertUid}/mute and /unmute) are still in Datto's spec but no
 * longer work on the live API, so they are deliberately not offered.
 */
export const alertOperations: OperationSpec[] = [
	{
		resource: 'alert',
		value: 'get',
		simplify: simplifyAlert,
		name: 'Get',
		action: 'Get an alert',
		description:
			'Get one alert by its alertUid (a 36-character text): priority, diagnostics, the device and monitor that raised it, its context, whether it is resolved or muted',
		operationIds: ['getAlert'],
		method: 'GET',
		path: '/v2/alert/{alertUid}',
		notFound: 'the alert',
		fields: [alertUid],
	},
	{
		resource: 'alert',
		value: 'getMany',
		simplify: simplifyAlert,
		name: 'Get Many',
		action: 'Get many alerts',
		description:
			'List open or resolved alerts of the whole account, of one site or of one device (each given by its UID), optionally only muted or unmuted ones, with priority, diagnostics and the device that raised them. Datto offers no time filter here: compare alertUid or timestamp to find new alerts.',
		operationIds: alertListVariants.map((v) => v.operationId),
		method: 'GET',
		path: '/v2/account/alerts/open',
		variants: alertListVariants,
		list: { key: 'alerts' },
		notFound: 'the site or device',
		fields: [status, scope, site, device, muted],
	},
	{
		resource: 'alert',
		value: 'resolve',
		name: 'Resolve',
		action: 'Resolve an alert',
		description: 'Mark an alert, given by its alertUid, as resolved, which closes it in Datto RMM. Resolving an alert that is already resolved changes nothing.',
		operationIds: ['resolveAlert'],
		method: 'POST',
		path: '/v2/alert/{alertUid}/resolve',
		safety: 'idempotent',
		toolRun: resolveAlertTool,
		notFound: 'the alert',
		fields: [alertUid],
	},
];
