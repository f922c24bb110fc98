/** The site operations' fields: the site picker, the new site's name and the options Create and Update share. */
import type { INodeProperties } from 'n8n-workflow';

import { requiredText, sitePicker } from './fields';
import type { FieldSpec } from './types';

export const siteUid = sitePicker();

export const descriptionOption: INodeProperties = {
	displayName: 'Description',
	name: 'description',
	type: 'string',
	default: '',
	description: 'Short description of the site',
};

export const notesOption: INodeProperties = {
	displayName: 'Notes',
	name: 'notes',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	description: 'Free-text notes about the site, for technicians',
};

export const onDemandOption: INodeProperties = {
	displayName: 'On Demand',
	name: 'onDemand',
	type: 'boolean',
	default: false,
	description: 'Whether the site is an On Demand site (devices are supported ad hoc and not monitored continuously)',
};

export const splashtopOption: INodeProperties = {
	displayName: 'Splashtop Auto Install',
	name: 'splashtopAutoInstall',
	type: 'boolean',
	default: false,
	description: 'Whether Splashtop remote control is installed automatically on the site\'s devices',
};

export const siteName: FieldSpec = {
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
