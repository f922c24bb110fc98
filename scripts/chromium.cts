/**
 * Headless Chromium for the editor test (test/e2e/editor.test.cts), found or installed by the
 * project itself so that `npm test` works on a fresh machine:
 *   1. CHROMIUM_PATH, when set;
 *   2. a Chromium or Chrome already installed (Debian's /usr/bin/chromium, Chrome on GitHub's runners);
 *   3. otherwise Debian's `chromium` package, installed with apt-get (as root, or through sudo).
 * Playwright's own browser download is not used: only the npm registry and Debian's packages are
 * reachable where this project is built.
 *
 *   node --require tsx/cjs scripts/chromium.cts     # install if needed, print the path and version
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The flags every launch uses: headless, no sandbox (root in CI), nothing phoning home. */
export const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

type Log = (line: string) => void;

/** The browser's version line, or undefined when `file` is not a working browser (e.g. a snap stub). */
export function browserVersion(file: string): string | undefined {
	if (!fs.existsSync(file)) return undefined;
	try {
		const out = execFileSync(file, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 }).toString().trim();
		return /\b\d+\.\d+\.\d+/.test(out) ? out : undefined;
	} catch {
		return undefined;
	}
}

function findInstalled(): string | undefined {
	const wanted = process.env.CHROMIUM_PATH;
	if (wanted) {
		if (!browserVersion(wanted)) throw new Error(`CHROMIUM_PATH=${wanted} is not a working Chromium (--version failed)`);
		return wanted;
	}
	return CANDIDATES.find((file) => browserVersion(file) !== undefined);
}

function aptInstall(log: Log): void {
	const hasApt = fs.existsSync('/usr/bin/apt-get');
	if (!hasApt) {
		throw new Error('No Chromium found and apt-get is not available: install Chromium or Chrome, or set CHROMIUM_PATH');
	}
	const isRoot = process.getuid?.() === 0;
	const sudo = isRoot ? [] : ['sudo', '-n'];
	const run = (args: string[]) => {
		const [cmd, ...rest] = [...sudo, ...args];
		execFileSync(cmd, rest, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	};
	log('[chromium] installing Debian\'s chromium package (apt-get, once; about a minute)...');
	run(['apt-get', 'update']);
	run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
}

/** A working headless-capable Chromium's path, installing Debian's package when there is none. */
export function ensureChromium(log: Log = (line) => process.stderr.write(`${line}\n`)): string {
	const found = findInstalled();
	if (found) return found;
	aptInstall(log);
	const installed = findInstalled();
	if (!installed) throw new Error('apt-get installed chromium, but no working browser was found at ' + CANDIDATES.join(', '));
	return installed;
}

if (require.main === module) {
	const file = ensureChromium();
	process.stdout.write(`${file}: ${browserVersion(file)}\n`);
}
