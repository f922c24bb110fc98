/**
 * Starts this package's Datto RMM simulator and saves a credential pointing at it
 * (platform "Custom URL", Base URL = the simulator's root, the simulator's key and secret).
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DattoSimulator, type SimulatorOptions } from '../simulator/index.cjs';
import { N8nTestHarness, type CredentialRef } from './engine.cjs';

/** Credential data for a simulator (overrides replace any field, e.g. a wrong apiSecret). */
export function simulatorCredentialData(
	sim: Pick<DattoSimulator, 'url' | 'apiKey' | 'apiSecret'>,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		platform: 'custom',
		baseUrl: sim.url,
		apiKey: sim.apiKey,
		apiSecret: sim.apiSecret,
		accessToken: '',
		...overrides,
	};
}

export interface SimulatedAccount {
	sim: DattoSimulator;
	harness: N8nTestHarness;
	credential: CredentialRef;
	/** Stops the simulator. */
	close(): Promise<void>;
}

/**
 * A running simulator, a harness (new unless given) and a saved credential for it.
 * Call `close()` (e.g. in afterAll/afterEach).
 */
export async function startSimulatedAccount(
	options: {
		simulator?: SimulatorOptions;
		harness?: N8nTestHarness;
		credential?: ICredentialDataDecryptedObject;
		credentialName?: string;
	} = {},
): Promise<SimulatedAccount> {
	const sim = await DattoSimulator.start(options.simulator ?? {});
	const harness = options.harness ?? new N8nTestHarness();
	const credential = harness.addCredential(simulatorCredentialData(sim, options.credential), {
		name: options.credentialName,
	});
	return { sim, harness, credential, close: async () => await sim.close() };
}
