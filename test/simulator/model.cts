/**
 * Internal records of the simulated account. They are compact on purpose (50,000 devices must fit
 * cheaply); views.ts turns them into the API's JSON shapes. Tests may read and mutate them through
 * `sim.state`.
 */

export interface ProxySettingsRec {
	host?: string;
	password?: string;
	port?: number;
	type?: 'http' | 'socks4' | 'socks5';
	username?: string;
}

export interface VariableRec {
	id: number;
	name: string;
	value: string;
	masked: boolean;
}

export interface MailRecipientRec {
	name: string;
	email: string;
	type: string;
	receives: number;
	receivesReports: boolean;
	receivesNewDevices: boolean;
	receivesAlerts: boolean;
}

export interface SiteRec {
	id: number;
	uid: string;
	name: string;
	description?: string;
	notes?: string;
	onDemand: boolean;
	splashtopAutoInstall: boolean;
	proxy?: ProxySettingsRec;
	autotaskCompanyName?: string;
	autotaskCompanyId?: string;
	mailRecipients: MailRecipientRec[];
	variables: VariableRec[];
	/** Datto Networking network ids mapped to this site (DNet site mappings). */
	dnetNetworkIds: number[];
}

export type DeviceClass = 'device' | 'printer' | 'esxihost' | 'rmmnetworkdevice';

export interface DeviceRec {
	id: number;
	uid: string;
	siteUid: string;
	hostname: string;
	deviceClass: DeviceClass;
	category: string;
	type: string;
	operatingSystem: string;
	intIpAddress: string;
	extIpAddress: string;
	/** MAC addresses, lower-case hex without separators. */
	macs: string[];
	online: boolean;
	suspended: boolean;
	deleted: boolean;
	rebootRequired: boolean;
	a64Bit: boolean;
	snmpEnabled: boolean;
	domain: string;
	lastLoggedInUser: string;
	cagVersion: string;
	displayVersion: string;
	description?: string;
	lastSeen: number;
	lastReboot: number;
	lastAuditDate: number;
	creationDate: number;
	/** Only set UDFs are stored (sparse): key udf1..udf300. */
	udf: Record<string, string>;
	warrantyDate?: string;
	antivirusProduct: string;
	antivirusStatus: 'RunningAndUpToDate' | 'RunningAndNotUpToDate' | 'NotRunning' | 'NotDetected';
	patchStatus: 'NoPolicy' | 'NoData' | 'RebootRequired' | 'InstallError' | 'ApprovedPending' | 'FullyPatched';
	patchesApprovedPending: number;
	patchesNotApproved: number;
	patchesInstalled: number;
	softwareStatus: string;
	networkProbe: boolean;
	onboardedViaNetworkMonitor: boolean;
}

export type AlertPriority = 'Critical' | 'High' | 'Moderate' | 'Low' | 'Information';

export interface ResponseActionRec {
	actionTime: number;
	actionType: string;
	description: string;
	actionReference?: string;
	actionReferenceInt?: string;
}

export interface AlertRec {
	alertUid: string;
	deviceUid: string;
	priority: AlertPriority;
	diagnostics: string;
	resolved: boolean;
	resolvedBy?: string;
	resolvedOn?: number;
	muted: boolean;
	ticketNumber?: string;
	timestamp: number;
	/** Tagged by '@class' (antivirus_ctx, eventlog_ctx, ...). */
	context: Record<string, unknown> & { '@class': string };
	sendsEmails: boolean;
	createsTicket: boolean;
	responseActions: ResponseActionRec[];
	autoresolveMins: number;
}

export interface ComponentVariableRec {
	name: string;
	defaultVal: string;
	type: string;
	direction: boolean;
	description: string;
	variablesIdx: number;
}

export interface ComponentRec {
	id: number;
	uid: string;
	name: string;
	description: string;
	categoryCode: string;
	credentialsRequired: boolean;
	variables: ComponentVariableRec[];
	/** Simulation: what a run prints and whether it fails. */
	fails: boolean;
}

export interface JobRec {
	id: number;
	uid: string;
	name: string;
	createdAt: number;
	/** When the job turns 'completed' (createdAt + jobRunMs / timeScale). */
	completesAt: number;
	deviceUids: string[];
	componentUid: string;
	componentName: string;
	variables: { name: string; value: string }[];
	fails: boolean;
}

export interface FilterRec {
	id: number;
	name: string;
	description: string;
	type: 'rmm_default' | 'custom' | 'site';
	siteUid?: string;
	dateCreate: number;
	lastUpdated: number;
	match: (d: DeviceRec) => boolean;
}

export interface UserRec {
	id: number;
	username: string;
	firstName: string;
	lastName: string;
	email: string;
	telephone?: string;
	status: string;
	created: number;
	lastAccess?: number;
	disabled: boolean;
}

export interface ActivityRec {
	id: string;
	entity: 'DEVICE' | 'USER';
	category: string;
	action: string;
	/** Epoch milliseconds internally; the API shows epoch seconds (with a fraction). */
	dateMs: number;
	siteId?: number;
	siteName?: string;
	deviceId?: number;
	hostname?: string;
	userId?: number;
	details: Record<string, unknown>;
	hasStdOut: boolean;
	hasStdErr: boolean;
}

export interface AccountRec {
	id: number;
	uid: string;
	name: string;
	currency: string;
	billingEmail: string;
	deviceLimit: number;
	timeZone: string;
}

/** API credentials (key + secret) belonging to one user. */
export interface ApiCredential {
	key: string;
	secret: string;
	userName: string;
}
