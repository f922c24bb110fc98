import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { dattoRequest, type RequestOptions } from '../../shared/transport/request';
import type { DattoContext } from '../../shared/transport/requestTypes';
import { checkUdfNumber } from './fields';
import type { BuiltRequest, FieldSpec } from './types';
import { InputError, shown } from './validate';

/** Datto keeps at most this many characters in a UDF (it answers 400 beyond). */
const MAX_UDF_VALUE = 255;

interface UdfPair {
	number?: unknown;
	value?: unknown;
}

const UDF_LABEL = 'UDFs';

/** The UDFs to set: udf<N> → value (empty clears it), from the node's UDFs; InputError before anything is sent. */
export function udfBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = ctx.getNodeParameter('udfs', itemIndex, {}) as { udf?: UdfPair[] };
	const pairs = raw.udf ?? [];
	if (pairs.length === 0) {
		throw new InputError(UDF_LABEL, 'No UDFs given: give at least one UDF to set (a UDF number from 1 to 300 and its value)', 'udfs');
	}
	const body: IDataObject = {};
	for (const pair of pairs) {
		const n = checkUdfNumber(pair.number, 'UDF Number');
		const key = `udf${n}`;
		if (key in body) throw new InputError(UDF_LABEL, `UDFs: UDF ${n} is given more than once; give each UDF once`, 'udfs');
		const value = pair.value === undefined || pair.value === null ? '' : String(pair.value);
		if (value.length > MAX_UDF_VALUE) {
			throw new InputError(UDF_LABEL, `UDFs: the value of UDF ${n} is ${shown(value)}, longer than the ${MAX_UDF_VALUE} characters Datto keeps`, 'udfs');
		}
		body[key] = value;
	}
	return body;
}

/** Sends UDF values (POST, safe to repeat). */
export async function postUdfs(ctx: DattoContext, request: BuiltRequest, body: IDataObject, options: RequestOptions): Promise<unknown> {
	return await dattoRequest<unknown>(
		ctx,
		{ method: 'POST', path: request.path, body, safety: 'idempotent', notFoundHint: `the device "${request.pathValues.deviceUid}"` },
		options,
	);
}

/** Set UDFs: only the UDFs the user listed, as udf<N>; an empty value clears that UDF. */
export async function setUdfs(ctx: DattoContext, itemIndex: number, request: BuiltRequest, options: RequestOptions): Promise<IDataObject[]> {
	const body = udfBody(ctx as IExecuteFunctions, itemIndex);
	const answer = await postUdfs(ctx, request, body, options);
	if (answer && typeof answer === 'object' && !Array.isArray(answer)) return [answer as IDataObject];
	return [{ success: true, deviceUid: request.pathValues.deviceUid, ...body }];
}

/** The UDFs parameter of Set UDFs: a list of UDF number and value. */
export const udfsField: FieldSpec = {
	in: 'none',
	property: {
		displayName: 'UDFs',
		name: 'udfs',
		type: 'fixedCollection',
		placeholder: 'Add UDF',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'The user-defined fields to set; the others keep their values',
		options: [
			{
				displayName: 'UDF',
				name: 'udf',
				values: [
					{
						displayName: 'UDF Number',
						name: 'number',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 300 },
						default: 1,
						description: 'Which user-defined field, from 1 to 300 (e.g. 5 for UDF 5)',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'The new value (up to 255 characters); leave empty to clear the UDF',
					},
				],
			},
		],
	},
};
