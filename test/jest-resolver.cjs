/**
 * TypeScript wants `.cjs` in imports between .cts files; the source on disk is `.cts`.
 * Resolve such relative imports to the source, and everything else as Jest normally does.
 */
const fs = require('node:fs');
const path = require('node:path');

module.exports = (request, options) => {
	if (request.startsWith('.') && request.endsWith('.cjs')) {
		for (const ext of ['.cts', '.ts']) {
			const source = path.resolve(options.basedir, request.slice(0, -4) + ext);
			if (fs.existsSync(source)) return source;
		}
	}
	return options.defaultResolver(request, options);
};
