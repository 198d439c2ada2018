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
  transform: swc.transform,
  transformIgnorePatterns: swc.transformIgnorePatterns,
  moduleNameMapper: {
    '^@app/(contracts|auth|platform|outbox|email-rendering|api-client)$': '<rootDir>/libs/$1/src',
    '^@app/(contracts|auth|platform|outbox|email-rendering|api-client)/(.*)$':
      '<rootDir>/libs/$1/src/$2',
  },
};
