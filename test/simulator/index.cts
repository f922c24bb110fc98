/**
 * Datto RMM API simulator for tests: an HTTP server on loopback that behaves like the live API
 * (token exchange, 57 operations over one seeded account, paging, rate limits, faults).
 *
 *   const sim = await DattoSimulator.start({ seed: 1 });
 *   // base URL for the node's "Custom URL": sim.url; key/secret: sim.apiKey / sim.apiSecret
 *   await sim.close();
 */
export { DattoSimulator } from './simulator.cjs';
export type {
	SimulatorOptions,
	RecordedRequest,
	FaultSettings,
	ScriptedFault,
	SimulatorCounters,
	RateLimitOptions,
	SimulatorSize,
} from './types.cjs';
export { DEFAULT_FAULTS } from './types.cjs';
export { SimulatorState, macFor, normaliseMac } from './state.cjs';
export type * from './model.cjs';
export { ALERT_CONTEXT_SCHEMAS } from './alert-contexts.cjs';
export { WRITE_BUDGETS, WRITE_OPERATIONS } from './rate.cjs';
export { CONFIRMED_EPOCH_MS, DATE_FORMS, DATE_FORM_ENV, UNCONFIRMED_DATES, parseDateForm, type DateForm } from './dates.cjs';
