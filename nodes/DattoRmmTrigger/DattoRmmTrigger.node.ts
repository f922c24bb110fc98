import {
	NodeConnectionTypes,
	NodeOperationError,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { searchDevices, searchSites } from '../shared/methods/listSearch';
import { tagOf } from './tag';
import { triggerProperties } from './description';
import { pollActivity } from './pollActivity';
import { pollDeviceStatus } from './pollDeviceStatus';
import type { PollOutcome } from './pollOutcome';
import { pollWatermarkList } from './pollWatermarkList';
import { readSettings } from './settings';
import { loadState, saveState, type DeviceState, type WatermarkState } from './state';
import { nothingToSample, sampleItem } from './testEvent';
import { pollBudget } from './walk';

export class DattoRmmTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Datto RMM Trigger',
		name: 'dattoRmmTrigger',
		icon: { light: 'file:../../icons/datto-rmm.svg', dark: 'file:../../icons/datto-rmm.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ {"activity":"Activity Log Entry","alertOpened":"Alert Opened","alertResolved":"Alert Resolved","deviceAdded":"Device Added","deviceOffline":"Device Went Offline","deviceOnline":"Device Came Online"}[$parameter["event"]] }}',
		description: 'Starts the workflow when alerts open or resolve, devices are added or go offline or online, or the activity log grows in Datto RMM',
		defaults: { name: 'Datto RMM Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dattoRmmApi', required: true }],
		properties: triggerProperties,
	};

	methods = { listSearch: { searchSites, searchDevices } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readSettings(this);
		const budget = pollBudget(this, settings.maxRetries);

		if (this.getMode() === 'manual') {
			// "Fetch Test Event": show the newest matching item; the stored state is not read or changed.
			const item = await sampleItem(this, settings, budget);
			if (!item) {
				const { message, description } = nothingToSample(settings);
				throw new NodeOperationError(this.getNode(), message, { description });
			}
			return [this.helpers.returnJsonArray([item])];
		}

		const staticData = this.getWorkflowStaticData('node');
		const key = tagOf(settings.key);
		let outcome: PollOutcome<object>;
		if (settings.event === 'activity') {
			outcome = await pollActivity(this, settings, budget, loadState<WatermarkState>(staticData, key));
		} else if (settings.event === 'deviceOffline' || settings.event === 'deviceOnline') {
			outcome = await pollDeviceStatus(this, settings, budget, loadState<DeviceState>(staticData, key));
		} else {
			outcome = await pollWatermarkList(this, settings, budget, loadState<WatermarkState>(staticData, key));
		}
		// Only a poll that got this far (no request failed) moves what is stored.
		saveState(staticData, key, outcome.state);
		this.logger.debug('Datto RMM Trigger polled', {
			event: settings.event,
			requests: outcome.requests,
			emitted: outcome.items.length,
			resumeAtPage: outcome.resumeAt,
		});
		return outcome.items.length ? [this.helpers.returnJsonArray(outcome.items)] : null;
	}
}
