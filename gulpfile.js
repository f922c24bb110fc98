/**
 * Kept for habits from n8n's older starter (`npx gulp build:icons`). Copying icons into dist/
 * lives in exactly one place, `n8n-node build`; these tasks run that, they do not repeat it.
 */
const { execFileSync } = require('node:child_process');

function build(done) {
	execFileSync('npx', ['n8n-node', 'build'], { stdio: 'inherit' });
	done();
}

exports.build = build;
exports['build:icons'] = build;
