/**
 * Variable operations at account and site scope, run through n8n's engine against the simulator
 * over HTTP: the endpoints of each scope, what an update sends, and bad input stopped before
 * anything is sent.
 */
import { DattoRmm } from '../../../../nodes/DattoRmm/DattoRmm.node';
import { EMPTY, byId, operationsOn } from '../../../harness/operations.cjs';

const { state, run, runOne, expectInputError } = operationsOn();

describe('Variable', () => {
	const cases = [
		{ scope: 'account', prefix: () => '/api/v2/account', list: () => state().accountVariables },
		{ scope: 'site', prefix: () => `/api/v2/site/${state().sites[0].uid}`, list: () => state().sites[0].variables },
	];

	test.each(cases)('scope $scope: create, get many, update, delete hit the scope\'s endpoints', async ({ scope, prefix, list }) => {
		const where = scope === 'site' ? { siteUid: byId(state().sites[0].uid) } : {};
		const name = `N8nVar_${scope}`;

		const created = await runOne({ resource: 'variable', operation: 'create', scope, ...where, name, value: ' v 1 ', masked: true });
		expect(created.request.method).toBe('PUT');
		expect(created.request.path).toBe(`${prefix()}/variable`);
		expect(created.body).toEqual({ name, value: ' v 1 ', masked: true });
		const id = created.json[0].id as number;
		expect(list().find((v) => v.id === id)).toMatchObject({ name, value: ' v 1 ', masked: true });

		const many = await run({ resource: 'variable', operation: 'getMany', scope, ...where, returnAll: true });
		expect(many.result.error).toBeUndefined();
		expect(many.requests[0].path).toBe(`${prefix()}/variables`);
		expect(many.json).toContainEqual({ id, name, value: '*****', masked: true });

		const updated = await runOne({ resource: 'variable', operation: 'update', scope, ...where, variableId: id, name: `${name}2`, value: 'v2' });
		expect(updated.request.method).toBe('POST');
		expect(updated.request.path).toBe(`${prefix()}/variable/${id}`);
		expect(updated.body).toEqual({ name: `${name}2`, value: 'v2' });
		expect(list().find((v) => v.id === id)).toMatchObject({ name: `${name}2`, value: 'v2' });

		const deleted = await runOne({ resource: 'variable', operation: 'delete', scope, ...where, variableId: id });
		expect(deleted.request.method).toBe('DELETE');
		expect(deleted.request.path).toBe(`${prefix()}/variable/${id}`);
		expect(deleted.json).toEqual([expect.objectContaining({ success: true, variableId: String(id) })]);
		expect(list().some((v) => v.id === id)).toBe(false);
	});

	test('update changes only what is given: the value alone (a password rotated), or the name alone', async () => {
		const list = state().accountVariables;
		const v = { id: state().nextIds.variable++, name: 'RotateMe', value: 'old secret', masked: true };
		list.push(v);
		const valueOnly = await runOne({ resource: 'variable', operation: 'update', scope: 'account', variableId: v.id, value: 'new secret' });
		expect(valueOnly.body).toEqual({ value: 'new secret' });
		expect(list.find((x) => x.id === v.id)).toMatchObject({ name: 'RotateMe', value: 'new secret', masked: true });
		expect(valueOnly.json).toEqual([{ success: true, variableId: String(v.id) }]);
		const nameOnly = await runOne({ resource: 'variable', operation: 'update', scope: 'account', variableId: v.id, name: ' Rotated ' });
		expect(nameOnly.body).toEqual({ name: 'Rotated' });
		expect(list.find((x) => x.id === v.id)).toMatchObject({ name: 'Rotated', value: 'new secret' });
	});

	test("the editor shows Update's required fields first: Variable ID before the optional name and value", () => {
		const shown = new DattoRmm().description.properties.filter((p) => {
			const show = p.displayOptions?.show;
			// Not the AI tool's own parameters (shown only in n8n's tool variant).
			return show?.resource?.includes('variable') && show.operation?.includes('update') && !show['@tool'];
		});
		expect(shown.map((p) => p.name)).toEqual(['scope', 'siteUid', 'variableId', 'name', 'value', 'options']);
		expect(shown.find((p) => p.name === 'name')!.required).toBeFalsy();
		expect(shown.find((p) => p.name === 'value')!.required).toBeFalsy();
	});

	test('update with neither name nor value is an input error naming both, before any request', async () => {
		const error = await expectInputError({ resource: 'variable', operation: 'update', scope: 'account', variableId: 1 }, 'Name or Value');
		expect(error.message).toMatch(/both are empty/);
		await expectInputError({ resource: 'variable', operation: 'update', scope: 'account', variableId: 1, name: EMPTY, value: EMPTY }, 'Name or Value');
	});

	test('bad input: empty or non-numeric variable ID, empty name or value, empty site', async () => {
		await expectInputError({ resource: 'variable', operation: 'delete', scope: 'account', variableId: EMPTY }, 'Variable ID');
		await expectInputError({ resource: 'variable', operation: 'delete', scope: 'account', variableId: '12a' }, 'Variable ID');
		await expectInputError({ resource: 'variable', operation: 'create', scope: 'account', name: EMPTY, value: 'x' }, 'Name');
		await expectInputError({ resource: 'variable', operation: 'create', scope: 'account', name: 'A', value: EMPTY }, 'Value');
		await expectInputError(
			{ resource: 'variable', operation: 'getMany', scope: 'site', siteUid: byId(EMPTY) },
			'Site',
		);
	});
});
