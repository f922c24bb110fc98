/** The job operations' fields: the job, the device, the output stream, and what a quick job runs and how it waits. */
import { locator } from '../../shared/descriptions/locator';
import { devicePicker, requiredText } from './fields';
import type { FieldSpec } from './types';

export const jobUid: FieldSpec = {
	in: 'path',
	convert: requiredText,
	property: {
		displayName: 'Job UID',
		name: 'jobUid',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 9f1c2b3a-4d5e-6f70-8192-a3b4c5d6e7f8',
		description: 'UID of the job: a UUID, job.uid in the answer of Run Quick Job (or from the job page in Datto RMM)',
	},
};

export const device = devicePicker('The device the job ran (or runs) on');

export const stream: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'Output',
		name: 'stream',
		type: 'options',
		default: 'stdout',
		options: [
			{ name: 'Standard Output', value: 'stdout', description: 'What the components printed (stdout)' },
			{ name: 'Standard Error', value: 'stderr', description: 'The error output of the components (stderr)' },
		],
		description: 'Which output of the job on this device to get',
	},
};

const componentHint = "The component (script) the job runs: its uid, a UUID (component lists give it, with the component's variables)";

export const component: FieldSpec = {
	in: 'none',
	toolHint: componentHint,
	property: locator({
		name: 'componentUid',
		displayName: 'Component',
		searchListMethod: 'searchComponents',
		entity: 'component',
		description: `${componentHint}. In the editor, pick it from the list (search by name).`,
	}),
};

export const jobName: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'Job Name',
		name: 'jobName',
		type: 'string',
		required: true,
		default: 'n8n quick job',
		description: 'Name of the job, as shown in Datto RMM and in the activity log',
	},
};

export const variables: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'Component Variables',
		name: 'variables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Variable',
		default: {},
		description:
			"Values for the component's input variables; variables left out keep the component's default value",
		options: [
			{
				displayName: 'Variable',
				name: 'variable',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. TargetFolder',
						description: 'Name of one of the component\'s variables, exactly as the component defines it (component lists give them)',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: "The variable's value, as text (Datto converts it to the variable's type)",
					},
				],
			},
		],
	},
};

export const waitOptions: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'Wait Options',
		name: 'waitOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Poll Every (Seconds)',
				name: 'pollSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5,
				description: "How often to ask Datto RMM for the job's status. Each check is one API request.",
			},
			{
				displayName: 'Fail When the Component Fails',
				name: 'failOnComponentFailure',
				type: 'boolean',
				default: false,
				description:
					'Whether the node fails (or, with On Error: Continue, outputs an error item) when Datto reports the job or its component as failed on the device, instead of returning the job with jobDeploymentStatus "Failure"',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description:
					'How long to wait for the job to finish. When it runs longer, the job is returned as it is with timedOut set to true (no error: it may still finish later).',
			},
		],
	},
};
