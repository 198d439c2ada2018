/**
 * Integration tests: `**\/*.int-spec.ts`, pieces of one service (a store, the outbox relay) against
 * real PostgreSQL and Redis. Each test file creates its own database `pcp_int_<random>` through a
 * service's committed migrations and its own BullMQ prefix, and drops them at the end
 * (test/integration/support/). No service processes and no build needed.
 */
const swc = require('./jest.swc.js');
const { moduleNameMapper } = require('./jest.config.js');

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.int-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/', '<rootDir>/.run/'],
  transform: swc.transform,
  transformIgnorePatterns: swc.transformIgnorePatterns,
  moduleNameMapper,
  testTimeout: 30000,
};
