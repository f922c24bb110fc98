/** A site's proxy server: its fields for Create and Update Proxy, and their converters. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { requiredText } from './fields';
import { InputError } from './validate';
import type { Converter, FieldSpec } from './types';

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
export const toProxySettings: Converter = (value) => {
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

/** Proxy Settings of Create's Additional Fields (converted by toProxySettings). */
export const proxySettingsOption: INodeProperties = {
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
};

/** The body fields of Update Proxy, after the site. */
export const proxyFields: FieldSpec[] = [
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
];
