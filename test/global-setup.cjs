/**
 * Once per jest run: Datto's spec for the tests that need it (scripts/specs.cts), fetched into the
 * git-ignored specs/cache when no ../shared/specs is beside the clone. It prints one line saying
 * where the spec comes from, or why it is missing and what is skipped; a failed download does not
 * fail the run. (A child process: jest loads this file outside its module system.)
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = function globalSetup() {
	const root = path.resolve(__dirname, '..');
	const line = execFileSync(process.execPath, ['--require', 'tsx/cjs', path.join(root, 'scripts/specs.cts')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
	process.stdout.write(`\n${line}`);
};
