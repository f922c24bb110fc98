import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { searchDevices, searchSites } from '../shared/methods/listSearch';
import { DUPLICATE_REASON, WEBHOOK_RESPONSE_DATA, inFlight, notStarted, refused, started, type Refusal } from './answers';
import { SECRET_HEADER, SECRET_QUERY, presentedSecret, readBody, readDelivery, secretMatches, type Delivery } from './delivery';
import { webhookTriggerProperties } from './description';
import { enrich, factsOf } from './enrich';
import { DeliveryMemory, TriggerMemories, triggerMemories, type TriggerMemory } from './memory';
import { judge, readSecret, readSettings, secretProblem, type WebhookSettings } from './settings';

function memoryOf(ctx: IWebhookFunctions): TriggerMemory {
	return triggerMemories.of(TriggerMemories.keyOf({ mode: ctx.getMode(), workflowId: String(ctx.getWorkflow().id ?? ''), nodeId: ctx.getNode().id }));
}

/** The item the workflow starts with, or why the alert (as the API has it) is filtered out. */
type ItemOutcome = { item: IDataObject; skip?: undefined } | { item?: undefined; skip: string };

async function itemOf(ctx: IWebhookFunctions, settings: WebhookSettings, delivery: Delivery): Promise<ItemOutcome> {
	if (settings.enrich === 'none') {
		const item: IDataObject = { ...delivery.fields, event: delivery.event, alertUid: delivery.alertUid };
		if (Object.keys(delivery.unfilled).length) item.unfilledVariables = delivery.unfilled;
		return { item };
	}
	const fetched = await enrich(ctx, settings, delivery.alertUid);
	const fromApi = judge(settings, factsOf(fetched.alert));
	if (fromApi.outcome !== 'start') return { skip: fromApi.outcome === 'skip' ? fromApi.reason : `the alert has no ${fromApi.field}` };
	const item: IDataObject = { ...fetched.alert, event: delivery.event };
	if (settings.enrich === 'alertAndDevice') item.device = fetched.device ?? null;
	return { item };
}

/** Refuses a delivery; the log hears of refusals at most once a minute per trigger, with a count. */
function refuse(ctx: IWebhookFunctions, memory: TriggerMemory, status: Refusal, error: string): IWebhookResponseData {
	const line = memory.refusals.admit(Date.now());
	if (line) {
		const more = line.unlogged ? ` (and ${line.unlogged} more since the last such line)` : '';
		// A 401's reason is the same for everyone; a 400's names what the body lacks (never a secret).
		const why = status === 401 ? 'without the right secret' : error;
		ctx.logger.warn(`Datto RMM Webhook Trigger refused a delivery (${status}): ${why}${more}`, { workflowId: ctx.getWorkflow().id, node: ctx.getNode().name });
	}
	return refused(ctx, status, error);
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
		credentials: [
			// The literal SECRET_CREDENTIAL (n8n's lint reads the name and testedBy from this literal).
			{ name: 'dattoRmmWebhookSecretApi', required: true, testedBy: 'dattoRmmWebhookSecretTest' },
			{ name: 'dattoRmmApi', required: true, displayOptions: { show: { enrich: ['alert', 'alertAndDevice'] } } },
		],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: WEBHOOK_RESPONSE_DATA, path: 'datto-rmm' }],
		properties: webhookTriggerProperties,
	};

	methods = {
		listSearch: { searchSites, searchDevices },
		credentialTest: {
			/** The editor's credential test: the secret is long enough (there is nothing to call). */
			async dattoRmmWebhookSecretTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const problem = secretProblem(credential.data?.secret);
				return problem ? { status: 'Error', message: problem } : { status: 'OK', message: 'The secret is long enough' };
			},
		},
	};

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
				await readSecret(this);
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
		const memory = memoryOf(this);
		// The secret first: nothing else is read, and nothing is started, for a stranger.
		const secret = await readSecret(this);
		if (!secretMatches(secret, presentedSecret(this.getQueryData(), this.getHeaderData()))) {
			return refuse(this, memory, 401, `Unauthorized: send the trigger's secret in an ${SECRET_HEADER} header, or at the end of the URL as ?${SECRET_QUERY}=`);
		}
		const settings = readSettings(this);
		const body = readBody(this.getRequestObject() as { rawBody?: unknown; body?: unknown }, settings.maxBodyBytes);
		if (body.problem !== undefined) return refuse(this, memory, body.status, body.problem);
		const read = readDelivery(body.value);
		if (read.problem !== undefined) return refuse(this, memory, 400, read.problem);
		const delivery = read.value;

		if (!settings.events.has(delivery.event)) return notStarted(this, `"${delivery.event}" is not among the trigger's events`);
		// Filters on what the body says first: a filtered-out alert costs no API request.
		const fromBody = judge(settings, delivery);
		if (fromBody.outcome === 'skip') return notStarted(this, fromBody.reason);
		if (fromBody.outcome === 'unknown' && settings.enrich === 'none') {
			return refuse(
				this,
				memory,
				400,
				`The trigger filters on ${fromBody.field} but the body has no "${fromBody.field}": add it to the Datto RMM webhook body, or set Enrich to fetch the alert`,
			);
		}

		const key = DeliveryMemory.keyOf(delivery.event, delivery.alertUid);
		const claim = memory.deliveries.claim(key);
		if (claim === 'started') return notStarted(this, DUPLICATE_REASON);
		if (claim === 'inFlight') return inFlight(this);
		let outcome: ItemOutcome | undefined;
		try {
			// Enrichment's failure throws: n8n answers 500 (the sender retries) and records a failed execution.
			outcome = await itemOf(this, settings, delivery);
		} finally {
			// Only a delivery that started is remembered; after a failure or a filter a copy may try again.
			if (outcome?.item) memory.deliveries.started(key);
			else memory.deliveries.release(key);
		}
		if (!outcome.item) return notStarted(this, outcome.skip);
		return started([this.helpers.returnJsonArray([outcome.item])], delivery);
	}
}
