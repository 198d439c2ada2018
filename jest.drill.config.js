/**
 * The small failure drill of `npm test` (`test/drill/*.e2e-spec.ts`): runs `scripts/drill.js`,
 * which starts its own isolated system (databases, redis-server, SMTP sink, services from `dist/`),
 * and checks its JSON lines. No global setup: the drill brings and removes everything it needs.
 */
const swc = require('./jest.swc.js');
const { moduleNameMapper } = require('./jest.config.js');

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/drill/**/*.e2e-spec.ts'],
  transform: swc.transform,
  transformIgnorePatterns: swc.transformIgnorePatterns,
  moduleNameMapper,
  testTimeout: 15 * 60 * 1000,
};
