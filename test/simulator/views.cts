/**
 * Records → API JSON, in the live API's shape by default: null for every absent value, and
 * udf1..udf300 always present (`compact` leaves absent values out instead). Confirmed timestamps
 * (device, alert, user) go out as epoch-ms numbers, the live habit although the spec says date-time
 * strings; the other date fields go out in the form `unconfirmedDates` asks for (dates.cts).
 */
import type {
	AlertRec,
	ComponentRec,
	DeviceRec,
	FilterRec,
	JobRec,
	SiteRec,
	UserRec,
	VariableRec,
	ActivityRec,
} from './model.cjs';
import { CONTEXT_DATE_KEYS, renderDate } from './dates.cjs';
import type { DevicesStatusCounts, SimulatorState } from './state.cjs';

export const PORTAL = 'https://zinfandel.centrastage.net';

/** Absent values: sent as null (live), or left out when the simulator runs `compact`. */
function clean<T extends Record<string, unknown>>(st: SimulatorState, o: T): T {
	for (const k of Object.keys(o)) {
		if (o[k] !== undefined) continue;
		if (st.compact) delete o[k];
		else (o as Record<string, unknown>)[k] = null;
	}
	return o;
}

/** UDFs: udf1..udf300 with null for unset ones (live), or only the set ones (compact). */
function renderUdf(st: SimulatorState, udf: Record<string, string>): Record<string, string | null> {
	if (st.compact) return { ...udf };
	const out: Record<string, string | null> = {};
	for (let i = 1; i <= 300; i++) out[`udf${i}`] = udf[`udf${i}`] ?? null;
	return out;
}

export function renderSite(st: SimulatorState, s: SiteRec, counts?: DevicesStatusCounts): Record<string, unknown> {
	const c = counts ?? st.siteDeviceCounts().get(s.uid) ?? { numberOfDevices: 0, numberOfOnlineDevices: 0, numberOfOfflineDevices: 0 };
	return clean(st, {
		id: s.id,
		uid: s.uid,
		accountUid: st.account.uid,
		name: s.name,
		description: s.description,
		notes: s.notes,
		onDemand: s.onDemand,
		splashtopAutoInstall: s.splashtopAutoInstall,
		proxySettings: s.proxy ? renderProxy(st, s.proxy) : undefined,
		devicesStatus: { ...c },
		autotaskCompanyName: s.autotaskCompanyName,
		autotaskCompanyId: s.autotaskCompanyId,
		portalUrl: `${PORTAL}/csm/site/${s.id}`,
	});
}

/** Proxy passwords are write-only: never echoed back. */
export function renderProxy(st: SimulatorState, p: NonNullable<SiteRec['proxy']>): Record<string, unknown> {
	return clean(st, { host: p.host, port: p.port, type: p.type, username: p.username });
}

export function renderSiteSettings(st: SimulatorState, s: SiteRec): Record<string, unknown> {
	return clean(st, {
		generalSettings: clean(st, { name: s.name, uid: s.uid, description: s.description, onDemand: s.onDemand }),
		proxySettings: s.proxy ? renderProxy(st, s.proxy) : undefined,
		mailRecipients: s.mailRecipients.map((m) => ({ ...m })),
	});
}

/**
 * Masked variables: the live API does not reveal a masked value; it answers the variable with
 * value "*****" (the placeholder the web portal shows).
 */
export function renderVariable(v: VariableRec): Record<string, unknown> {
	return { id: v.id, name: v.name, value: v.masked ? '*****' : v.value, masked: v.masked };
}

/** The fields both device views start with, in the live API's order. */
function deviceIdentity(st: SimulatorState, d: DeviceRec): Record<string, unknown> {
	const s = st.siteByUid.get(d.siteUid);
	return {
		id: d.id,
		uid: d.uid,
		siteId: s?.id,
		siteUid: d.siteUid,
		siteName: s?.name,
		deviceType: { category: d.category, type: d.type },
		hostname: d.hostname,
		intIpAddress: d.intIpAddress,
	};
}

export function renderDevice(st: SimulatorState, d: DeviceRec): Record<string, unknown> {
	return clean(st, {
		...deviceIdentity(st, d),
		operatingSystem: d.operatingSystem,
		lastLoggedInUser: d.lastLoggedInUser,
		domain: d.domain,
		cagVersion: d.cagVersion,
		displayVersion: d.displayVersion,
		extIpAddress: d.extIpAddress,
		description: d.description,
		a64Bit: d.a64Bit,
		rebootRequired: d.rebootRequired,
		online: d.online,
		suspended: d.suspended,
		deleted: d.deleted,
		lastSeen: d.lastSeen,
		lastReboot: d.lastReboot,
		lastAuditDate: d.lastAuditDate,
		creationDate: d.creationDate,
		udf: renderUdf(st, d.udf),
		snmpEnabled: d.snmpEnabled,
		deviceClass: d.deviceClass,
		portalUrl: `${PORTAL}/csm/search?qs=uid%3A${d.uid}`,
		warrantyDate: d.warrantyDate,
		antivirus: { antivirusProduct: d.antivirusProduct, antivirusStatus: d.antivirusStatus },
		patchManagement: {
			patchStatus: d.patchStatus,
			patchesApprovedPending: d.patchesApprovedPending,
			patchesNotApproved: d.patchesNotApproved,
			patchesInstalled: d.patchesInstalled,
		},
		softwareStatus: d.softwareStatus,
		webRemoteUrl: `${PORTAL}/web-remote/#/${d.uid}`,
		networkProbe: d.networkProbe,
		onboardedViaNetworkMonitor: d.onboardedViaNetworkMonitor,
	});
}

export function formatMac(mac: string): string {
	return mac.match(/../g)!.join(':').toUpperCase();
}

export function renderNics(d: DeviceRec): Record<string, unknown>[] {
	return d.macs.map((m, i) => ({
		instance: i === 0 ? 'Ethernet' : `Wi-Fi ${i}`,
		ipv4: i === 0 ? d.intIpAddress : `192.168.1.${(d.id % 250) + 2}`,
		ipv6: `fe80::21a:2bff:fe${m.slice(6, 8)}:${m.slice(8, 12)}`,
		macAddress: formatMac(m),
		type: i === 0 ? 'Ethernet 802.3' : 'Wireless',
	}));
}

export function renderDeviceNetwork(st: SimulatorState, d: DeviceRec): Record<string, unknown> {
	return clean(st, {
		...deviceIdentity(st, d),
		extIpAddress: d.extIpAddress,
		nics: renderNics(d),
	});
}

/** An alert context with its date fields in the unconfirmed-date form. */
function renderContext(st: SimulatorState, context: AlertRec['context']): Record<string, unknown> {
	const out: Record<string, unknown> = { ...context };
	for (const k of CONTEXT_DATE_KEYS) if (typeof out[k] === 'number') out[k] = renderDate(st.unconfirmedDates, out[k] as number);
	return out;
}

export function renderAlert(st: SimulatorState, a: AlertRec): Record<string, unknown> {
	const d = st.deviceByUid.get(a.deviceUid);
	const s = d ? st.siteByUid.get(d.siteUid) : undefined;
	return clean(st, {
		alertUid: a.alertUid,
		priority: a.priority,
		diagnostics: a.diagnostics,
		resolved: a.resolved,
		resolvedBy: a.resolvedBy,
		resolvedOn: a.resolvedOn,
		muted: a.muted,
		ticketNumber: a.ticketNumber,
		timestamp: a.timestamp,
		alertMonitorInfo: { sendsEmails: a.sendsEmails, createsTicket: a.createsTicket },
		alertContext: renderContext(st, a.context),
		alertSourceInfo: clean(st, { deviceUid: a.deviceUid, deviceName: d?.hostname, siteUid: s?.uid, siteName: s?.name }),
		responseActions: a.responseActions.map((r) => clean(st, { ...r, actionTime: renderDate(st.unconfirmedDates, r.actionTime) })),
		autoresolveMins: a.autoresolveMins,
	});
}

export function renderComponent(c: ComponentRec): Record<string, unknown> {
	return {
		id: c.id,
		credentialsRequired: c.credentialsRequired,
		uid: c.uid,
		name: c.name,
		description: c.description,
		categoryCode: c.categoryCode,
		variables: c.variables.map((v) => ({ ...v })),
	};
}

export function jobStatus(j: JobRec, now = Date.now()): 'active' | 'completed' {
	return now >= j.completesAt ? 'completed' : 'active';
}

export function renderJob(st: SimulatorState, j: JobRec): Record<string, unknown> {
	return { id: j.id, dateCreated: renderDate(st.unconfirmedDates, j.createdAt), name: j.name, uid: j.uid, status: jobStatus(j) };
}

export function renderJobComponent(j: JobRec): Record<string, unknown> {
	return { uid: j.componentUid, name: j.componentName, variables: j.variables.map((v) => ({ ...v })) };
}

export function renderFilter(st: SimulatorState, f: FilterRec): Record<string, unknown> {
	const date = (ms: number) => renderDate(st.unconfirmedDates, ms);
	return { id: f.id, name: f.name, description: f.description, type: f.type, dateCreate: date(f.dateCreate), lastUpdated: date(f.lastUpdated) };
}

export function renderUser(st: SimulatorState, u: UserRec): Record<string, unknown> {
	return clean(st, {
		lastName: u.lastName,
		firstName: u.firstName,
		username: u.username,
		email: u.email,
		telephone: u.telephone,
		status: u.status,
		created: u.created,
		lastAccess: u.lastAccess,
		disabled: u.disabled,
	});
}

export function renderActivity(st: SimulatorState, a: ActivityRec): Record<string, unknown> {
	const u = a.userId !== undefined ? st.users.find((x) => x.id === a.userId) : undefined;
	return clean(st, {
		id: a.id,
		entity: a.entity,
		category: a.category,
		action: a.action,
		// Epoch seconds with the milliseconds as a fraction (live: 1689072497.714).
		date: a.dateMs / 1000,
		site: a.siteId !== undefined ? clean(st, { id: a.siteId, name: a.siteName }) : undefined,
		deviceId: a.deviceId,
		hostname: a.hostname,
		user: u ? { id: u.id, userName: u.username, firstName: u.firstName, lastName: u.lastName } : undefined,
		details: JSON.stringify(a.details),
		hasStdOut: a.hasStdOut,
		hasStdErr: a.hasStdErr,
	});
}
