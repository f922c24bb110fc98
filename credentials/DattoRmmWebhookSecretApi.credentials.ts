import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The shared secret of a Datto RMM Webhook Trigger: what a delivery must present (in the
 * x-webhook-secret header or the URL's ?secret=) to start the workflow. A credential, not a node
 * parameter, so n8n keeps it encrypted and never copies it into the workflow, its executions,
 * their error data, exports or logs. The Datto RMM Webhook Trigger tests it (length) in the editor.
 */
export class DattoRmmWebhookSecretApi implements ICredentialType {
	name = 'dattoRmmWebhookSecretApi';

	displayName = 'Datto RMM Webhook Secret API';

	documentationUrl = 'https://github.com/n8n-nodes-datto-rmm/n8n-nodes-datto-rmm/blob/main/docs/webhook-trigger.md';

	icon: Icon = { light: 'file:../icons/datto-rmm.svg', dark: 'file:../icons/datto-rmm.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A long random value (at least 16 characters, e.g. the output of openssl rand -hex 24). Deliveries must present it in an x-webhook-secret header or in the URL as ?secret=…; others are refused (401).',
		},
	];
}
