import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { searchDevices, searchSites } from '../DattoRmm/search';
import { SECRET_QUERY, presentedSecret, readBody, readDelivery, secretMatches } from './delivery';
import { webhookTriggerProperties } from './description';
import { enrich, factsOf } from './enrich';
import { DeliveryMemory, deliveryMemory } from './memory';
import { judge, readSettings } from './settings';

/** Answers the delivery here and now (n8n sends nothing more) and starts nothing. */
function refuse(ctx: IWebhookFunctions, status: 400 | 401, error: string): IWebhookResponseData {
	const response = ctx.getResponseObject();
	response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify({ error }));
	return { noWebhookResponse: true };
}

/** Answered 200 (Datto has nothing to retry), and nothing starts. */
function notStarted(reason: string): IWebhookResponseData {
	return { webhookResponse: { started: false, reason } };
}

export class DattoRmmWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Datto RMM Webhook Trigger',
		name: 'dattoRmmWebhookTrigger',
		icon: { light: 'file:../../icons/datto-rmm.svg', dark: 'file:../../icons/datto-rmm.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["enrich"] === "none" ? "Alert webhooks" : "Alert webhooks, enriched" }}',
		description: 'Starts the workflow the moment Datto RMM sends an alert webhook: alert raised or resolved',
		defaults: { name: 'Datto RMM Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dattoRmmApi', required: true, displayOptions: { show: { enrich: ['alert', 'alertAndDevice'] } } }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'datto-rmm' }],
		properties: webhookTriggerProperties,
	};

	methods = { listSearch: { searchSites, searchDevices } };

	/*
	 * Datto RMM's API has no webhook endpoints (its spec has none): the administrator pastes the URL
	 * into Datto, so there is nothing to register. The lifecycle checks the settings at activation
	 * instead, so a bad one stops the activation with a message rather than failing deliveries.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				// Nothing to look up at Datto: "not there" makes n8n call create(), which checks the settings.
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				readSettings(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				this.logger.info(
					'Datto RMM Webhook Trigger deactivated: n8n now answers its URL with 404. Remove the URL from the Datto RMM monitors that send to it.',
					{ workflowId: this.getWorkflow().id },
				);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// The secret first: nothing else is read, and nothing is logged or started, for a stranger.
		const secret = String(this.getNodeParameter('secret', '') ?? '');
		if (!secretMatches(secret, presentedSecret(this.getQueryData(), this.getHeaderData()))) {
			this.logger.warn('Datto RMM Webhook Trigger refused a delivery without the right secret (401)', { workflowId: this.getWorkflow().id });
			return refuse(this, 401, `Unauthorized: the URL must end with ?${SECRET_QUERY}= and the trigger's secret`);
		}
		const settings = readSettings(this);
		const body = readBody(this.getRequestObject() as { rawBody?: unknown; body?: unknown }, settings.maxBodyBytes);
		if (body.problem !== undefined) return refuse(this, 400, body.problem);
		const read = readDelivery(body.value);
		if (read.problem !== undefined) return refuse(this, 400, read.problem);
		const delivery = read.value;

		if (!settings.events.has(delivery.event)) return notStarted(`"${delivery.event}" is not among the trigger's events`);
		// Filters on what the body says first: a filtered-out alert costs no API request.
		const fromBody = judge(settings, delivery);
		if (fromBody.outcome === 'skip') return notStarted(fromBody.reason);
		if (fromBody.outcome === 'unknown' && settings.enrich === 'none') {
			return refuse(
				this,
				400,
				`The trigger filters on ${fromBody.field} but the body has no "${fromBody.field}": add it to the Datto RMM webhook body, or set Enrich to fetch the alert`,
			);
		}

		const key = DeliveryMemory.keyOf({
			mode: this.getMode(),
			workflowId: String(this.getWorkflow().id ?? ''),
			nodeId: this.getNode().id,
			event: delivery.event,
			alertUid: delivery.alertUid,
		});
		if (!deliveryMemory.claim(key)) return notStarted('duplicate: this delivery already started the workflow');
		let started = false;
		try {
			let item: IDataObject;
			if (settings.enrich === 'none') {
				item = { ...delivery.fields, event: delivery.event, alertUid: delivery.alertUid };
				if (Object.keys(delivery.unfilled).length) item.unfilledVariables = delivery.unfilled;
			} else {
				const fetched = await enrich(this, settings, delivery.alertUid);
				const fromApi = judge(settings, factsOf(fetched.alert));
				if (fromApi.outcome !== 'start') {
					return notStarted(fromApi.outcome === 'skip' ? fromApi.reason : `the alert has no ${fromApi.field}`);
				}
				item = { ...fetched.alert, event: delivery.event };
				if (settings.enrich === 'alertAndDevice') item.device = fetched.device ?? null;
			}
			started = true;
			return {
				workflowData: [this.helpers.returnJsonArray([item])],
				webhookResponse: { started: true, event: delivery.event, alertUid: delivery.alertUid },
			};
		} finally {
			// Remembered only once it started: after a failure or a filter, a copy may try again.
			if (started) deliveryMemory.started(key);
			else deliveryMemory.release(key);
		}
	}
}
