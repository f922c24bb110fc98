/**
 * Unit and engine tests: TypeScript through ts-jest, against the simulator over loopback.
 * Test tooling is written as .cts: `n8n-node lint` applies n8n's node rules (no node:http, no
 * process, ...) to every *.ts file, and those rules are for the package's code, not its tests.
 *
 * Two projects: "n8n 2.41" runs every test with the n8n-core/n8n-workflow of today's n8n; "n8n 1.x"
 * runs the tests that execute the nodes in n8n-core's engine again with the oldest n8n the package
 * supports (package.json `engines.n8n`): npm aliases n8n-core-oldest / n8n-workflow-oldest stand in
 * for n8n-core / n8n-workflow, for the node's code and the harness alike.
 */
const fs = require('node:fs');
const path = require('node:path');

const common = {
	testEnvironment: 'node',
	rootDir: __dirname,
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.cts'],
	moduleFileExtensions: ['ts', 'cts', 'js', 'cjs', 'json'],
	resolver: '<rootDir>/test/jest-resolver.cjs',
	testTimeout: 60000,
	transform: {
		'^.+\\.c?ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
};

/**
 * The tests that run the nodes (and the credential test) in n8n-core's engine, through test/harness,
 * and the version check; the fault suite and the throughput tests too, since how n8n's request
 * helpers report cut bodies, redirects and aborts differs between versions. Paths under test/,
 * without `.test.cts`: a test mirrors the source it tests (CONTRIBUTING.md, "Where things go").
 */
const ENGINE_TESTS = [
	'credentials/DattoRmmApi.credentials',
	'nodes/DattoRmm/description',
	'nodes/DattoRmm/execute',
	'nodes/DattoRmm/simplify',
	'nodes/DattoRmm/tool',
	'nodes/DattoRmm/operations/activityLog',
	'nodes/DattoRmm/operations/alert',
	'nodes/DattoRmm/operations/audit',
	'nodes/DattoRmm/operations/device',
	'nodes/DattoRmm/operations/filter',
	'nodes/DattoRmm/operations/job',
	'nodes/DattoRmm/operations/site',
	'nodes/DattoRmm/operations/user-component-system-account',
	'nodes/DattoRmm/operations/variable',
	'nodes/DattoRmmTrigger/DattoRmmTrigger.node',
	'nodes/DattoRmmWebhookTrigger/DattoRmmWebhookTrigger.node',
	'nodes/DattoRmmWebhookTrigger/bodies',
	'nodes/DattoRmmWebhookTrigger/enrich',
	'nodes/shared/methods/listSearch',
	'nodes/shared/transport/hardening',
	'nodes/shared/transport/pagination',
	'nodes/shared/transport/request',
	'nodes/shared/transport/throughput',
	'nodes/shared/transport/tokenCache',
	'repository/n8n-versions',
];
// A test moved without this list following would silently stop running against n8n 1.x.
for (const name of ENGINE_TESTS) {
	if (!fs.existsSync(path.join(__dirname, 'test', `${name}.test.cts`))) throw new Error(`jest.config.js: ENGINE_TESTS names test/${name}.test.cts, which does not exist`);
}

module.exports = {
	testTimeout: 60000,
	// Datto's spec, fetched when the clone has none beside it; skipped tests listed with their reason.
	globalSetup: '<rootDir>/test/global-setup.cjs',
	reporters: ['default', '<rootDir>/test/skipped-reporter.cjs'],
	projects: [
		{
			...common,
			displayName: 'n8n 2.41',
			testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
		},
		{
			...common,
			displayName: 'n8n 1.x',
			testMatch: ENGINE_TESTS.map((name) => `<rootDir>/test/${name}.test.cts`),
			moduleNameMapper: {
				'^n8n-core$': '<rootDir>/node_modules/n8n-core-oldest',
				'^n8n-core/package.json$': '<rootDir>/node_modules/n8n-core-oldest/package.json',
				'^n8n-workflow$': '<rootDir>/node_modules/n8n-workflow-oldest',
				'^n8n-workflow/package.json$': '<rootDir>/node_modules/n8n-workflow-oldest/package.json',
			},
		},
	],
};
