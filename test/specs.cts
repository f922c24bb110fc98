/**
 * Datto's spec in the tests: where it is (scripts/specs.cts finds it, jest fetches it first when a
 * clone has none) and blocks that run only when it is there. Without it a block is registered as one
 * skipped test whose name gives the reason, so a run without the spec says so and never passes it.
 */
import { type SpecsLocation, locateSpecs } from '../scripts/specs.cjs';

export { HISTORY_VERSIONS, historyFile } from '../scripts/specs.cjs';

/** Read once per test file. */
export const SPECS: SpecsLocation = locateSpecs();

/** `current`: the current spec; `history`: it and its earlier versions. */
export type SpecNeed = 'current' | 'history';

function missing(need: SpecNeed): string | undefined {
	return need === 'current' ? SPECS.currentMissing : (SPECS.currentMissing ?? SPECS.historyMissing);
}

const skipped = (name: string, reason: string) => test.skip(`${name} [SKIPPED: ${reason}]`, () => undefined);

/** describe() when the spec is there; otherwise the block's body does not even run. */
export function describeWithSpecs(need: SpecNeed, name: string, body: () => void): void {
	const reason = missing(need);
	if (reason) skipped(name, reason);
	else describe(name, body);
}

/** test() when the spec is there. */
export function testWithSpecs(need: SpecNeed, name: string, fn: jest.ProvidesCallback): void {
	const reason = missing(need);
	if (reason) skipped(name, reason);
	else test(name, fn);
}

/** The current spec's file (call it where the spec is known to be there). */
export function currentSpecFile(): string {
	if (!SPECS.current) throw new Error(SPECS.currentMissing);
	return SPECS.current;
}
