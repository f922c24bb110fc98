/**
 * Deterministic generator of one Datto RMM account. The same seed and size give the same sites,
 * devices, alerts, ... (uids included), so tests can rely on them. Cheap enough for 50,000
 * devices: one sequential PRNG, compact records, audits and software generated on demand.
 */
import { ALERT_KINDS } from './alert-contexts.cjs';
import type {
	ActivityRec,
	AlertRec,
	ComponentRec,
	DeviceClass,
	DeviceRec,
	FilterRec,
	SiteRec,
	UserRec,
} from './model.cjs';
import { Rng } from './random.cjs';
import { SimulatorState, macFor } from './state.cjs';
import type { ResolvedOptions } from './types.cjs';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const SITE_NAMES = [
	'Head Office',
	'Acme Dental Group',
	'Brightwater Logistics',
	'Cedar Law Partners',
	'Delta Engineering',
	'Evergreen Medical Centre',
	'Fulton & Sons Accounting',
	'Greenfield School District',
	'Harbor View Hotel',
	'Ironclad Manufacturing',
	'Juniper Architects',
	'Keystone Insurance',
];

const FIRST = ['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Riley', 'Jamie', 'Avery', 'Quinn'];
const LAST = ['Smith', 'Jones', 'Garcia', 'Müller', 'Nguyen', "O'Brien", 'Kowalski', 'Dubois', 'Silva', 'Khan'];

interface Profile {
	cls: DeviceClass;
	category: string;
	type: string;
	code: string;
	os: readonly string[];
}

const PROFILES: { weight: number; p: Profile }[] = [
	{ weight: 40, p: { cls: 'device', category: 'Desktop', type: 'Desktop', code: 'DT', os: ['Microsoft Windows 11 Pro 10.0.22631', 'Microsoft Windows 10 Pro 10.0.19045', 'Microsoft Windows 11 Enterprise 10.0.26100', 'Ubuntu 22.04.4 LTS'] } },
	{ weight: 28, p: { cls: 'device', category: 'Laptop', type: 'Laptop', code: 'LT', os: ['Microsoft Windows 11 Pro 10.0.22631', 'Microsoft Windows 10 Pro 10.0.19045', 'macOS Sonoma 14.5', 'macOS Sequoia 15.1'] } },
	{ weight: 14, p: { cls: 'device', category: 'Server', type: 'Server', code: 'SRV', os: ['Microsoft Windows Server 2022 Standard 10.0.20348', 'Microsoft Windows Server 2019 Datacenter 10.0.17763', 'Ubuntu 22.04.4 LTS', 'Red Hat Enterprise Linux 9.3'] } },
	{ weight: 7, p: { cls: 'printer', category: 'Printer', type: 'Printer', code: 'PRN', os: ['HP ETHERNET MULTI-ENVIRONMENT', 'Brother NC-8300h'] } },
	{ weight: 4, p: { cls: 'esxihost', category: 'ESXi Host', type: 'ESXi Host', code: 'ESX', os: ['VMware ESXi 7.0.3 build-21930508', 'VMware ESXi 8.0.2 build-22380479'] } },
	{ weight: 7, p: { cls: 'rmmnetworkdevice', category: 'Network Device', type: 'Switch', code: 'NET', os: ['Cisco IOS 15.2', 'Ubiquiti UniFi 7.0', 'FortiOS 7.2.8'] } },
];
const TOTAL_WEIGHT = PROFILES.reduce((a, b) => a + b.weight, 0);

function pickProfile(r: Rng): Profile {
	let x = r.next() * TOTAL_WEIGHT;
	for (const { weight, p } of PROFILES) {
		if ((x -= weight) < 0) return p;
	}
	return PROFILES[0].p;
}

function sitePrefix(name: string): string {
	const words = name.replace(/[^A-Za-z ]/g, '').split(/\s+/).filter(Boolean);
	return words.map((w) => w[0].toUpperCase()).join('').slice(0, 4) || 'SITE';
}

function ymd(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

export function generateAccount(opts: ResolvedOptions, now = Date.now()): SimulatorState {
	const r = new Rng(opts.seed);
	const st = new SimulatorState(opts.seed);
	st.compact = opts.compact;
	st.unconfirmedDates = opts.unconfirmedDates;
	const size = opts.size;

	st.account = {
		id: 1000 + r.int(1, 8999),
		uid: r.hex(8),
		name: 'Demo MSP Ltd',
		currency: 'USD',
		billingEmail: 'billing@demo-msp.example',
		deviceLimit: Math.max(500, Math.ceil((size.devices * 1.5) / 100) * 100),
		timeZone: 'Europe/London',
	};

	// Users: the demo API user first.
	const users: UserRec[] = [];
	for (let i = 0; i < 6; i++) {
		const first = i === 0 ? 'Demo' : FIRST[(i * 3) % FIRST.length];
		const last = i === 0 ? 'Api' : LAST[(i * 7) % LAST.length];
		users.push({
			id: st.nextIds.user++,
			username: i === 0 ? 'demo.api' : `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}`,
			firstName: first,
			lastName: last,
			email: `${first.toLowerCase()}@demo-msp.example`,
			telephone: i % 2 === 0 ? `+44 20 7946 0${100 + i}` : undefined,
			status: i === 5 ? 'Disabled' : 'Active',
			created: now - r.int(100, 900) * DAY,
			lastAccess: i === 5 ? undefined : now - r.int(0, 72) * HOUR,
			disabled: i === 5,
		});
	}
	st.users = users;
	st.credentials = [{ key: opts.apiKey, secret: opts.apiSecret, userName: users[0].username }];

	// Sites.
	for (let i = 0; i < size.sites; i++) {
		const name = i < SITE_NAMES.length ? SITE_NAMES[i] : `Client Site ${i + 1}`;
		const site: SiteRec = {
			id: st.nextIds.site++,
			uid: r.uuid(),
			name,
			description: i % 3 === 0 ? `${name} managed endpoints` : undefined,
			notes: i % 4 === 1 ? 'After-hours contact: on-call engineer' : undefined,
			onDemand: i % 7 === 6,
			splashtopAutoInstall: i % 2 === 0,
			proxy: i % 5 === 2 ? { host: 'proxy.internal', port: 3128, type: 'http', username: 'proxyuser' } : undefined,
			autotaskCompanyName: i % 2 === 1 ? name : undefined,
			autotaskCompanyId: i % 2 === 1 ? String(29683000 + i) : undefined,
			mailRecipients:
				i % 2 === 0
					? [{ name: 'Service Desk', email: 'servicedesk@demo-msp.example', type: 'Email', receives: 7, receivesReports: true, receivesNewDevices: true, receivesAlerts: true }]
					: [],
			variables: [],
			dnetNetworkIds: i % 3 === 0 ? [40000 + i * 10, 40001 + i * 10] : [],
		};
		const nVars = i % 4;
		for (let v = 0; v < nVars; v++) {
			site.variables.push({
				id: st.nextIds.variable++,
				name: ['SiteCode', 'BackupTarget', 'LocalAdminPassword'][v] ?? `Var${v}`,
				value: [`S${100 + i}`, `\\\\nas-${i}\\backup`, `Pw-${r.hex(10)}`][v] ?? 'x',
				masked: v === 2,
			});
		}
		st.sites.push(site);
	}
	if (st.sites.length === 0) throw new Error('simulator needs at least one site');

	// Devices: skewed over sites (the first sites are bigger), ~80% online.
	const weights = st.sites.map((_, i) => 1 / (i + 1.5));
	const wsum = weights.reduce((a, b) => a + b, 0);
	const cumulative: number[] = [];
	weights.reduce((acc, w, i) => (cumulative[i] = acc + w / wsum), 0);
	const counters = new Map<string, number>();
	const prefixes = st.sites.map((s) => sitePrefix(s.name));
	for (let i = 0; i < size.devices; i++) {
		let si = 0;
		const x = r.next();
		while (si < cumulative.length - 1 && x > cumulative[si]) si++;
		// Make sure every site has at least one device when there are enough devices.
		if (i < st.sites.length && size.devices >= st.sites.length * 2) si = i;
		const site = st.sites[si];
		const p = pickProfile(r);
		const id = st.nextIds.device++;
		const prefix = prefixes[si];
		const n = (counters.get(prefix + p.code) ?? 0) + 1;
		counters.set(prefix + p.code, n);
		const online = r.bool(0.8);
		const created = now - r.int(30, 1200) * DAY;
		const lastSeen = online ? now - r.int(0, 5 * 60) * 1000 : now - r.int(1, 24 * 30) * HOUR;
		const isWin = p.os[0].startsWith('Microsoft');
		const os = r.pick(p.os);
		const patch = r.pick(['FullyPatched', 'FullyPatched', 'ApprovedPending', 'RebootRequired', 'InstallError', 'NoPolicy'] as const);
		const d: DeviceRec = {
			id,
			uid: r.uuid(),
			siteUid: site.uid,
			hostname: `${prefix}-${p.code}${String(n).padStart(3, '0')}`,
			deviceClass: p.cls,
			category: p.category,
			type: p.cls === 'rmmnetworkdevice' ? r.pick(['Switch', 'Router', 'Firewall', 'Access Point']) : p.type,
			operatingSystem: os,
			intIpAddress: `10.${si % 256}.${(id >> 8) & 255}.${id & 255}`,
			extIpAddress: `203.0.113.${(si * 7) % 250 + 1}`,
			macs: p.cls === 'device' && r.bool(0.3) ? [macFor(id, 0), macFor(id, 1)] : [macFor(id, 0)],
			online,
			suspended: false,
			deleted: false,
			rebootRequired: patch === 'RebootRequired',
			a64Bit: p.cls === 'device' ? r.bool(0.95) : false,
			snmpEnabled: p.cls !== 'device',
			domain: isWin ? r.pick(['CORP', 'WORKGROUP', site.name.split(' ')[0].toUpperCase()]) : '',
			lastLoggedInUser: p.cls === 'device' ? `${r.pick(FIRST).toLowerCase()}.${r.pick(LAST).toLowerCase().replace(/[^a-z]/g, '')}` : '',
			cagVersion: '4.4.2200.2200',
			displayVersion: r.pick(['4.4.2200', '4.4.2190', '4.3.2100']),
			description: r.bool(0.2) ? `Assigned to ${r.pick(FIRST)}` : undefined,
			lastSeen,
			lastReboot: lastSeen - r.int(1, 240) * HOUR,
			lastAuditDate: lastSeen - r.int(0, 24) * HOUR,
			creationDate: created,
			udf: {},
			warrantyDate: r.bool(0.5) ? ymd(now + r.int(-400, 1000) * DAY) : undefined,
			antivirusProduct: p.cls === 'device' ? r.pick(['Windows Defender', 'Datto AV', 'Sophos Endpoint']) : '',
			antivirusStatus: p.cls === 'device' ? r.pick(['RunningAndUpToDate', 'RunningAndUpToDate', 'RunningAndNotUpToDate', 'NotRunning'] as const) : 'NotDetected',
			patchStatus: p.cls === 'device' ? patch : 'NoData',
			patchesApprovedPending: p.cls === 'device' ? r.int(0, 12) : 0,
			patchesNotApproved: p.cls === 'device' ? r.int(0, 30) : 0,
			patchesInstalled: p.cls === 'device' ? r.int(20, 400) : 0,
			softwareStatus: p.cls === 'device' ? r.pick(['Compliant', 'Compliant', 'Not Compliant']) : '',
			networkProbe: p.cls === 'device' && r.bool(0.02),
			onboardedViaNetworkMonitor: p.cls === 'rmmnetworkdevice',
		};
		if (r.bool(0.6)) d.udf.udf1 = `ASSET-${String(id).padStart(6, '0')}`;
		if (r.bool(0.3)) d.udf.udf2 = r.pick(['Finance', 'Sales', 'IT', 'Operations']);
		if (r.bool(0.05)) d.udf.udf45 = 'legacy-field';
		st.devices.push(d);
	}

	// Components (scripts) for quick jobs.
	const COMPONENTS: [string, string, string[]][] = [
		['Restart Print Spooler', 'scripts', []],
		['Clear Temp Files', 'scripts', ['MinAgeDays']],
		['Install 7-Zip', 'applications', ['Version']],
		['Collect Event Logs', 'scripts', ['LogName', 'Hours']],
		['Windows Update - Install All', 'scripts', ['RebootAfter']],
		['Run Failing Diagnostic', 'scripts', ['Mode']],
		['Check Disk Health', 'monitors', []],
		['Reset Local Admin Password', 'scripts', ['NewPassword']],
	];
	for (let i = 0; i < size.components; i++) {
		const [name, cat, vars] = COMPONENTS[i % COMPONENTS.length];
		const c: ComponentRec = {
			id: 5000 + i,
			uid: r.uuid(),
			name: i < COMPONENTS.length ? name : `${name} v${Math.floor(i / COMPONENTS.length) + 1}`,
			description: `${name} (simulated component)`,
			categoryCode: cat,
			credentialsRequired: name.startsWith('Reset'),
			variables: vars.map((v, idx) => ({
				name: v,
				defaultVal: v === 'RebootAfter' ? 'false' : v === 'Hours' ? '24' : '',
				type: v === 'RebootAfter' ? 'Boolean' : 'String',
				direction: false,
				description: `${v} parameter`,
				variablesIdx: idx,
			})),
			fails: name.startsWith('Run Failing'),
		};
		st.components.push(c);
	}

	// Account variables (some masked).
	const accVars: [string, string, boolean][] = [
		['CompanyName', 'Demo MSP Ltd', false],
		['SupportPhone', '+44 20 7946 0000', false],
		['DomainAdminPassword', `Pw-${r.hex(12)}`, true],
		['BackupServer', 'backup01.demo-msp.example', false],
		['LicenseKey', `LK-${r.hex(16).toUpperCase()}`, true],
		['ReportRecipients', 'reports@demo-msp.example', false],
	];
	for (const [name, value, masked] of accVars) st.accountVariables.push({ id: st.nextIds.variable++, name, value, masked });

	// Device filters: defaults, custom, and one per site.
	const f = (name: string, description: string, type: FilterRec['type'], match: FilterRec['match'], siteUid?: string): void => {
		const created = now - r.int(60, 900) * DAY;
		st.filters.push({ id: st.nextIds.filter++, name, description, type, siteUid, dateCreate: created, lastUpdated: created + r.int(0, 50) * DAY, match });
	};
	f('All Windows Devices', 'Devices running Microsoft Windows', 'rmm_default', (d) => d.operatingSystem.startsWith('Microsoft Windows'));
	f('All Servers', 'Devices of type Server', 'rmm_default', (d) => d.category === 'Server');
	f('Online Devices', 'Devices currently online', 'rmm_default', (d) => d.online);
	f('Offline Devices', 'Devices currently offline', 'rmm_default', (d) => !d.online);
	f('Reboot Required', 'Devices that need a reboot', 'rmm_default', (d) => d.rebootRequired);
	f('All Printers', 'Printers', 'rmm_default', (d) => d.deviceClass === 'printer');
	f('All macOS Devices', 'Apple macOS devices', 'rmm_default', (d) => d.operatingSystem.startsWith('macOS'));
	f('Laptops', 'All laptops (custom)', 'custom', (d) => d.category === 'Laptop');
	f('Patch problems', 'Install errors or pending approvals', 'custom', (d) => d.patchStatus === 'InstallError' || d.patchStatus === 'ApprovedPending');
	f('Finance devices', 'Devices with udf2 = Finance', 'custom', (d) => d.udf.udf2 === 'Finance');
	for (const s of st.sites) {
		const uid = s.uid;
		f(`${s.name}: servers`, `Servers at ${s.name}`, 'site', (d) => d.siteUid === uid && d.category === 'Server', uid);
	}

	for (const s of st.sites) st.siteByUid.set(s.uid, s);
	for (const d of st.devices) {
		st.deviceByUid.set(d.uid, d);
		st.deviceById.set(d.id, d);
	}

	// Alerts: open ones over the last 7 days, resolved ones over the last 30.
	const alertTargets = st.devices.filter((d) => d.deviceClass === 'device');
	const pool = alertTargets.length > 0 ? alertTargets : st.devices;
	const makeAlert = (resolved: boolean): AlertRec => {
		const d = pool[Math.floor(r.next() * pool.length)];
		const kind = d.online ? ALERT_KINDS[1 + Math.floor(r.next() * (ALERT_KINDS.length - 1))] : ALERT_KINDS[0];
		const { context, diagnostics } = kind.make(r);
		const ts = resolved ? now - r.int(60, 30 * 24 * 60) * MIN : now - r.int(1, 7 * 24 * 60) * MIN;
		Object.assign(context, kind.times?.(ts));
		const emails = r.bool(0.5);
		const ticket = r.bool(0.2);
		const a: AlertRec = {
			alertUid: r.uuid(),
			deviceUid: d.uid,
			priority: r.pick(kind.priority),
			diagnostics,
			resolved,
			muted: r.bool(0.05),
			ticketNumber: ticket ? `T${ymd(ts).replace(/-/g, '')}.${String(r.int(1, 999)).padStart(4, '0')}` : undefined,
			timestamp: ts,
			context: { '@class': kind.tag, ...context },
			sendsEmails: emails,
			createsTicket: ticket,
			responseActions: emails ? [{ actionTime: ts + 2000, actionType: 'EMAIL_SENT', description: 'Alert e-mail sent to servicedesk@demo-msp.example' }] : [],
			autoresolveMins: kind.tag === 'online_offline_status_ctx' ? 0 : r.pick([0, 60, 1440]),
		};
		if (resolved) {
			a.resolvedOn = Math.min(now - 1000, ts + r.int(5, 3000) * MIN);
			a.resolvedBy = r.pick(['demo.api', 'sam.garcia', 'Auto-resolved']);
		}
		return a;
	};
	const all: AlertRec[] = [];
	for (let i = 0; i < size.openAlerts; i++) all.push(makeAlert(false));
	for (let i = 0; i < size.resolvedAlerts; i++) all.push(makeAlert(true));
	// Stored oldest first, like database ids: new alerts append at the end.
	all.sort((a, b) => a.timestamp - b.timestamp);
	st.alerts = all;

	// A few historical jobs (completed) so job endpoints have data from the start.
	const jobDevices = pool.slice(0, 3);
	for (let i = 0; i < Math.min(3, jobDevices.length, st.components.length); i++) {
		const c = st.components[i];
		const created = now - (i + 1) * DAY;
		st.jobs.push({
			id: st.nextIds.job++,
			uid: r.uuid(),
			name: `${c.name} (scheduled run ${i + 1})`,
			createdAt: created,
			completesAt: created + 90_000,
			deviceUids: [jobDevices[i].uid],
			componentUid: c.uid,
			componentName: c.name,
			variables: c.variables.map((v) => ({ name: v.name, value: v.defaultVal })),
			fails: c.fails,
		});
	}

	// Activity log: spread over 7 days, with a handful inside the last 15 minutes.
	const acts: ActivityRec[] = [];
	const recent = Math.min(size.activities, Math.max(5, Math.floor(size.activities / 20)));
	for (let i = 0; i < size.activities; i++) {
		const dateMs = i < recent ? now - r.int(5, 14 * 60) * 1000 : now - r.int(15 * 60, 7 * 24 * 3600) * 1000;
		const d = st.devices[Math.floor(r.next() * st.devices.length)];
		const s = st.siteByUid.get(d.siteUid)!;
		const u = users[r.int(0, users.length - 2)];
		const kind = r.int(0, 5);
		let entry: Omit<ActivityRec, 'id' | 'dateMs'>;
		if (kind <= 2) {
			const c = st.components[r.int(0, Math.max(0, st.components.length - 1))];
			entry = {
				entity: 'DEVICE', category: 'job', action: r.pick(['deployment', 'create']),
				siteId: s.id, siteName: s.name, deviceId: d.id, hostname: d.hostname, userId: u.id,
				details: { 'job.name': c?.name ?? 'Job', 'job.uid': r.uuid(), 'job.status': r.pick(['success', 'failure']) },
				hasStdOut: true, hasStdErr: r.bool(0.2),
			};
		} else if (kind === 3) {
			entry = {
				entity: 'DEVICE', category: 'device', action: r.pick(['note', 'move.device', 'udf.update']),
				siteId: s.id, siteName: s.name, deviceId: d.id, hostname: d.hostname, userId: u.id,
				details: { 'device.hostname': d.hostname, note: 'Checked by technician' }, hasStdOut: false, hasStdErr: false,
			};
		} else if (kind === 4) {
			entry = {
				entity: 'DEVICE', category: 'remote', action: r.pick(['session.start', 'session.end']),
				siteId: s.id, siteName: s.name, deviceId: d.id, hostname: d.hostname, userId: u.id,
				details: { 'remote.tool': r.pick(['Web Remote', 'Splashtop']) }, hasStdOut: false, hasStdErr: false,
			};
		} else {
			entry = {
				entity: 'USER', category: 'user', action: r.pick(['login', 'logout', 'api.key.generate']),
				userId: u.id, details: { 'user.username': u.username, ip: `198.51.100.${r.int(1, 250)}` },
				hasStdOut: false, hasStdErr: false,
			};
		}
		acts.push({ id: `${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`, dateMs, ...entry });
	}
	acts.sort((a, b) => a.dateMs - b.dateMs || (a.id < b.id ? -1 : 1));
	st.activities = acts;
	st.nextIds.activity = acts.length + 1;

	st.alertByUid = new Map(st.alerts.map((a) => [a.alertUid, a]));
	st.jobByUid = new Map(st.jobs.map((j) => [j.uid, j]));
	return st;
}
