/**
 * Once per `npm run test:e2e`: build the package and pack it, for every test file to install.
 * (Jest loads this file outside its module system, so it uses Node's modules only.) The tarball's
 * path reaches the test files through process.env; global-teardown.cts removes it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default function globalSetup(): void {
	const root = path.resolve(__dirname, '..', '..');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'datto-rmm-e2e-pack-'));
	process.env.DATTO_E2E_PACK_DIR = dir;
	const started = Date.now();
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
	const { filename } = (JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string }>)[0];
	process.env.DATTO_E2E_TARBALL = path.join(dir, filename);
	process.stderr.write(`\ne2e: built and packed ${filename} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
