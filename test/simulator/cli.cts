/**
 * `npm run simulator` — run the Datto RMM simulator until Ctrl-C.
 *   --port N (or env DATTO_SIM_PORT; default 8787)   --host H (default 127.0.0.1)
 *   --seed N   --devices N   --time-scale N   --page-size N   --no-rate-limit
 *   Live shapes by default; for the friendlier forms tests may ask for:
 *   --compact (absent values left out, only set UDFs)   --keep-filters (next-page links keep filters)
 *   --unconfirmed-dates iso|epochMs (or env DATTO_SIM_UNCONFIRMED_DATES; dates whose live form is
 *   unknown; default iso, as the spec says)
 *   --webhook-url URL (or env DATTO_SIM_WEBHOOK_URL): send alert webhooks there (webhooks.cts)
 */
import { DATE_FORM_ENV, DattoSimulator, parseDateForm, type SimulatorOptions } from './index.cjs';

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
	const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
	return eq?.slice(name.length + 3);
}

function num(name: string): number | undefined {
	const v = arg(name);
	if (v === undefined) return undefined;
	const n = Number(v);
	if (!Number.isFinite(n)) throw new Error(`--${name} needs a number, got '${v}'`);
	return n;
}

async function main(): Promise<void> {
	const opts: SimulatorOptions = {
		host: arg('host') ?? '127.0.0.1',
		port: num('port') ?? (process.env.DATTO_SIM_PORT ? Number(process.env.DATTO_SIM_PORT) : 8787),
		seed: num('seed'),
		timeScale: num('time-scale'),
		pageSize: num('page-size'),
		size: num('devices') !== undefined ? { devices: num('devices') } : undefined,
		rateLimit: process.argv.includes('--no-rate-limit') ? { enabled: false } : undefined,
		compact: process.argv.includes('--compact'),
		keepFiltersInNextPageUrl: process.argv.includes('--keep-filters'),
		unconfirmedDates: parseDateForm(arg('unconfirmed-dates'), '--unconfirmed-dates') ?? parseDateForm(process.env[DATE_FORM_ENV], DATE_FORM_ENV),
		webhooks: { url: arg('webhook-url') ?? process.env.DATTO_SIM_WEBHOOK_URL },
	};
	const sim = await DattoSimulator.start(opts);
	const s = sim.state;
	const lines = [
		`Datto RMM simulator listening on ${sim.url}`,
		`  API base:        ${sim.url}/api   (e.g. GET ${sim.url}/api/v2/account/devices)`,
		`  Token endpoint:  POST ${sim.url}/auth/oauth/token`,
		`  API key:         ${sim.apiKey}`,
		`  API secret:      ${sim.apiSecret}`,
		`  Account:         ${s.account.name}: ${s.sites.length} sites, ${s.devices.length} devices, ${s.alerts.filter((a) => !a.resolved).length} open alerts`,
		`  Shapes:          ${sim.describeShapes()}`,
		'',
		'In n8n: create a "Datto RMM API" credential, choose Platform "Custom URL", set Base URL to',
		`  ${sim.url} (the server root, no /api), and enter the key and secret above.`,
		'',
		`Control API (loopback, no auth): GET ${sim.url}/__sim/stats, POST /__sim/expire-tokens, /__sim/faults, /__sim/reset-counters, /__sim/world`,
		'Ctrl-C to stop.',
	];
	console.log(lines.join('\n'));
	const stop = (): void => {
		console.log('\nStopping simulator…');
		sim.close().then(() => process.exit(0), () => process.exit(1));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});
