/**
 * The README's generated list of resources and operations (scripts/readme-operations.cts) is up to
 * date.
 */
import * as fs from 'node:fs';

import { README, operationsMarkdown, readmeSection } from '../../scripts/readme-operations.cjs';

test('the README lists every resource and operation of the node (run `npm run docs` to update it)', () => {
	expect(readmeSection(fs.readFileSync(README, 'utf8'))).toBe(operationsMarkdown().trim());
});
