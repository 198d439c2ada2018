// @ts-check
'use strict';
/**
 * Lets a Node script `require()` the TypeScript sources directly (no build, no new package): each
 * `.ts` file is compiled in memory with swc, the compiler jest already uses (same options as
 * jest.swc.js: legacy decorators with their metadata, which Nest's route metadata needs), and the
 * `@app/<lib>` paths of tsconfig.json resolve to `libs/<lib>/src`. Used by scripts/openapi.js,
 * which reads the services' route tables from their source to write the OpenAPI document, and by
 * scripts/demo.js, which runs on the typed client of libs/api-client.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const swc = require('@swc/core');
const { jsc, module: moduleOptions } = require('../../jest.swc.js');

const ROOT = path.resolve(__dirname, '..', '..');
const LIB = /^@app\/(contracts|auth|platform|outbox|email-rendering|api-client)(\/.*)?$/;

/** @type {any} */
const ModuleAny = Module;
const originalResolve = ModuleAny._resolveFilename;
ModuleAny._resolveFilename = function resolve(
  /** @type {string} */ request,
  /** @type {unknown[]} */ ...rest
) {
  const match = LIB.exec(request);
  const mapped = match ? path.join(ROOT, 'libs', match[1], 'src', match[2] ?? '') : request;
  return originalResolve.call(this, mapped, ...rest);
};

ModuleAny._extensions['.ts'] = function compile(
  /** @type {any} */ module,
  /** @type {string} */ filename,
) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = swc.transformSync(source, {
    jsc,
    module: moduleOptions,
    filename,
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
