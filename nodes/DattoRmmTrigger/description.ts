import type { INodeProperties } from 'n8n-workflow';

import { isoDatesOption } from '../shared/descriptions/isoDatesOption';
import { locator } from '../shared/descriptions/locator';
import { PRIORITIES } from '../shared/alertPriorities';

export type TriggerEvent = 'alertOpened' | 'alertResolved' | 'deviceAdded' | 'deviceOffline' | 'deviceOnline' | 'activity';

export const ALERT_EVENTS: TriggerEvent[] = ['alertOpened', 'alertResolved'];
export const DEVICE_EVENTS: TriggerEvent[] = ['deviceAdded', 'deviceOffline', 'deviceOnline'];

const site = locator({
	name: 'siteUid',
	displayName: 'Site',
	searchListMethod: 'searchSites',
	entity: 'site',
	description: 'The site to watch',
});
site.displayOptions = { show: { event: [...ALERT_EVENTS, ...DEVICE_EVENTS], scope: ['site'] } };

const device = locator({
	name: 'deviceUid',
	displayName: 'Device',
	searchListMethod: 'searchDevices',
	entity: 'device',
	description: 'The device whose alerts to watch',
});
device.displayOptions = { show: { event: ALERT_EVENTS, scope: ['device'] } };

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		default: 'alertOpened',
		options: [
			{
				name: 'Activity Log Entry',
				value: 'activity',
				description: 'Someone or something acted in the account: a job ran, a device was moved or noted, or a user logged in',
			},
			{ name: 'Alert Opened', value: 'alertOpened', description: 'A monitor raised a new alert' },
			{ name: 'Alert Resolved', value: 'alertResolved', description: 'An alert was resolved, by a technician, the API or auto-resolution' },
			{ name: 'Device Added', value: 'deviceAdded', description: 'A new device appeared in the account (its agent was installed)' },
			{ name: 'Device Came Online', value: 'deviceOnline', description: 'A device that was offline at the last poll is online' },
			{ name: 'Device Went Offline', value: 'deviceOffline', description: 'A device that was online at the last poll is offline' },
		],
		description:
			'What to watch for. The first poll after activation only notes where things stand: only what happens after it fires.',
	},
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		noDataExpression: true,
		default: 'account',
		displayOptions: { show: { event: ALERT_EVENTS } },
		options: [
			{ name: 'Account', value: 'account', description: 'Alerts of every device in the account' },
			{ name: 'Device', value: 'device', description: 'Alerts of one device' },
			{ name: 'Site', value: 'site', description: 'Alerts of the devices of one site' },
		],
		description: 'Whose alerts to watch',
	},
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		noDataExpression: true,
		default: 'account',
		displayOptions: { show: { event: DEVICE_EVENTS } },
		options: [
			{ name: 'Account', value: 'account', description: 'Every device in the account' },
			{ name: 'Site', value: 'site', description: 'The devices of one site' },
		],
		description: 'Which devices to watch',
	},
	site,
	device,
	{
		displayName: 'Priorities',
		name: 'priorities',
		type: 'multiOptions',
		default: [],
		displayOptions: { show: { event: ALERT_EVENTS } },
		options: PRIORITIES.map((p) => ({ name: p, value: p })),
		description: 'Only alerts of these priorities. None selected: every priority.',
	},
	{
		displayName: 'Muted',
		name: 'muted',
		type: 'options',
		default: 'any',
		displayOptions: { show: { event: ALERT_EVENTS } },
		options: [
			{ name: 'Any', value: 'any', description: 'Muted and unmuted alerts alike' },
			{ name: 'Only Muted', value: 'true', description: 'Only alerts that were muted' },
			{ name: 'Only Unmuted', value: 'false', description: 'Only alerts that were not muted' },
		],
		description: 'Whether to filter the alerts by their muted flag (Datto filters them, so this costs nothing)',
	},
	{
		displayName: 'Add Alert Message',
		name: 'alertMessage',
		type: 'boolean',
		default: true,
		displayOptions: { show: { event: ALERT_EVENTS } },
		description:
			'Whether to add an alertMessage field: a readable line built from the alert\'s context, e.g. "PC-0042: Antivirus Windows Defender is not running", ready for a ticket title or a chat message',
	},
	{
		displayName: 'Entities',
		name: 'entities',
		type: 'multiOptions',
		default: [],
		displayOptions: { show: { event: ['activity'] } },
		options: [
			{ name: 'Device', value: 'device', description: 'Things done on or to devices (jobs, notes, remote sessions...)' },
			{ name: 'User', value: 'user', description: 'Things users did in the account (logins, API keys...)' },
		],
		description: 'Only entries about devices or about users. None selected: both.',
	},
	{
		displayName: 'Categories',
		name: 'categories',
		type: 'string',
		default: '',
		placeholder: 'e.g. job,device',
		displayOptions: { show: { event: ['activity'] } },
		description: 'Only entries of these categories, separated by commas (e.g. job, device, remote, user). Empty: every category.',
	},
	{
		displayName: 'Actions',
		name: 'actions',
		type: 'string',
		default: '',
		placeholder: 'e.g. deployment,note',
		displayOptions: { show: { event: ['activity'] } },
		description: 'Only entries with one of these actions, separated by commas (e.g. deployment, create, note, login). Empty: every action.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			isoDatesOption,
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 2,
				description:
					'How often to retry a request after a rate limit (429), a server error (5xx) or a network failure. If a poll still fails, nothing is lost: the next poll picks up where the last good one ended.',
			},
			{
				displayName: 'Parse Details',
				name: 'parseDetails',
				type: 'boolean',
				default: true,
				displayOptions: { show: { '/event': ['activity'] } },
				description: "Whether to turn each entry's details (a JSON string in Datto's answer) into an object",
			},
		],
	},
];
