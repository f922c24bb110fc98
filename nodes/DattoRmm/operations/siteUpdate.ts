/** The run of the site Update operation. */
import type { IDataObject } from 'n8n-workflow';

import { dattoRequest, type RequestOptions } from '../../shared/transport/request';
import type { DattoContext } from '../../shared/transport/requestTypes';
import { InputError } from './validate';
import type { BuiltRequest } from './types';

/** Update: only the fields given change; Datto needs the name, so the current one is read when not given. */
export async function updateSite(
	ctx: DattoContext,
	itemIndex: number,
	request: BuiltRequest,
	options: RequestOptions,
): Promise<IDataObject[]> {
	const body: IDataObject = { ...request.body };
	if (Object.keys(body).length === 0) {
		throw new InputError('Update Fields', 'Give at least one field to update: add one under Update Fields');
	}
	if (body.name === '') throw new InputError('Name', 'Name cannot be cleared: a site needs a name');
	const notFoundHint = `the site "${request.pathValues.siteUid}"`;
	if (body.name === undefined) {
		const current = await dattoRequest<IDataObject>(ctx, { method: 'GET', path: request.path, notFoundHint }, options);
		body.name = current?.name;
	}
	const answer = await dattoRequest<unknown>(
		ctx,
		{ method: 'POST', path: request.path, body, safety: 'idempotent', notFoundHint },
		options,
	);
	if (answer && typeof answer === 'object' && !Array.isArray(answer)) return [answer as IDataObject];
	return [{ success: true, siteUid: request.pathValues.siteUid, ...body }];
}
