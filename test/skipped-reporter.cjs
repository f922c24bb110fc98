/**
 * Ends a jest run with every skipped test by name, file by file: jest's own summary only counts
 * them. A test skipped for want of something (e.g. Datto's spec, test/specs.cts) carries the reason
 * in its name, so a run that could not test something says what and why.
 */
const path = require('node:path');

class SkippedReporter {
	constructor(globalConfig) {
		this.rootDir = globalConfig.rootDir;
	}

	onRunComplete(_contexts, results) {
		const lines = [];
		for (const file of results.testResults) {
			const names = file.testResults.filter((t) => t.status === 'pending' || t.status === 'todo').map((t) => t.fullName);
			if (!names.length) continue;
			const project = file.displayName ? `[${file.displayName.name}] ` : '';
			lines.push(`  ${project}${path.relative(this.rootDir, file.testFilePath)}`, ...names.map((name) => `    ○ ${name}`));
		}
		if (lines.length) process.stdout.write(`\nSkipped tests (${results.numPendingTests + results.numTodoTests}):\n${lines.join('\n')}\n`);
	}
}

module.exports = SkippedReporter;
