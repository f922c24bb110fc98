/**
 * The committed package-lock.json must let `npm ci` install on any platform the dev tools run on.
 *
 * npm drops other platforms' optional packages (esbuild's, unrs-resolver's, ... per-platform
 * binaries) when it updates a lock over an existing node_modules; `npm ci` on another machine then
 * refuses the lock, or installs without the binary it needs. A lock made from scratch lists every
 * platform's package. The fix when this fails: delete node_modules and package-lock.json, run
 * `npm install` once, commit the lock.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface LockEntry {
	version?: string;
	os?: string[];
	cpu?: string[];
	optional?: boolean;
	dependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
}

interface Lock {
	lockfileVersion: number;
	packages: Record<string, LockEntry>;
}

const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as LockEntry;

/** Where Node would find `name` from the package installed at `from` (a lock key), or undefined. */
function resolveInLock(from: string, name: string): string | undefined {
	let base = from;
	for (;;) {
		const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
		if (candidate in lock.packages) return candidate;
		if (!base) return undefined;
		const parent = base.lastIndexOf('/node_modules/');
		base = parent >= 0 ? base.slice(0, parent) : '';
	}
}

interface Binding {
	/** The package that declares the optional dependency (a lock key). */
	owner: string;
	name: string;
	/** Where the lock has it, or undefined when it is missing. */
	entry?: string;
}

const optionalDependencies: Binding[] = Object.entries(lock.packages).flatMap(([owner, entry]) =>
	Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ owner, name, entry: resolveInLock(owner, name) })),
);

/** Optional dependencies that exist for some platforms only: the ones npm drops. */
const platformBindings = optionalDependencies.filter(({ entry }) => {
	const e = entry ? lock.packages[entry] : undefined;
	return e?.os !== undefined || e?.cpu !== undefined;
});

const byOwner = new Map<string, string[]>();
for (const { owner, name } of platformBindings) byOwner.set(owner, [...(byOwner.get(owner) ?? []), name]);

test('the lock is npm 7+ format and matches package.json', () => {
	expect(lock.lockfileVersion).toBe(3);
	const root = lock.packages[''];
	expect(root.devDependencies ?? {}).toEqual(manifest.devDependencies ?? {});
	expect(root.dependencies ?? {}).toEqual(manifest.dependencies ?? {});
});

test('every optional dependency of every locked package is in the lock, for every platform', () => {
	const missing = optionalDependencies.filter(({ entry }) => entry === undefined).map(({ owner, name }) => `${owner} → ${name}`);
	expect(missing).toEqual([]);
});

test('the per-platform bindings of the dev tools are all locked (esbuild, unrs-resolver, ...)', () => {
	// Not a fixed list: whatever declares platform packages today. These two are the known cases.
	expect([...byOwner.keys()]).toEqual(expect.arrayContaining(['node_modules/esbuild', 'node_modules/unrs-resolver']));
	const unrs = byOwner.get('node_modules/unrs-resolver') ?? [];
	const declared = Object.keys(lock.packages['node_modules/unrs-resolver'].optionalDependencies ?? {});
	expect(declared.length).toBeGreaterThan(10);
	expect(unrs.sort()).toEqual(declared.sort());
	for (const name of ['@unrs/resolver-binding-linux-x64-gnu', '@unrs/resolver-binding-darwin-arm64', '@unrs/resolver-binding-win32-x64-msvc']) {
		expect(unrs).toContain(name);
	}
});

describe.each([...byOwner.entries()].map(([owner, names]) => [owner.replace(/^node_modules\//, ''), names] as const))(
	'%s',
	(_owner, names) => {
		test(`locks all ${names.length} platform packages it declares`, () => {
			for (const name of names) {
				const binding = platformBindings.find((b) => b.name === name)!;
				const entry = lock.packages[binding.entry!];
				expect({ name, version: entry.version, os: entry.os ?? entry.cpu }).toEqual({
					name,
					version: expect.any(String),
					os: expect.any(Array),
				});
			}
		});
	},
);
