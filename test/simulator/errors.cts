/**
 * Error bodies in the forms the live API uses:
 * - Spring's default error body for 404/405/409/429/500 ({timestamp,status,error,message,path});
 * - OAuth2 bodies ({error,error_description}) for token and bearer problems;
 * - {errorCode,message,details} for request validation (400);
 * - some errors answer with no body at all (we use that for 409 conflicts and 204s).
 */
import type { Reply } from './http.cjs';

const REASONS: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	409: 'Conflict',
	415: 'Unsupported Media Type',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
};

export function reason(status: number): string {
	return REASONS[status] ?? 'Error';
}

/** Spring Boot's default error body; `timestamp` as Spring renders it (ISO with offset). */
export function springError(status: number, message: string, path: string, headers?: Record<string, string>): Reply {
	return {
		status,
		body: { timestamp: new Date().toISOString().replace('Z', '+00:00'), status, error: reason(status), message, path },
		headers,
	};
}

export function notFound(what: string, uid: string | number, path: string): Reply {
	return springError(404, `${what} with uid ${uid} was not found`, path);
}

export function oauthError(status: number, error: string, description: string, headers?: Record<string, string>): Reply {
	return { status, body: { error, error_description: description }, headers };
}

/** Validation failure (400) in the {errorCode,message,details} form. */
export function validationError(errorCode: string, message: string, details: Record<string, unknown> = {}): Reply {
	return { status: 400, body: { errorCode, message, details } };
}

export function emptyReply(status: number): Reply {
	return { status };
}
