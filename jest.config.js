/** Unit tests: `*.spec.ts` beside the code and `test/unit/**\/*.spec.ts`. No services needed. */
const swc = require('./jest.swc.js');

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: [
    '<rootDir>/apps/**/*.spec.ts',
    '<rootDir>/libs/**/*.spec.ts',
    '<rootDir>/test/unit/**/*.spec.ts',
  ],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@app/(contracts|auth|platform|outbox|email-rendering)$': '<rootDir>/libs/$1/src',
    '^@app/(contracts|auth|platform|outbox|email-rendering)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
};
