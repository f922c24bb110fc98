import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'dattoRmmApi';

/** Every n8n context our code sends requests from. */
export type DattoContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IWebhookFunctions;

/**
 * How safe a request is to repeat after a failure that leaves its fate unknown.
 * - `read`: GET; repeat freely.
 * - `idempotent`: a write whose repetition changes nothing more (set UDFs, resolve an alert, ...).
 * - `create`: a write that must not run twice (PUT creates, reset API keys): repeated only when
 *   the API surely did not process it (429, or the connection was refused before sending).
 */
export type RequestSafety = 'read' | 'idempotent' | 'create';

export interface DattoRequest {
	method: IHttpRequestMethods;
	/** API path below `{base}/api` (e.g. `/v2/account/devices`), or an absolute URL already checked to be ours. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	safety?: RequestSafety;
	/** Shown in a 404's hint, e.g. `device "abc"`. */
	notFoundHint?: string;
}
