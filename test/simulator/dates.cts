/**
 * The two kinds of date fields (facts doc, "Data shapes"):
 * - confirmed: live sweeps show epoch-ms numbers although the spec says date-time strings; the
 *   simulator always sends numbers there;
 * - unconfirmed: every other field the spec types date-time; nobody has shown the live form, so
 *   the simulator sends them in the form `unconfirmedDates` asks for: 'iso' (the spec's ISO 8601
 *   strings, the default) or 'epochMs' (numbers like the confirmed ones).
 * Activity-log `date` is neither: the spec types it a number and live sends epoch seconds.
 */

/** How the simulator sends the unconfirmed date fields. */
export type DateForm = 'iso' | 'epochMs';

export const DATE_FORMS: readonly DateForm[] = ['iso', 'epochMs'];

/** Environment variable that picks the form for the simulators of the CLI, the demo, dev and e2e. */
export const DATE_FORM_ENV = 'DATTO_SIM_UNCONFIRMED_DATES';

/** A form given as text (a flag or the environment); undefined when not given, an Error when unknown. */
export function parseDateForm(text: string | undefined, source: string): DateForm | undefined {
	if (text === undefined || text === '') return undefined;
	if (!(DATE_FORMS as readonly string[]).includes(text)) throw new Error(`${source} must be one of ${DATE_FORMS.join(', ')}, not '${text}'`);
	return text as DateForm;
}

/** Date-time fields of the spec that live sends as epoch ms, by spec schema. */
export const CONFIRMED_EPOCH_MS: Readonly<Record<string, readonly string[]>> = {
	Device: ['lastSeen', 'lastReboot', 'lastAuditDate', 'creationDate'],
	Alert: ['timestamp', 'resolvedOn'],
	AuthUser: ['created', 'lastAccess'],
};

/** The spec's other date-time fields, by spec schema: served in either form. */
export const UNCONFIRMED_DATES: Readonly<Record<string, readonly string[]>> = {
	ResponseAction: ['actionTime'],
	Bios: ['releaseDate'],
	AttachedDevice: ['driverFileLastModified'],
	Filter: ['dateCreate', 'lastUpdated'],
	Job: ['dateCreated'],
	JobResults: ['ranOn'],
	StatusResponse: ['started'],
	EventLogContext: ['lastTriggered'],
	RansomWareContext: ['metaAlertTime', 'alertTime'],
};

/** An unconfirmed date field's value in the form asked for. */
export function renderDate(form: DateForm, ms: number): number | string {
	return form === 'epochMs' ? ms : new Date(ms).toISOString();
}

/** Context keys (alertContext) that hold unconfirmed dates. */
export const CONTEXT_DATE_KEYS: readonly string[] = [...UNCONFIRMED_DATES.EventLogContext, ...UNCONFIRMED_DATES.RansomWareContext];
