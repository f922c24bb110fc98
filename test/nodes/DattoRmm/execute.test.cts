/**
 * How the node runs its items: with "On Error: Continue", bad input becomes an error item naming
 * the field, and nothing is sent.
 */
import { operationsOn } from '../../harness/operations.cjs';

const { run } = operationsOn();

describe('On Error: Continue', () => {
	test('bad input gives an error item naming the field, no request', async () => {
		const outcome = await run({ resource: 'device', operation: 'getByMacAddress', macAddress: 'nope' }, true);
		expect(outcome.result.error).toBeUndefined();
		expect(outcome.requests).toEqual([]);
		expect(outcome.json).toEqual([
			{ error: expect.stringContaining('MAC Address'), description: expect.stringContaining('"MAC Address"') },
		]);
	});
});
