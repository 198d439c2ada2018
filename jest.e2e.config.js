/**
 * End-to-end tests: `test/e2e/**\/*.e2e-spec.ts`, black-box HTTP against the three services started
 * as real processes (built output: `npm run build` first) on real PostgreSQL, Redis and a MailDev
 * SMTP sink. The global setup starts an isolated system (own databases, BullMQ prefix, message
 * namespace, ports and MailDev); the global teardown stops it and drops what it created.
 */
const swc = require('./jest.swc.js');
const { moduleNameMapper } = require('./jest.config.js');

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
  transform: swc.transform,
  transformIgnorePatterns: swc.transformIgnorePatterns,
  moduleNameMapper,
  globalSetup: '<rootDir>/test/e2e/global-setup.js',
  globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
  testTimeout: 60000,
};
