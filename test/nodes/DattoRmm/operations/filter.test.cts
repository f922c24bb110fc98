/**
 * Filter operations, run through n8n's engine against the simulator over HTTP: the endpoint of each
 * filter type, one item per filter.
 */
import { byId, operationsOn } from '../../../harness/operations.cjs';

const { state, run } = operationsOn();

describe('Filter', () => {
	test.each([
		{ type: 'default', path: '/api/v2/filter/default-filters', kind: 'rmm_default' },
		{ type: 'custom', path: '/api/v2/filter/custom-filters', kind: 'custom' },
	])('type $type: GET $path, one item per filter', async ({ type, path, kind }) => {
		const outcome = await run({ resource: 'filter', operation: 'getMany', type, returnAll: true });
		expect(outcome.result.error).toBeUndefined();
		expect(outcome.requests[0].path).toBe(path);
		expect(outcome.json.length).toBe(state().filters.filter((f) => f.type === kind).length);
		for (const f of outcome.json) expect(f.type).toBe(kind);
	});

	test('type Site: GET /v2/site/{uid}/filters', async () => {
		const site = state().sites[0];
		const outcome = await run({ resource: 'filter', operation: 'getMany', type: 'site', siteUid: byId(site.uid), returnAll: true });
		expect(outcome.result.error).toBeUndefined();
		expect(outcome.requests[0].path).toBe(`/api/v2/site/${site.uid}/filters`);
		for (const f of outcome.json) expect(f.type).toBe('site');
	});
});
