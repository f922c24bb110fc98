/**
 * Ends a jest run with every skipped test by name, file by file: jest's own summary only counts
 * them. A test skipped for want of something (e.g. Datto's spec, test/specs.cts) carries the reason
 * in its name, or its describe block's, as "[SKIPPED: reason]"; each reason is printed once, below the names that cite it.
 */
const path = require('node:path');

const REASON = / \[SKIPPED: ([^\]]*)\]/;

class SkippedReporter {
	constructor(globalConfig) {
		this.rootDir = globalConfig.rootDir;
	}

	onRunComplete(_contexts, results) {
		const lines = [];
		const reasons = [];
		for (const file of results.testResults) {
			const skipped = file.testResults.filter((t) => t.status === 'pending' || t.status === 'todo');
			if (!skipped.length) continue;
			const project = file.displayName ? `[${file.displayName.name}] ` : '';
			lines.push(`  ${project}${path.relative(this.rootDir, file.testFilePath)}`);
			for (const { fullName } of skipped) {
				const reason = REASON.exec(fullName)?.[1];
				if (reason === undefined) {
					lines.push(`    ○ ${fullName}`);
					continue;
				}
				const n = reasons.indexOf(reason) + 1 || reasons.push(reason);
				lines.push(`    ○ ${fullName.replace(REASON, '')} (SKIPPED: reason ${n})`);
			}
		}
		if (!lines.length) return;
		const notes = reasons.map((reason, i) => `  reason ${i + 1}: ${reason}`);
		process.stdout.write(`\nSkipped tests (${results.numPendingTests + results.numTodoTests}):\n${[...lines, ...notes].join('\n')}\n`);
	}
}

module.exports = SkippedReporter;
