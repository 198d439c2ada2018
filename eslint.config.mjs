// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The apps that write an outbox (their state changes send emails or events): only they import it.
 * notifications writes only its audit events (an operator's replay).
 */
const PRODUCERS = ['identity', 'relationships', 'notifications'];

const appBoundary = (self) => ({
  files: [`apps/${self}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['**/apps/*', '../../**/apps/**'].concat(
              ['identity', 'relationships', 'notifications']
                .filter((a) => a !== self)
                .map((a) => `**/${a}/src/**`),
            ),
            message: 'Apps never import each other: share through libs/contracts.',
          },
          ...(PRODUCERS.includes(self)
            ? []
            : [
                {
                  group: ['@app/outbox', '@app/outbox/*', '**/libs/outbox/**'],
                  message: `libs/outbox is for the apps that produce (${PRODUCERS.join(', ')}).`,
                },
              ]),
        ],
      },
    ],
  },
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.run/**',
      'libs/api-client/src/generated/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      // Hand-written CommonJS tooling is linted (without type information) below.
      '!scripts/**/*.js',
      '!test/e2e/*.js',
      '!jest*.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // No file imports one that (through others) imports it back. Between feature folders the
    // same holds, checked by test/unit/feature-layering.spec.ts.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['scripts/**/*.js', 'test/e2e/*.js', 'jest*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: Object.fromEntries(
        [
          'require',
          'module',
          'exports',
          '__dirname',
          '__filename',
          'process',
          'console',
          'Buffer',
          'URL',
          'fetch',
          'AbortSignal',
          'globalThis',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
        ].map((name) => [name, 'readonly']),
      ),
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  appBoundary('identity'),
  appBoundary('relationships'),
  appBoundary('notifications'),
  // The gateway proxies by the OpenAPI document and never imports a service (its runtime,
  // apps/gateway/src). Its build-time generator (apps/gateway/openapi) reads the services' route
  // tables from their root modules: that is the one place allowed to import them.
  {
    files: ['apps/gateway/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/apps/*',
                '../../**/apps/**',
                '**/identity/src/**',
                '**/relationships/src/**',
                '**/notifications/src/**',
                '@app/outbox',
                '@app/platform',
                '@app/auth',
              ],
              message:
                'The gateway stays thin: it routes by the OpenAPI document and imports no service (only @app/contracts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**'], message: 'Libs never import apps.' }] },
      ],
    },
  },
  {
    files: ['libs/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', '@mikro-orm/*', '@app/*', '**/apps/**', 'bullmq', 'ioredis'],
              message: 'libs/contracts depends on nothing but zod.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
