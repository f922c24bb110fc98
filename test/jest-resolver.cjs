/**
 * TypeScript wants `.cjs` in imports between .cts files; the source on disk is `.cts` (or `.ts`).
 * Node classes are imported as `X.node.js` (an extensionless `X.node` would find the codex
 * `X.node.json` under plain Node); their source is `X.node.ts`. Everything else resolves as usual.
 */
const fs = require('node:fs');
const path = require('node:path');

module.exports = (request, options) => {
	if (request.startsWith('.') && request.endsWith('.js')) {
		const source = path.resolve(options.basedir, request.slice(0, -3) + '.ts');
		if (!fs.existsSync(path.resolve(options.basedir, request)) && fs.existsSync(source)) return source;
	}
	if (request.startsWith('.') && request.endsWith('.cjs')) {
		for (const ext of ['.cts', '.ts']) {
			const source = path.resolve(options.basedir, request.slice(0, -4) + ext);
			if (fs.existsSync(source)) return source;
		}
	}
	return options.defaultResolver(request, options);
};
