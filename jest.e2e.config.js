/**
 * End-to-end tests in REAL n8n (2.41 on Node 24, installed once into a cache outside the
 * repository by scripts/real-n8n.cts): `npm run test:e2e`. They build and pack the package,
 * install it as a community package and drive n8n's CLI and server against the Datto simulator.
 * One n8n at a time: run in band. The first run on a fresh machine installs n8n (several minutes).
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.cts'],
	moduleFileExtensions: ['ts', 'cts', 'js', 'cjs', 'json'],
	resolver: '<rootDir>/test/jest-resolver.cjs',
	transform: {
		'^.+\\.c?ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/global-setup.cts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.cts',
	maxWorkers: 1,
	testTimeout: 10 * 60_000,
	slowTestThreshold: 60,
	verbose: true,
};
