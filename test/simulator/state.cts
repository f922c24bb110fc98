/**
 * The account's world: sites, devices, alerts, components, jobs, variables, filters, users and
 * activity logs. Routes read and write it; tests mutate it directly or through the helpers below
 * (also reachable over HTTP at POST /__sim/world).
 */
import type { DateForm } from './dates.cjs';
import { Rng } from './random.cjs';
import type {
	AccountRec,
	ActivityRec,
	AlertPriority,
	AlertRec,
	ApiCredential,
	ComponentRec,
	DeviceRec,
	FilterRec,
	JobRec,
	SiteRec,
	UserRec,
	VariableRec,
} from './model.cjs';

export interface DevicesStatusCounts {
	numberOfDevices: number;
	numberOfOnlineDevices: number;
	numberOfOfflineDevices: number;
}

export class SimulatorState {
	account!: AccountRec;
	sites: SiteRec[] = [];
	devices: DeviceRec[] = [];
	alerts: AlertRec[] = [];
	components: ComponentRec[] = [];
	jobs: JobRec[] = [];
	accountVariables: VariableRec[] = [];
	filters: FilterRec[] = [];
	users: UserRec[] = [];
	activities: ActivityRec[] = [];
	/** Leave absent values out instead of sending null (SimulatorOptions.compact). */
	compact = false;
	/** Form of the unconfirmed date fields (SimulatorOptions.unconfirmedDates); tests may switch it. */
	unconfirmedDates: DateForm = 'iso';
	/** API credentials accepted by the token endpoint (the demo user's first). */
	credentials: ApiCredential[] = [];

	/** Lookups; kept in sync by the add/remove helpers (tests that push directly call reindex()). */
	siteByUid = new Map<string, SiteRec>();
	deviceByUid = new Map<string, DeviceRec>();
	deviceById = new Map<number, DeviceRec>();
	alertByUid = new Map<string, AlertRec>();
	jobByUid = new Map<string, JobRec>();

	nextIds = { site: 1, device: 1, variable: 1, job: 1, filter: 1, user: 1, activity: 1 };
	/** Stream for things created at run time (uids of new sites, jobs, alerts). */
	rng: Rng;

	constructor(seed: number) {
		this.rng = Rng.derive(seed, 0xabc);
	}

	reindex(): void {
		this.siteByUid = new Map(this.sites.map((s) => [s.uid, s]));
		this.deviceByUid = new Map(this.devices.map((d) => [d.uid, d]));
		this.deviceById = new Map(this.devices.map((d) => [d.id, d]));
		this.alertByUid = new Map(this.alerts.map((a) => [a.alertUid, a]));
		this.jobByUid = new Map(this.jobs.map((j) => [j.uid, j]));
	}

	site(uid: string): SiteRec | undefined {
		return this.siteByUid.get(uid);
	}

	device(uid: string): DeviceRec | undefined {
		return this.deviceByUid.get(uid);
	}

	/** devicesStatus of every site in one pass (cheap even at 50,000 devices). */
	siteDeviceCounts(): Map<string, DevicesStatusCounts> {
		const out = new Map<string, DevicesStatusCounts>();
		for (const s of this.sites) out.set(s.uid, { numberOfDevices: 0, numberOfOnlineDevices: 0, numberOfOfflineDevices: 0 });
		for (const d of this.devices) {
			if (d.deleted) continue;
			const c = out.get(d.siteUid);
			if (!c) continue;
			c.numberOfDevices++;
			if (d.online) c.numberOfOnlineDevices++;
			else c.numberOfOfflineDevices++;
		}
		return out;
	}

	// ----- world hooks for tests -----

	addSite(fields: Partial<SiteRec> & { name: string }): SiteRec {
		const id = this.nextIds.site++;
		const site: SiteRec = {
			id,
			uid: this.rng.uuid(),
			onDemand: false,
			splashtopAutoInstall: false,
			mailRecipients: [],
			variables: [],
			dnetNetworkIds: [],
			...fields,
		};
		this.sites.push(site);
		this.siteByUid.set(site.uid, site);
		return site;
	}

	/** Add a device to a site (defaults: an online Windows desktop). */
	addDevice(fields: Partial<DeviceRec> & { siteUid?: string } = {}): DeviceRec {
		const id = this.nextIds.device++;
		const siteUid = fields.siteUid ?? this.sites[0].uid;
		const now = Date.now();
		const d: DeviceRec = {
			id,
			uid: this.rng.uuid(),
			siteUid,
			hostname: `NEW-PC-${id}`,
			deviceClass: 'device',
			category: 'Desktop',
			type: 'Desktop',
			operatingSystem: 'Microsoft Windows 11 Pro 10.0.22631',
			intIpAddress: `10.0.${(id >> 8) & 255}.${id & 255}`,
			extIpAddress: '203.0.113.10',
			macs: [macFor(id, 0)],
			online: true,
			suspended: false,
			deleted: false,
			rebootRequired: false,
			a64Bit: true,
			snmpEnabled: false,
			domain: 'WORKGROUP',
			lastLoggedInUser: 'user',
			cagVersion: '4.4.2200.2200',
			displayVersion: '4.4.2200',
			lastSeen: now,
			lastReboot: now - 3600_000,
			lastAuditDate: now - 600_000,
			creationDate: now,
			udf: {},
			antivirusProduct: 'Windows Defender',
			antivirusStatus: 'RunningAndUpToDate',
			patchStatus: 'FullyPatched',
			patchesApprovedPending: 0,
			patchesNotApproved: 0,
			patchesInstalled: 0,
			softwareStatus: 'Compliant',
			networkProbe: false,
			onboardedViaNetworkMonitor: false,
			...fields,
		};
		this.devices.push(d);
		this.deviceByUid.set(d.uid, d);
		this.deviceById.set(d.id, d);
		return d;
	}

	setDeviceOnline(deviceUid: string, online: boolean): DeviceRec | undefined {
		const d = this.device(deviceUid);
		if (d) {
			d.online = online;
			if (online) d.lastSeen = Date.now();
		}
		return d;
	}

	/** Told when an alert is raised or resolved (the simulator's webhooks listen: webhooks.cts). */
	onAlertChange?: (change: 'raised' | 'resolved', alert: AlertRec) => void;

	/** Open a new alert on a device (defaults: an offline alert, priority High). */
	openAlert(
		deviceUid: string,
		fields: Partial<AlertRec> & { priority?: AlertPriority } = {},
	): AlertRec {
		const a: AlertRec = {
			alertUid: this.rng.uuid(),
			deviceUid,
			priority: 'High',
			diagnostics: 'Device went offline',
			resolved: false,
			muted: false,
			timestamp: Date.now(),
			context: { '@class': 'online_offline_status_ctx', status: 'OFFLINE' },
			sendsEmails: false,
			createsTicket: false,
			responseActions: [],
			autoresolveMins: 0,
			...fields,
		};
		this.alerts.push(a);
		this.alertByUid.set(a.alertUid, a);
		this.onAlertChange?.('raised', a);
		return a;
	}

	resolveAlert(alertUid: string, by = 'API'): AlertRec | undefined {
		const a = this.alertByUid.get(alertUid);
		if (a && !a.resolved) {
			a.resolved = true;
			a.resolvedOn = Date.now();
			a.resolvedBy = by;
			this.onAlertChange?.('resolved', a);
		}
		return a;
	}

	/** Append an activity log entry dated now (or at `dateMs`). */
	addActivity(fields: Partial<ActivityRec> = {}): ActivityRec {
		const n = this.nextIds.activity++;
		const d = fields.deviceId !== undefined ? this.deviceById.get(fields.deviceId) : this.devices[0];
		const site = d ? this.site(d.siteUid) : this.sites[0];
		const entry: ActivityRec = {
			id: `${this.rng.hex(8)}-${n.toString(16).padStart(4, '0')}`,
			entity: 'DEVICE',
			category: 'device',
			action: 'note',
			dateMs: Date.now(),
			siteId: site?.id,
			siteName: site?.name,
			deviceId: d?.id,
			hostname: d?.hostname,
			details: { note: 'Added by test' },
			hasStdOut: false,
			hasStdErr: false,
			...fields,
		};
		// Keep the list sorted by date so cursor paging stays simple.
		let i = this.activities.length;
		while (i > 0 && this.activities[i - 1].dateMs > entry.dateMs) i--;
		this.activities.splice(i, 0, entry);
		return entry;
	}
}

/** Deterministic MAC for a device id and interface index (lower-case, no separators). */
export function macFor(deviceId: number, nic: number): string {
	const n = deviceId * 4 + nic;
	const bytes = [0x00, 0x1a, 0x2b, (n >> 16) & 255, (n >> 8) & 255, n & 255];
	return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Normalise a MAC given in any notation: strip ':', '-', '.' and lower-case. */
export function normaliseMac(mac: string): string {
	return mac.replace(/[:\-.]/g, '').toLowerCase();
}
