/**
 * The editor as a new user meets it: real n8n 2.41 (`n8n start`, the packed package installed as a
 * community package) driven in headless Chromium (playwright-core; the browser from
 * scripts/chromium.cts, which installs Debian's chromium when the machine has none).
 *
 * One workflow, Manual Trigger → Datto RMM (Device > Get, no credential yet): open the node, create
 * the credential in n8n's form, pick a device from the list by typing a site name, execute the step and see the device as the output item; the canvas
 * shows the operation in words.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { CHROMIUM_FLAGS, ensureChromium } from '../../scripts/chromium.cjs';
import { DEMO_OWNER, N8nRestClient, NODE_TYPE, importWorkflows, startN8nServer, type N8nServer, type WorkflowJson } from '../../scripts/n8n-env.cjs';
import { DattoSimulator } from '../simulator/index.cjs';
import { SETUP_TIMEOUT_MS, instanceWithPackage, report, type E2eInstance } from './helpers.cjs';

const WORKFLOW_ID = 'e2eEditorProbe';
const NODE_NAME = 'Datto RMM';

const workflow: WorkflowJson = {
	id: WORKFLOW_ID,
	name: 'e2e: editor',
	active: false,
	nodes: [
		{
			id: 'f0000004-0000-4000-8000-000000000001',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'f0000004-0000-4000-8000-000000000002',
			name: NODE_NAME,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [240, 0],
			parameters: { resource: 'device', operation: 'get', options: {} },
		},
	],
	connections: { Start: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

const UI_TIMEOUT_MS = 60_000;

describe('the n8n editor in headless Chromium', () => {
	let sim: DattoSimulator;
	let env: E2eInstance;
	let server: N8nServer;
	let context: BrowserContext;
	let page: Page;
	let profile: string;

	beforeAll(async () => {
		const executablePath = ensureChromium((line) => process.stderr.write(`${line}\n`));
		env = await instanceWithPackage('editor');
		sim = await DattoSimulator.start({});
		await importWorkflows(env.instance, [workflow]);
		server = await startN8nServer(env.instance);
		await new N8nRestClient(server.url).signIn();
		profile = fs.mkdtempSync(path.join(os.tmpdir(), 'datto-rmm-e2e-chromium-'));
		context = await chromium.launchPersistentContext(profile, {
			executablePath,
			headless: true,
			args: CHROMIUM_FLAGS,
			viewport: { width: 1600, height: 1000 },
		});
		context.setDefaultTimeout(UI_TIMEOUT_MS);
		page = context.pages()[0] ?? (await context.newPage());
		report(`e2e: editor at ${server.url}, Chromium ${context.browser()?.version() ?? executablePath}`);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await context?.close();
		if (profile) fs.rmSync(profile, { recursive: true, force: true });
		await server?.stop();
		await sim?.close();
		env?.cleanup();
	});

	/** Picks an entry of an n8n dropdown parameter by its visible name. */
	async function choose(parameter: string, option: string): Promise<void> {
		await page.locator(`[data-test-id="parameter-input-${parameter}"]`).first().click();
		await page.locator('.el-select-dropdown__item:visible').getByText(option, { exact: true }).first().click();
	}

	test('open the node, create a credential, pick a device from the list, execute, see its item', async () => {
		// Log in as a user would.
		await page.goto(`${server.url}/signin`);
		await page.locator('input[type=email]').first().fill(DEMO_OWNER.email);
		await page.locator('input[type=password]').first().fill(DEMO_OWNER.password);
		await page.getByRole('button', { name: /sign in/i }).click();
		await page.waitForURL((url) => !url.pathname.includes('signin'));

		// The canvas names the operation in words.
		await page.goto(`${server.url}/workflow/${WORKFLOW_ID}`);
		const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: NODE_NAME });
		await node.waitFor();
		await expect(node.innerText()).resolves.toContain('Device: Get');

		// Open the node.
		await node.dblclick({ force: true });
		await page.locator('[data-test-id="parameter-input-resource"]').waitFor();

		// Fill a credential in n8n's own form.
		// No credential of this type yet: n8n offers "Connect to Datto RMM".
		await page.locator('[data-test-id="node-credentials-empty-state"]').click();
		await choose('platform', 'Custom URL');
		await page.locator('[data-test-id="parameter-input-baseUrl"] input').fill(sim.url);
		await page.locator('[data-test-id="parameter-input-apiKey"] input').fill(sim.apiKey);
		await page.locator('[data-test-id="parameter-input-apiSecret"] input').fill(sim.apiSecret);
		await page.locator('[data-test-id="credential-save-button"]').click();
		await page.getByText('Credential successfully created').first().waitFor();
		await expect(page.locator('[data-test-id="node-credentials-select"] input').first().inputValue()).resolves.toBe('Datto RMM account');

		// Pick a device from the list, found by its site's name (the list shows "HOSTNAME (Site)").
		const device = sim.state.devices.find((d) => !d.deleted)!;
		const siteName = sim.state.sites.find((s) => s.uid === device.siteUid)!.name;
		expect(device.hostname.toLowerCase()).not.toContain(siteName.toLowerCase());
		await page.locator('[data-test-id="resource-locator-deviceUid"] [data-test-id="rlc-input"]').first().click();
		await page.keyboard.type(siteName);
		const entry = page.locator('[data-test-id="rlc-item"]:visible').getByText(`${device.hostname} (${siteName})`, { exact: true });
		await entry.click();

		// Execute the step and see the device as the output item.
		await page.locator('[data-test-id="node-execute-button"]').first().click();
		await page.getByText('Node executed successfully').first().waitFor();
		const output = page.locator('[data-test-id="output-panel"]').first();
		// The table renders after the item count: wait for the device's UID in it.
		await output.getByText(device.uid).first().waitFor();
		await expect(output.innerText()).resolves.toMatch(/\b1 item\b/);
		expect(sim.log.some((r) => r.method === 'GET' && r.path === `/api/v2/device/${device.uid}`)).toBe(true);
		// n8n exchanged the key and secret typed in the form for a token.
		expect(sim.counters.tokenExchanges).toBeGreaterThanOrEqual(1);
	});
});
