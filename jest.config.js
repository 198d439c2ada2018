/** Unit tests: `*.spec.ts` beside the code. No services needed. */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};
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
    '^@app/(contracts|auth|common)$': '<rootDir>/libs/$1/src',
    '^@app/(contracts|auth|common)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  swc,
};
