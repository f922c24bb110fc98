import { RequestGovernor } from './requestGovernor';
import type { GovernorSettings } from './ticket';

const governors = new Map<string, RequestGovernor>();

/** The governor for an account in this process; created on first use, settings kept current. */
export function governorFor(accountKey: string, settings: GovernorSettings): RequestGovernor {
	let governor = governors.get(accountKey);
	if (!governor) {
		governor = new RequestGovernor(settings);
		governors.set(accountKey, governor);
	} else {
		governor.settings = settings;
	}
	return governor;
}
