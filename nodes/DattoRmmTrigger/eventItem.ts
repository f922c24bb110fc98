/** One item of the event watched: when it happened, its ID, whether it passes the filters, and how it is output. */
import type { IDataObject } from 'n8n-workflow';

import { activityDateMs, addIsoDates, epochMsOf } from '../shared/dates';
import { alertMessage } from '../shared/alertMessage';
import { tagOf as tagFor } from './tag';
import { ALERT_EVENTS, type TriggerEvent } from './description';
import type { TriggerSettings } from './settings';

/**
 * When the item happened, for the event watched (undefined: the item cannot be placed). Every
 * time is read as an epoch-ms number or an ISO string, so comparisons and the stored floor work
 * whichever form Datto sends.
 */
export function timeOf(event: TriggerEvent, item: IDataObject): number | undefined {
	switch (event) {
		case 'alertOpened':
			return epochMsOf(item.timestamp);
		case 'alertResolved':
			return epochMsOf(item.resolvedOn) ?? epochMsOf(item.timestamp);
		case 'deviceAdded':
			return epochMsOf(item.creationDate);
		case 'activity':
			// Epoch seconds, with the milliseconds as a fraction.
			return activityDateMs(item.date);
		default:
			return epochMsOf(item.lastSeen);
	}
}

function idOf(event: TriggerEvent, item: IDataObject): string | undefined {
	const id = ALERT_EVENTS.includes(event) ? item.alertUid : event === 'activity' ? item.id : item.uid;
	return typeof id === 'string' && id ? id : typeof id === 'number' ? String(id) : undefined;
}

export function matches(settings: TriggerSettings, item: IDataObject): boolean {
	if (ALERT_EVENTS.includes(settings.event) && settings.priorities.size > 0) {
		return settings.priorities.has(String(item.priority));
	}
	return true;
}

/** The item as output: the entity, with the extras the options ask for. */
export function shape(settings: TriggerSettings, item: IDataObject): IDataObject {
	let json: IDataObject = { ...item };
	if (ALERT_EVENTS.includes(settings.event) && settings.alertMessage) json.alertMessage = alertMessage(item);
	if (settings.event === 'activity' && settings.parseDetails && typeof json.details === 'string' && json.details.trim()) {
		try {
			const details = JSON.parse(json.details) as unknown;
			if (details !== null && typeof details === 'object') json.details = details as IDataObject;
		} catch {
			// Not JSON after all: keep Datto's text as it came.
			json.details = item.details;
		}
	}
	if (settings.isoDates) json = addIsoDates(json);
	return json;
}

export function tagged(event: TriggerEvent, item: IDataObject): { time: number; tag: string } | undefined {
	const time = timeOf(event, item);
	const id = idOf(event, item);
	return time === undefined || id === undefined ? undefined : { time, tag: tagFor(id) };
}
