/**
 * The Datto RMM Webhook Trigger's ready-to-paste webhook bodies, as the node's notice shows them.
 */
import type { IDataObject } from 'n8n-workflow';

import { bodyFor, bodyText } from '../../../nodes/DattoRmmWebhookTrigger/bodies';

describe("the ready-to-paste bodies", () => {
	test('the opened and resolved bodies differ only in "event", and carry [alert_uid] as alertUid', () => {
		const opened = JSON.parse(bodyText('opened')) as IDataObject;
		const resolved = JSON.parse(bodyText('resolved')) as IDataObject;
		expect(opened).toEqual(bodyFor('opened'));
		expect({ ...opened, event: 'resolved' }).toEqual(resolved);
		expect(opened.alertUid).toBe('[alert_uid]');
	});
});
