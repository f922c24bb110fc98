import type { INodeProperties } from 'n8n-workflow';

import { isoDatesOption } from '../shared/descriptions/isoDatesOption';
import { locator } from '../shared/descriptions/locator';
import { PRIORITIES } from '../shared/alertPriorities';
import { bodyText } from './bodies';
import { SECRET_HEADER, SECRET_QUERY } from './delivery';
import { DEFAULT_MAX_BODY_KB } from './settings';

const ENRICHED = ['alert', 'alertAndDevice'];

const site = locator({
	name: 'siteUid',
	displayName: 'Site',
	searchListMethod: 'searchSites',
	entity: 'site',
	description: 'Only alerts of devices in this site. Picking from the list needs the Datto RMM API credential (set Enrich); By UID works without it.',
});
site.displayOptions = { show: { scope: ['site'] } };

const device = locator({
	name: 'deviceUid',
	displayName: 'Device',
	searchListMethod: 'searchDevices',
	entity: 'device',
	description: 'Only alerts of this device. Picking from the list needs the Datto RMM API credential (set Enrich); By UID works without it.',
});
device.displayOptions = { show: { scope: ['device'] } };

function bodyNotice(name: string, label: string, event: 'opened' | 'resolved'): INodeProperties {
	return {
		displayName: `${label}: paste this into the Datto RMM webhook's body<br><code>${bodyText(event)}</code>`,
		name,
		type: 'notice',
		default: '',
	};
}

export const webhookTriggerProperties: INodeProperties[] = [
	{
		displayName: `Deliveries must present the secret of the Datto RMM Webhook Secret API credential: in an <code>${SECRET_HEADER}</code> header where the sender can set headers (a proxy in front of n8n, say), else at the end of the URL. In Datto RMM, which sends only a URL and a body, set the webhook URL to this node's Production URL followed by <code>?${SECRET_QUERY}=</code> and the secret, e.g. <code>https://n8n.example.com/webhook/…/datto-rmm?${SECRET_QUERY}=&lt;your secret&gt;</code>, in a monitor's Response (or Setup > Integrations > Global Webhooks for every monitor). Use HTTPS. Deliveries without the secret are refused (401) and start nothing.`,
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	bodyNotice('openedBodyNotice', 'Alert raised', 'opened'),
	bodyNotice('resolvedBodyNotice', 'Alert resolved (Datto\'s optional second webhook)', 'resolved'),
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		default: ['opened', 'resolved'],
		options: [
			{ name: 'Alert Raised', value: 'opened', description: 'Deliveries of the "alert raised" body ("event": "opened")' },
			{ name: 'Alert Resolved', value: 'resolved', description: 'Deliveries of the "alert resolved" body ("event": "resolved")' },
		],
		description: 'Which deliveries start the workflow; others are answered 200 and start nothing',
	},
	{
		displayName: 'Priorities',
		name: 'priorities',
		type: 'multiOptions',
		default: [],
		options: PRIORITIES.map((p) => ({ name: p, value: p })),
		description:
			'Only alerts of these priorities. None selected: every priority. Without Enrich the body must carry "priority": "[alert_priority]".',
	},
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		default: 'account',
		options: [
			{ name: 'Account', value: 'account', description: 'Alerts of every device' },
			{ name: 'Device', value: 'device', description: 'Alerts of one device' },
			{ name: 'Site', value: 'site', description: 'Alerts of the devices of one site' },
		],
		description:
			'Whose alerts start the workflow. Without Enrich a site or device needs "siteUid" or "deviceUid" in the body.',
	},
	site,
	device,
	{
		displayName: 'Enrich',
		name: 'enrich',
		type: 'options',
		default: 'none',
		options: [
			{ name: 'No', value: 'none', description: 'The item is what the body carried; no API request' },
			{ name: 'Fetch the Alert', value: 'alert', description: 'The item is the alert as Alert > Get returns it, plus event; one API request per delivery' },
			{
				name: 'Fetch the Alert and Its Device',
				value: 'alertAndDevice',
				description: 'As above, plus the device (Device > Get) under "device"; two API requests per delivery',
			},
		],
		description: 'Whether to fetch the full alert from the Datto RMM API (with the Datto RMM API credential) before starting the workflow',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ ...isoDatesOption, displayOptions: { show: { '/enrich': ENRICHED } } },
			{
				displayName: 'Max Body Size (KB)',
				name: 'maxBodyKb',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1024 },
				default: DEFAULT_MAX_BODY_KB,
				description: "Larger bodies are refused (413) and start nothing. n8n reads a body before the trigger sees it, up to n8n's own limit (N8N_PAYLOAD_SIZE_MAX, 16 MB by default).",
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 5 },
				default: 2,
				displayOptions: { show: { '/enrich': ENRICHED } },
				description: 'How often to retry an API request after a rate limit (429), a server error (5xx) or a network failure',
			},
		],
	},
];
