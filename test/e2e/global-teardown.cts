/** Removes the packed tarball made by global-setup.cts. */
import * as fs from 'node:fs';

export default function globalTeardown(): void {
	const dir = process.env.DATTO_E2E_PACK_DIR;
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
