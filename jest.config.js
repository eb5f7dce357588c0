/**
 * Two tiers in one runner. `unit` is pure (no Postgres, no Redis): `npm run test:unit`.
 * `integration` runs the API, the services and the built processes against one freshly migrated
 * database. Nest 12 ships as ES modules; Jest loads them natively through require(esm), which
 * needs Node 24.9+ and `--experimental-vm-modules` (set by the npm scripts).
 */
const shared = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/'],
      globalSetup: '<rootDir>/test/global-setup.ts',
    },
  ],
};
