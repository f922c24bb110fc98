/**
 * Datto's per-operation write budgets, end to end: every write operation of the node names the
 * budget the simulator counts it against (the names live clients use, facts doc "Rate limits"),
 * or none on purpose (those writes count against the account write budget only), and the
 * simulator's request_rate view counts the node's writes under those names.
 */
import type { INodeParameters } from 'n8n-workflow';

import { OPERATIONS } from '../../../../nodes/DattoRmm/operations';
import { startSimulatedAccount } from '../../../harness/index.cjs';
import { WRITE_BUDGETS, WRITE_OPERATIONS } from '../../../simulator/index.cjs';

/** Each write call of the node: the operation, the spec operationId it calls, the budget it names. */
const writes = OPERATIONS.filter((op) => op.method !== 'GET').flatMap((op) =>
	(op.variants ?? [{ operationId: op.operationIds[0], writeBudget: undefined }]).map((variant) => ({
		operation: `${op.resource}.${op.value}`,
		operationId: variant.operationId,
		budget: variant.writeBudget ?? op.writeBudget ?? null,
	})),
);

// The names and limits themselves are checked against the facts doc in test/simulator/live-quirks.test.cts.

test.each(writes)('$operation ($operationId) names the budget the simulator counts it against: $budget', ({ operationId, budget }) => {
	expect(Object.keys(WRITE_OPERATIONS)).toContain(operationId);
	expect(budget).toBe(WRITE_OPERATIONS[operationId]);
	if (budget !== null) expect(Object.keys(WRITE_BUDGETS)).toContain(budget);
});

test('every write the simulator knows is one the node makes; reads name no budget', () => {
	expect(new Set(writes.map((w) => w.operationId))).toEqual(new Set(Object.keys(WRITE_OPERATIONS)));
	for (const op of OPERATIONS.filter((o) => o.method === 'GET')) {
		expect({ op: op.value, budget: op.writeBudget, variants: (op.variants ?? []).map((v) => v.writeBudget).filter(Boolean) }).toEqual({
			op: op.value,
			budget: undefined,
			variants: [],
		});
	}
});

test("the node's variable writes count against the budget of their scope; a site update against the account's only", async () => {
	const acc = await startSimulatedAccount({ simulator: { seed: 3, size: { sites: 2, devices: 10 } } });
	try {
		const site = acc.sim.state.sites[0];
		const run = async (parameters: INodeParameters) => {
			const result = await acc.harness.runDattoNode({ parameters, credential: acc.credential });
			if (result.error) throw result.error;
		};
		await run({ resource: 'variable', operation: 'create', scope: 'site', siteUid: { __rl: true, mode: 'id', value: site.uid }, name: 'SiteVar', value: 'x' });
		await run({ resource: 'variable', operation: 'create', scope: 'account', name: 'AccVar', value: 'y' });
		await run({ resource: 'site', operation: 'update', siteUid: { __rl: true, mode: 'id', value: site.uid }, updateFields: { notes: 'n' } });
		const view = acc.sim.rateStatus() as { accountWriteCount: number; operationWriteStatus: Record<string, { count: number }> };
		expect(view.accountWriteCount).toBe(3);
		expect(view.operationWriteStatus['site-variable-set'].count).toBe(1);
		expect(view.operationWriteStatus['account-variable-set'].count).toBe(1);
		const named = Object.values(view.operationWriteStatus).reduce((sum, o) => sum + o.count, 0);
		expect(named).toBe(2);
	} finally {
		await acc.close();
	}
});
