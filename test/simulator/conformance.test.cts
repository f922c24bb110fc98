/**
 * Conformance: every operation of Datto's spec (enumerated from the spec file, so a missing route
 * fails) is called with valid inputs from the seeded account, and its success body is validated
 * against the spec's schema for that operation (with only the documented live deviations, see
 * spec-check.ts). Request bodies we send are validated against the spec's request schemas too.
 * It runs twice: on the default live shapes (nulls, ISO strings for the unconfirmed dates), and on
 * the compact form with epoch-ms dates, each validated for exactly its own deviations. Skipped, with
 * the reason, where Datto's spec cannot be had (test/specs.cts).
 */
import { DattoSimulator } from './index.cjs';
import { SimClient } from './client.cjs';
import type { AlertRec, DeviceRec, SiteRec } from './model.cjs';
import { SpecValidator } from './spec-check.cjs';
import { describeWithSpecs } from '../specs.cjs';

interface Plan {
	path: string;
	body?: unknown;
	status?: number;
	/** mute/unmute: dead on the live API. */
	dead?: boolean;
	/** Wrapper key whose array must not be empty (so the schema check is meaningful). */
	nonEmpty?: string;
}

let sim: DattoSimulator;
let client: SimClient;
let site: SiteRec; // a site with variables and devices
let otherSite: SiteRec;
let device: DeviceRec; // generic device with open alerts
let printer: DeviceRec;
let esxi: DeviceRec;
let openAlert: AlertRec;
let resolvedAlert: AlertRec;

function fixtures(): void {
	const st = sim.state;
	openAlert = st.alerts.find((a) => !a.resolved && st.device(a.deviceUid)?.deviceClass === 'device')!;
	resolvedAlert = st.alerts.find((a) => a.resolved)!;
	device = st.device(openAlert.deviceUid)!;
	site = st.site(device.siteUid)!;
	if (site.variables.length === 0) site.variables.push({ id: st.nextIds.variable++, name: 'Seeded', value: 'v', masked: false });
	otherSite = st.sites.find((s) => s.uid !== site.uid)!;
	printer = st.devices.find((d) => d.deviceClass === 'printer')!;
	esxi = st.devices.find((d) => d.deviceClass === 'esxihost')!;
}

const lastGenericDevice = (): DeviceRec => [...sim.state.devices].reverse().find((d) => d.deviceClass === 'device')!;
const addSiteVar = (): number => {
	const id = sim.state.nextIds.variable++;
	site.variables.push({ id, name: `Tmp${id}`, value: 'x', masked: false });
	return id;
};
const addAccountVar = (): number => {
	const id = sim.state.nextIds.variable++;
	sim.state.accountVariables.push({ id, name: `Tmp${id}`, value: 'x', masked: false });
	return id;
};
const isoSecondsAgo = (s: number): string => new Date(Date.now() - s * 1000).toISOString().slice(0, 19) + 'Z';

/** One valid call per operationId. */
const PLANS: Record<string, () => Plan> = {
	// --- account ---
	getUserAccount: () => ({ path: '/v2/account' }),
	getAccountVariables: () => ({ path: '/v2/account/variables', nonEmpty: 'variables' }),
	getUsers: () => ({ path: '/v2/account/users', nonEmpty: 'users' }),
	getSites: () => ({ path: '/v2/account/sites', nonEmpty: 'sites' }),
	getDnetSiteMappings: () => ({ path: '/v2/account/dnet-site-mappings', nonEmpty: 'dnetSiteMappings' }),
	getUserAccountDevices: () => ({ path: '/v2/account/devices', nonEmpty: 'devices' }),
	getComponents: () => ({ path: '/v2/account/components', nonEmpty: 'components' }),
	getUserAccountOpenAlerts: () => ({ path: '/v2/account/alerts/open', nonEmpty: 'alerts' }),
	getUserAccountClosedAlerts: () => ({ path: '/v2/account/alerts/resolved', nonEmpty: 'alerts' }),
	createAccountVariable: () => ({ path: '/v2/account/variable', body: { name: 'ConformanceVar', value: 's3cr3t', masked: true } }),
	updateAccountVariable: () => ({ path: `/v2/account/variable/${addAccountVar()}`, body: { name: 'RenamedVar', value: 'new value' } }),
	deleteAccountVariable: () => ({ path: `/v2/account/variable/${addAccountVar()}` }),
	resetApiKeys: () => ({ path: '/v2/user/resetApiKeys' }),
	// --- system ---
	getStatus: () => ({ path: '/v2/system/status' }),
	get: () => ({ path: '/v2/system/request_rate' }),
	getPaginationConfigurations: () => ({ path: '/v2/system/pagination' }),
	// --- sites ---
	create: () => ({
		path: '/v2/site',
		body: { name: 'Conformance Site', description: 'created by the conformance test', notes: 'n', onDemand: false, splashtopAutoInstall: true, proxySettings: { host: 'proxy.example', port: 8080, type: 'http', username: 'u', password: 'p' } },
	}),
	getSite: () => ({ path: `/v2/site/${site.uid}` }),
	update: () => ({ path: `/v2/site/${otherSite.uid}`, body: { name: `${otherSite.name} (renamed)`, description: 'updated', onDemand: false, splashtopAutoInstall: false } }),
	getSiteSettings: () => ({ path: `/v2/site/${site.uid}/settings` }),
	updateProxy: () => ({ path: `/v2/site/${otherSite.uid}/settings/proxy`, body: { host: 'proxy.local', port: 3128, type: 'socks5', username: 'user', password: 'pw' } }),
	deleteProxy: () => {
		site.proxy = { host: 'to-delete.local', port: 8080, type: 'http' };
		return { path: `/v2/site/${site.uid}/settings/proxy` };
	},
	getSiteVariables: () => ({ path: `/v2/site/${site.uid}/variables`, nonEmpty: 'variables' }),
	createSiteVariable: () => ({ path: `/v2/site/${site.uid}/variable`, body: { name: 'SiteConformanceVar', value: 'x', masked: false } }),
	updateSiteVariable: () => ({ path: `/v2/site/${site.uid}/variable/${addSiteVar()}`, body: { name: 'SiteVarRenamed', value: 'y' } }),
	deleteSiteVariable: () => ({ path: `/v2/site/${site.uid}/variable/${addSiteVar()}` }),
	getSiteDeviceFilters: () => ({ path: `/v2/site/${site.uid}/filters`, nonEmpty: 'filters' }),
	getSiteDevices: () => ({ path: `/v2/site/${site.uid}/devices`, nonEmpty: 'devices' }),
	getSiteDevicesWithNetworkInterface: () => ({ path: `/v2/site/${site.uid}/devices/network-interface`, nonEmpty: 'devices' }),
	getSiteOpenAlerts: () => ({ path: `/v2/site/${site.uid}/alerts/open`, nonEmpty: 'alerts' }),
	getSiteResolvedAlerts: () => ({ path: `/v2/site/${sim.state.device(resolvedAlert.deviceUid)!.siteUid}/alerts/resolved`, nonEmpty: 'alerts' }),
	// --- devices ---
	getByUid: () => ({ path: `/v2/device/${device.uid}` }),
	getById: () => ({ path: `/v2/device/id/${device.id}` }),
	getByMacAddress: () => ({ path: `/v2/device/macAddress/${device.macs[0].toUpperCase()}` }),
	getDeviceOpenAlerts: () => ({ path: `/v2/device/${device.uid}/alerts/open`, nonEmpty: 'alerts' }),
	getDeviceResolvedAlerts: () => ({ path: `/v2/device/${resolvedAlert.deviceUid}/alerts/resolved`, nonEmpty: 'alerts' }),
	moveDevice: () => ({ path: `/v2/device/${lastGenericDevice().uid}/site/${otherSite.uid}` }),
	setUdfFields: () => ({ path: `/v2/device/${device.uid}/udf`, body: { udf1: 'conformance', udf250: 'high udf' } }),
	setWarrantyData: () => ({ path: `/v2/device/${device.uid}/warranty`, body: { warrantyDate: '2027-03-31' } }),
	// --- audits ---
	getDeviceAudit: () => ({ path: `/v2/audit/device/${device.uid}` }),
	getDeviceAuditSoftware: () => ({ path: `/v2/audit/device/${device.uid}/software`, nonEmpty: 'software' }),
	getDeviceAuditByMacAddress: () => ({ path: `/v2/audit/device/macAddress/${device.macs[0]}` }),
	getPrinterAudit: () => ({ path: `/v2/audit/printer/${printer.uid}` }),
	getEsxiHostAudit: () => ({ path: `/v2/audit/esxihost/${esxi.uid}` }),
	// --- alerts ---
	getAlert: () => ({ path: `/v2/alert/${openAlert.alertUid}` }),
	resolveAlert: () => ({ path: `/v2/alert/${sim.state.alerts.filter((a) => !a.resolved).slice(-1)[0].alertUid}/resolve` }),
	muteAlert: () => ({ path: `/v2/alert/${openAlert.alertUid}/mute`, status: 404, dead: true }),
	unmuteAlert: () => ({ path: `/v2/alert/${openAlert.alertUid}/unmute`, status: 404, dead: true }),
	// --- jobs (a seeded, completed job) ---
	createQuickJob: () => {
		const c = sim.state.components.find((x) => x.variables.length > 0)!;
		return { path: `/v2/device/${device.uid}/quickjob`, body: { jobName: 'Conformance job', jobComponent: { componentUid: c.uid, variables: [{ name: c.variables[0].name, value: '7' }] } } };
	},
	get_1: () => ({ path: `/v2/job/${sim.state.jobs[0].uid}` }),
	getJobComponents: () => ({ path: `/v2/job/${sim.state.jobs[0].uid}/components`, nonEmpty: 'jobComponents' }),
	getJobResults: () => ({ path: `/v2/job/${sim.state.jobs[0].uid}/results/${sim.state.jobs[0].deviceUids[0]}` }),
	getStdOut: () => ({ path: `/v2/job/${sim.state.jobs[0].uid}/results/${sim.state.jobs[0].deviceUids[0]}/stdout` }),
	getStdErr: () => ({ path: `/v2/job/${sim.state.jobs[0].uid}/results/${sim.state.jobs[0].deviceUids[0]}/stderr` }),
	// --- filters ---
	getDefaultsFilters: () => ({ path: '/v2/filter/default-filters', nonEmpty: 'filters' }),
	getCustomFilters: () => ({ path: '/v2/filter/custom-filters', nonEmpty: 'filters' }),
	// --- activity logs ---
	getActivities: () => ({ path: `/v2/activity-logs?from=${isoSecondsAgo(8 * 86400)}&size=200`, nonEmpty: 'activities' }),
};

function templateMatches(template: string, p: string): boolean {
	const re = new RegExp('^' + template.replace(/\{\w+\}/g, '[^/]+') + '$');
	return re.test(p.split('?')[0]);
}

describeWithSpecs('current', "the simulator against Datto's spec", () => {
	/** Live shapes: nulls allowed, unconfirmed dates as ISO strings (the simulator's defaults). */
	const validator = new SpecValidator();
	/** The compact form (no nulls) with unconfirmed dates as epoch ms. */
	const compactValidator = new SpecValidator({ nulls: false });
	const epochValidator = new SpecValidator({ nulls: false, dates: 'epochMs' });

	const SHAPES = [
		['live shapes, ISO dates (the defaults)', {}, validator],
		['compact objects, epoch-ms dates', { compact: true, unconfirmedDates: 'epochMs' }, epochValidator],
	] as const;

	test('the spec has the 57 operations this suite expects, each with a call plan', () => {
		expect(validator.ops.length).toBe(57);
		const missing = validator.ops.map((o) => o.operationId).filter((id) => !PLANS[id]);
		expect(missing).toEqual([]);
	});

	test('the simulator routes every operation of the spec to a handler with the same operationId', async () => {
		const sim = await DattoSimulator.start({ seed: 7 });
		await sim.close();
		const wrong: string[] = [];
		for (const o of validator.ops) {
			const concrete = o.path.replace(/\{(\w+)\}/g, (_, n: string) => (/id$/i.test(n) && !/uid$/i.test(n) ? '123' : 'x-uid'));
			const m = sim.router.match(o.method, concrete);
			if (m.hit?.route.operationId !== o.operationId) wrong.push(`${o.method} ${o.path} → ${m.hit?.route.operationId ?? 'no route'}`);
		}
		expect(wrong).toEqual([]);
	});

	describe.each(SHAPES)('%s', (_shape, options, shapeValidator) => {
		beforeAll(async () => {
			sim = await DattoSimulator.start({ seed: 7, ...options });
			client = await new SimClient(sim).login();
			fixtures();
		});

		afterAll(async () => {
			await sim.close();
		});

		describe.each(validator.ops.map((o) => [o.operationId, o] as const))('%s', (id, o) => {
			test(`${o.method} ${o.path} answers a spec-valid success body`, async () => {
				const plan = PLANS[id]();
				expect(templateMatches(o.path, plan.path)).toBe(true);

				if (plan.body !== undefined) {
					const reqSchema = validator.requestSchema(id);
					expect(reqSchema).toBeDefined();
					expect({ request: validator.validate(reqSchema!, plan.body) }).toEqual({ request: [] });
				}

				const before = sim.counters.byOperation[id] ?? 0;
				const res = await client.call(o.method, plan.path, plan.body);
				expect({ status: res.status, body: res.status === (plan.status ?? 200) ? 'ok' : res.text }).toEqual({ status: plan.status ?? 200, body: 'ok' });
				expect(sim.counters.byOperation[id]).toBe(before + 1);

				if (plan.dead) {
					// Dead endpoint: Spring's 404 body, as for a removed route.
					expect(res.json).toMatchObject({ status: 404, error: 'Not Found', path: `/api${plan.path}` });
					expect(res.json.message).toMatch(/No static resource/);
					return;
				}

				const schema = shapeValidator.responseSchema(id);
				if (schema) {
					expect(res.headers.get('content-type')).toMatch(/application\/json/);
					const violations = shapeValidator.validate(schema, res.json);
					expect({ operation: id, violations }).toEqual({ operation: id, violations: [] });
				}
				if (plan.nonEmpty) {
					expect(Array.isArray(res.json[plan.nonEmpty])).toBe(true);
					expect(res.json[plan.nonEmpty].length).toBeGreaterThan(0);
					expect(res.json.pageDetails.count).toBe(res.json[plan.nonEmpty].length);
				}
			});
		});
	});

	test('the validator itself rejects what the live deviations do not allow', () => {
		const good = { id: 1, uid: 'u', hostname: 'h', lastSeen: 1700000000000, deviceType: { category: 'Desktop', type: 'Desktop' } };
		expect(validator.validateNamed('Device', good)).toEqual([]);
		// Confirmed timestamps are epoch ms; the others are the spec's strings unless validating epochMs.
		expect(validator.validateNamed('Device', { ...good, lastSeen: '2024-01-01T00:00:00Z' }).join()).toMatch(/lastSeen/);
		expect(validator.validateNamed('Job', { dateCreated: '2024-01-01T00:00:00Z' })).toEqual([]);
		expect(validator.validateNamed('Job', { dateCreated: 1700000000000 }).join()).toMatch(/dateCreated/);
		expect(epochValidator.validateNamed('Job', { dateCreated: 1700000000000 })).toEqual([]);
		expect(epochValidator.validateNamed('Job', { dateCreated: '2024-01-01T00:00:00Z' }).join()).toMatch(/dateCreated/);
		// Nulls: live objects carry them; the compact form does not.
		expect(validator.validateNamed('Device', { ...good, hostname: null })).toEqual([]);
		expect(compactValidator.validateNamed('Device', { ...good, hostname: null }).join()).toMatch(/hostname/);
		expect(validator.validateNamed('Device', { ...good, hostname: 7 }).join()).toMatch(/hostname/);
		expect(validator.validateNamed('Device', { ...good, deviceClass: 'phone' }).join()).toMatch(/deviceClass/);
		expect(validator.validateNamed('Device', { ...good, deviceType: 'Desktop' }).join()).toMatch(/deviceType/);
		const alert = { alertUid: 'a', alertContext: { '@class': 'antivirus_ctx', status: 'NOTRUNNING' } };
		expect(validator.validateNamed('Alert', alert)).toEqual([]);
		expect(validator.validateNamed('Alert', { ...alert, alertContext: { '@class': 'antivirus_ctx', status: 'FINE' } }).join()).toMatch(/status/);
		expect(validator.validateNamed('Alert', { ...alert, alertContext: { '@class': 'made_up_ctx' } }).join()).toMatch(/@class/);
		expect(validator.validateNamed('PaginationData', { count: 1, totalCount: 1, prevPageUrl: null, nextPageUrl: null })).toEqual([]);
		expect(validator.validateNamed('Variable Creation Request', { name: 'x', value: 'y', masked: 'yes' }).join()).toMatch(/masked/);
	});

	test('a world with 50 sites and 3,000 devices is still spec-valid on the big lists', async () => {
		const big = await DattoSimulator.start({ seed: 99, size: { sites: 50, devices: 3000, openAlerts: 600, resolvedAlerts: 300 } });
		try {
			const c = await new SimClient(big).login();
			for (const [id, p] of [
				['getUserAccountDevices', '/v2/account/devices?page=3'],
				['getSites', '/v2/account/sites'],
				['getUserAccountOpenAlerts', '/v2/account/alerts/open?max=600'],
			] as const) {
				const r = await c.get(p);
				expect(r.status).toBe(200);
				expect({ id, violations: validator.validate(validator.responseSchema(id)!, r.json) }).toEqual({ id, violations: [] });
			}
		} finally {
			await big.close();
		}
	});
});
