#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run migrate`: creates the development databases (`pcp_identity`, `pcp_relationships`,
 * `pcp_notifications`) when missing and applies every service's committed migrations, from the
 * built output (run `npm run build` first). `npm start` does the same before it starts anything.
 */
const system = require('./lib/system');

async function main() {
  await system.checkPrerequisites();
  const outputs = await system.migrateAll(system.devSettings());
  for (const [service, output] of Object.entries(outputs)) {
    console.log(`${service}: ${output.trim() || 'done'}`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
