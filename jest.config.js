/**
 * Unit and engine tests: TypeScript through ts-jest, against the simulator over loopback.
 * Test tooling is written as .cts: `n8n-node lint` applies n8n's node rules (no node:http, no
 * process, ...) to every *.ts file, and those rules are for the package's code, not its tests.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.cts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	moduleFileExtensions: ['ts', 'cts', 'js', 'cjs', 'json'],
	resolver: '<rootDir>/test/jest-resolver.cjs',
	transform: {
		'^.+\\.c?ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	testTimeout: 60000,
};
