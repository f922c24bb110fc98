/** Dot segments and empty segments would change which endpoint a path names. */
export function checkPath(url: string): void {
	const path = new URL(url).pathname.replace(/^\/api\//, '');
	if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..' || /^%2e(%2e)?$/i.test(segment) || /^\.%2e$|^%2e\.$/i.test(segment))) {
		throw new PathError(path);
	}
}

/** A path that would not name the endpoint it was built for; the node reports it as bad input. */
export class PathError extends Error {
	constructor(readonly path: string) {
		super(`The request path "/${path}" has an empty, "." or ".." segment`);
		this.name = 'PathError';
	}
}
