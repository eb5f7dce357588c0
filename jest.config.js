/** Machine, calendar, service/API and end-to-end tests share one runner and one migrated database. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testRegex: 'test/.*\\.spec\\.ts$',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    '^.+\\.js$': '<rootDir>/test/esm-to-cjs.transformer.js',
  },
  // Only the ES-module-only packages are compiled; everything else loads as shipped.
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit)/)',
  ],
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 60000,
};
