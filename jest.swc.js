/** The swc transform options shared by the unit (jest.config.js) and e2e (jest.e2e.config.js) suites. */
const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

/**
 * What jest compiles with these options: our TypeScript, and the ES-module-only packages the
 * services load (Node loads them with `require(esm)`, jest cannot): request-filtering-agent.
 */
const ESM_PACKAGES = ['request-filtering-agent', 'content-disposition'];

module.exports = {
  ...options,
  transform: {
    '^.+\\.ts$': ['@swc/jest', options],
    [`node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: ['@swc/jest', options],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
};
