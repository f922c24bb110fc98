import type { RateView } from './rateView';

export type RequestKind = 'read' | 'write';
/** Background requests (trigger polls) give way to workflows. */
export type Priority = 'normal' | 'background';

export interface GovernorSettings {
	/** A fixed most-requests-per-window for this process; undefined follows Datto's free room. */
	fixedBudget?: number;
	/** Requests in flight at once for this account. */
	maxConcurrency: number;
}

/** What a request asks of the governor. */
export interface Ticket {
	kind: RequestKind;
	/** Datto's name of the write budget a write counts against (see OperationSpec.writeBudget). */
	writeBudget?: string;
	priority?: Priority;
	signal?: AbortSignal;
	/** Sends `GET /v2/system/request_rate` (as a calibration ticket) and reads it. */
	fetchView?: () => Promise<RateView | undefined>;
	/** The request_rate call itself: counted, but never held back by the share. */
	calibration?: boolean;
}

/** What the answer told us about the account, given back when the request is done. */
export interface Feedback {
	status?: number;
	/** The answer took as long as Datto's slow-down (the account may be past 90%). */
	slowed?: boolean;
	/** The account's count from X-RateLimit-* headers, when Datto sent them. */
	headerCount?: number;
}
