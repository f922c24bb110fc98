/**
 * The simulator's alert webhooks on their own: the filling of Datto variables into a webhook body.
 * Through the trigger: test/nodes/DattoRmmWebhookTrigger/DattoRmmWebhookTrigger.node.test.cts.
 */
import { bodyText } from '../../nodes/DattoRmmWebhookTrigger/bodies';
import { fillVariables } from './webhooks.cjs';

describe("the simulator's Datto variables", () => {
	test('fills known variables, JSON-escaped, and leaves unknown ones as written', () => {
		const filled = fillVariables(bodyText('opened').replace('"[platform]"', '"[platform]", "other": "[not_a_variable]"'), {
			alert_uid: 'u-1',
			alert_message: 'Service "Spooler" is "stopped"\\now',
			alert_priority: 'High',
			device_uid: 'd-1',
			device_hostname: 'PC-1',
			site_uid: 's-1',
			site_name: 'Main "HQ"',
			platform: 'Simulator',
		});
		expect(JSON.parse(filled)).toEqual({
			event: 'opened',
			alertUid: 'u-1',
			priority: 'High',
			message: 'Service "Spooler" is "stopped"\\now',
			deviceUid: 'd-1',
			deviceHostname: 'PC-1',
			siteUid: 's-1',
			siteName: 'Main "HQ"',
			platform: 'Simulator',
			other: '[not_a_variable]',
		});
	});
});
