/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		// Type errors are caught by `npm run typecheck`; isolated transpilation keeps the suite fast.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }],
	},
	setupFiles: ['<rootDir>/test/setupEnv.js'],
	// Workflow tests load dist/: refuse to run them against a build older than the sources.
	globalSetup: '<rootDir>/test/support/globalSetup.ts',
	testTimeout: 60_000,
	// Workflow tests start simulators on loopback ports; run files in parallel, tests in a file in order.
	maxWorkers: '50%',
};
