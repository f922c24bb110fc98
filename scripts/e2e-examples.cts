/**
 * The example workflows in examples/ and how to run them against the Datto simulator: load them,
 * point their Datto RMM nodes at a credential, fill in the values that depend on the account
 * (filter, component, hostnames) from the simulator's world, and describe what each produced.
 * Shared by scripts/demo.cts, scripts/dev.cts and test/e2e.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { DattoSimulator, DeviceRec } from '../test/simulator/index.cjs';
import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	REPO_ROOT,
	binaryFilePath,
	nodeBinary,
	nodeItems,
	type CredentialImport,
	type N8nInstance,
	type N8nRun,
	type WorkflowJson,
	type WorkflowNode,
} from './n8n-env.cjs';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** The credential the example files reference; users pick their own when importing. */
export const EXAMPLE_CREDENTIAL_NAME = 'Datto RMM';

export const EXAMPLE_IDS = {
	inventory: 'DattoExInventory',
	alertDigest: 'DattoExAlertDigest',
	runComponent: 'DattoExRunComponent',
	syncUdf: 'DattoExSyncUdf',
	rebootReport: 'DattoExRebootReport',
} as const;

/**
 * The example that starts at the Datto RMM Webhook Trigger: it runs when Datto (here the
 * simulator) posts an alert webhook to the active workflow's URL. Its file names no Datto RMM
 * Webhook Secret API credential, so it cannot be published before the user picks one; prepareExample
 * sets one (webhookSecretCredential makes it for n8n's import).
 */
export const WEBHOOK_EXAMPLE = {
	id: 'DattoExAlertWebhookTicket',
	triggerName: 'Datto RMM Webhook Trigger',
	/** The path the trigger declares below its webhookId (`webhooks[0].path`). */
	path: 'datto-rmm',
} as const;

/** The credential type that holds a Datto RMM Webhook Trigger's secret. */
export const WEBHOOK_SECRET_CREDENTIAL_TYPE = 'dattoRmmWebhookSecretApi';

/**
 * The production URL Datto posts to for the webhook example (`base`: n8n's root), with
 * `?secret=` as Datto sends it when `secret` is given (a sender that sets headers needs none).
 */
export function webhookExampleUrl(workflow: WorkflowJson, base: string, secret?: string): string {
	const trigger = node(workflow, WEBHOOK_EXAMPLE.triggerName);
	const url = `${base}/webhook/${String(trigger.webhookId)}/${WEBHOOK_EXAMPLE.path}`;
	return secret === undefined ? url : `${url}?secret=${encodeURIComponent(secret)}`;
}

/** A Datto RMM Webhook Secret API credential for n8n's import (n8n encrypts it). */
export function webhookSecretCredential(id: string, name: string, secret: string): CredentialImport {
	return { id, name, type: WEBHOOK_SECRET_CREDENTIAL_TYPE, data: { secret } };
}

/** Component the "run a component" example runs in the simulator. */
export const DEMO_COMPONENT = 'Check Disk Health';
/** UDF the "copy a value into a UDF" example writes. */
export const EXAMPLE_UDF = 'udf5';

export interface Example {
	file: string;
	workflow: WorkflowJson;
}

export function loadExamples(): Example[] {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson }));
}

/**
 * Whether `n8n execute` can run the workflow: it starts at a Manual Trigger. Workflows that start
 * only at a trigger node (a polling Datto RMM Trigger, say) run when activated in `n8n start`.
 */
export function runnableByCli(workflow: WorkflowJson): boolean {
	return workflow.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger' && n.disabled !== true);
}

/** The credential for n8n's import: Custom URL pointing at the simulator. */
export function simulatorCredential(sim: DattoSimulator, id: string, name: string): CredentialImport {
	return {
		id,
		name,
		type: CREDENTIAL_TYPE,
		data: { platform: 'custom', baseUrl: sim.url, apiKey: sim.apiKey, apiSecret: sim.apiSecret },
	};
}

export interface SimulatorWorld {
	/** A custom device filter with a few devices, made for the "run a component" example. */
	filter: { id: number; name: string; deviceUids: string[] };
	componentUid: string;
	/** Hostnames that exist in the simulator, for the "copy into a UDF" stand-in records. */
	udfRecords: Array<{ hostname: string; assetTag: string }>;
}

/**
 * Prepares the simulator's world for the examples: adds a small custom device filter (so the
 * quick-job example runs on a handful of devices, not dozens) and picks the component and
 * hostnames the examples use.
 */
export function prepareSimulatorWorld(sim: DattoSimulator, deviceCount = 3): SimulatorWorld {
	const st = sim.state;
	const name = 'n8n demo: a few servers';
	let filter = st.filters.find((f) => f.name === name);
	const servers = st.devices.filter((d: DeviceRec) => d.deviceClass === 'device' && d.category === 'Server').slice(0, deviceCount);
	const picked = servers.length > 0 ? servers : st.devices.slice(0, deviceCount);
	const uids = new Set(picked.map((d) => d.uid));
	if (!filter) {
		const now = Date.now();
		filter = {
			id: Math.max(0, ...st.filters.map((f) => f.id)) + 1,
			name,
			description: 'Made by the n8n demo for the "run a component" example',
			type: 'custom',
			dateCreate: now,
			lastUpdated: now,
			match: (d: DeviceRec) => uids.has(d.uid),
		};
		st.filters.push(filter);
	}
	const component = st.components.find((c) => c.name === DEMO_COMPONENT && !c.fails) ?? st.components.find((c) => !c.fails && c.variables.length === 0);
	if (!component) throw new Error('The simulator has no component without variables for the quick-job example');
	const hosts = st.devices.filter((d: DeviceRec) => d.deviceClass === 'device').slice(0, 2);
	return {
		filter: { id: filter.id, name: filter.name, deviceUids: st.devices.filter((d: DeviceRec) => filter!.match(d)).map((d: DeviceRec) => d.uid) },
		componentUid: component.uid,
		udfRecords: [
			...hosts.map((d: DeviceRec, i: number) => ({ hostname: d.hostname, assetTag: `PO-2026-${String(42 + i).padStart(4, '0')}` })),
			{ hostname: 'NOT-IN-RMM-01', assetTag: 'PO-2026-0099' },
		],
	};
}

function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

function node(workflow: WorkflowJson, name: string): WorkflowNode {
	const found = workflow.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`Workflow "${workflow.name}" has no node "${name}"`);
	return found;
}

function setAssignment(workflow: WorkflowJson, nodeName: string, field: string, value: unknown): void {
	const params = node(workflow, nodeName).parameters as { assignments?: { assignments?: Array<{ name: string; value: unknown }> } };
	const assignment = params.assignments?.assignments?.find((a) => a.name === field);
	if (!assignment) throw new Error(`Node "${nodeName}" of "${workflow.name}" sets no field "${field}"`);
	assignment.value = value;
}

export interface PrepareOptions {
	credentialId: string;
	credentialName: string;
	world?: SimulatorWorld;
	/** Quick jobs in the simulator finish in about a second: check every second, not every ten. */
	pollSeconds?: number;
	/** Replace the workflow id (each import with an id overwrites that workflow). */
	id?: string;
	/** The Datto RMM Webhook Secret API credential of the webhook example's trigger (its file names none). */
	webhookSecretCredential?: { id: string; name: string };
}

/** A copy of an example that runs against the simulator credential and world. */
export function prepareExample(workflow: WorkflowJson, options: PrepareOptions): WorkflowJson {
	const wf = clone(workflow);
	if (options.id) wf.id = options.id;
	for (const n of wf.nodes) {
		if (n.type === NODE_TYPE || n.credentials?.[CREDENTIAL_TYPE]) {
			n.credentials = { ...n.credentials, [CREDENTIAL_TYPE]: { id: options.credentialId, name: options.credentialName } };
		}
	}
	const world = options.world;
	if (workflow.id === EXAMPLE_IDS.runComponent && world) {
		setAssignment(wf, 'Settings', 'filterId', world.filter.id);
		setAssignment(wf, 'Settings', 'componentUid', world.componentUid);
		const wait = node(wf, 'Run component and wait').parameters.waitOptions as Record<string, unknown>;
		if (options.pollSeconds) wait.pollSeconds = options.pollSeconds;
	}
	if (workflow.id === WEBHOOK_EXAMPLE.id && options.webhookSecretCredential) {
		const trigger = node(wf, WEBHOOK_EXAMPLE.triggerName);
		trigger.credentials = { ...trigger.credentials, [WEBHOOK_SECRET_CREDENTIAL_TYPE]: options.webhookSecretCredential };
	}
	if (workflow.id === EXAMPLE_IDS.syncUdf && world) {
		node(wf, 'Other system (stand-in)').parameters.jsonOutput = `${JSON.stringify({ records: world.udfRecords }, null, 2)}\n`;
	}
	return wf;
}

// ---------------------------------------------------------------------------------------------
// What each example produced, for the demo's summary

function countBy(items: Array<Record<string, unknown>>, key: string): Array<[string, number]> {
	const counts = new Map<string, number>();
	for (const item of items) {
		const k = String(item[key] ?? '(none)');
		counts.set(k, (counts.get(k) ?? 0) + 1);
	}
	return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function firstLine(text: unknown): string {
	return String(text ?? '').split('\n').filter(Boolean).slice(-1)[0] ?? '';
}

/** Human-readable lines about one example's run (the demo prints them). */
export function describeRun(id: string, run: N8nRun | undefined, context: { sim: DattoSimulator; world: SimulatorWorld; instance: N8nInstance }): string[] {
	const lines: string[] = [];
	switch (id) {
		case EXAMPLE_IDS.inventory: {
			const rows = nodeItems(run, 'Flatten for spreadsheet');
			const bySite = countBy(rows, 'site');
			const byType = countBy(rows, 'deviceType');
			lines.push(`${rows.length} devices in ${bySite.length} sites: ${bySite.map(([s, n]) => `${s} ${n}`).join(', ')}`);
			lines.push(`by type: ${byType.map(([t, n]) => `${t} ${n}`).join(', ')}`);
			const first = rows[0];
			if (first) lines.push(`first row: ${first.hostname} | ${first.site} | ${first.deviceType} | ${first.operatingSystem} | last seen ${first.lastSeen}`);
			const csv = nodeBinary(run, 'CSV file');
			const file = binaryFilePath(context.instance, csv);
			if (csv) {
				const count = file ? fs.readFileSync(file, 'utf8').trim().split('\n').length - 1 : undefined;
				lines.push(`CSV file ${csv.fileName} (${csv.fileSize ?? `${csv.bytes} bytes`}${count !== undefined ? `, ${count} rows + header` : ''})`);
			}
			break;
		}
		case EXAMPLE_IDS.alertDigest: {
			const digest = nodeItems(run, 'Build digest')[0];
			const byPriority = countBy(nodeItems(run, 'Site and priority'), 'priority');
			if (digest) {
				lines.push(String(digest.subject));
				lines.push(`by priority: ${byPriority.map(([p, n]) => `${p} ${n}`).join(', ')}`);
				lines.push(...String(digest.text).split('\n'));
			}
			break;
		}
		case EXAMPLE_IDS.runComponent: {
			const results = nodeItems(run, 'Collect output');
			const component = context.sim.state.components.find((c) => c.uid === context.world.componentUid)?.name ?? context.world.componentUid;
			lines.push(`"${component}" as a quick job on the ${results.length} devices of filter "${context.world.filter.name}" (id ${context.world.filter.id}):`);
			for (const r of results) lines.push(`${r.hostname}: ${r.status}${r.timedOut ? ' (timed out)' : ''}, stdout "${firstLine(r.stdout)}"`);
			break;
		}
		case EXAMPLE_IDS.syncUdf: {
			const written = nodeItems(run, 'Write asset tag to UDF 5');
			const found = new Set(nodeItems(run, 'Find device by hostname').map((d) => String(d.hostname)));
			for (const record of context.world.udfRecords) {
				const device = context.sim.state.devices.find((d) => d.hostname === record.hostname);
				if (!found.has(record.hostname) || !device) {
					lines.push(`${record.hostname}: not in Datto RMM, skipped`);
					continue;
				}
				lines.push(`${record.hostname}: UDF 5 set to "${record.assetTag}" (the simulator now holds "${device.udf[EXAMPLE_UDF] ?? ''}")`);
			}
			lines.push(`${written.length} UDF write${written.length === 1 ? '' : 's'}`);
			break;
		}
		case EXAMPLE_IDS.rebootReport: {
			const rows = nodeItems(run, 'Sort by site');
			const bySite = countBy(rows, 'site');
			lines.push(`${rows.length} devices need a reboot: ${bySite.map(([s, n]) => `${s} ${n}`).join(', ')}`);
			for (const r of rows.slice(0, 3)) lines.push(`${r.site} | ${r.hostname} | ${r.online ? 'online' : 'offline'} | last reboot ${r.lastReboot || 'unknown'}`);
			if (rows.length > 3) lines.push('…');
			break;
		}
		default: {
			const last = run?.data.resultData.lastNodeExecuted;
			if (last) lines.push(`${nodeItems(run, last).length} items from "${last}"`);
		}
	}
	return lines;
}
