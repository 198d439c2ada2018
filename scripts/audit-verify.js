#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run audit:verify`: recomputes every organisation's hash chain of the activity log
 * (relationships' `activity_log_chain`, issue 14 "tamper-evident") and prints the first broken
 * link of each organisation: its tenant, position (`seq`), entry id and what differs (a link
 * missing, a `prev_hash` that is not the previous link's hash, an entry gone, or an entry whose
 * content no longer gives the stored hash, i.e. it was changed after chaining). Exit code 1 when
 * any chain is broken; 0 with a summary otherwise. Entries the chainer has not linked yet are
 * counted, not judged.
 *
 * The database: `DATABASE_URL` when set, else relationships' development database (as
 * `npm run migrate` finds it: scripts/lib/system.js). Plain `pg`, no build needed: the hash is
 * recomputed here exactly as apps/relationships/src/activity-log/audit-chain.ts computes it (a
 * unit test keeps both equal).
 *
 * What a chain cannot show: links cut off at the end of a chain together with their entries
 * (keep a copy of each organisation's latest `seq` and hash elsewhere, e.g. from the export, to
 * detect that).
 */
const { createHash } = require('node:crypto');
const { Client } = require('pg');

const GENESIS_HASH = '0'.repeat(64);
/** Links read per query. */
const PAGE = 5000;

/**
 * @param {unknown} value
 * @returns {string}
 */
function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const record = /** @type {Record<string, unknown>} */ (value);
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

/**
 * @param {string} prevHash
 * @param {unknown} event
 * @returns {string}
 */
function chainHash(prevHash, event) {
  return createHash('sha256')
    .update(prevHash + canonicalJson(event))
    .digest('hex');
}

/**
 * The AuditEvent a joined row stores (as `auditEventOf` in activity-log-entry.entity.ts).
 * @param {Record<string, any>} row
 */
function eventOf(row) {
  return {
    id: row.entry_id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    type: row.type,
    actor: {
      kind: row.actor_kind,
      userId: row.actor_user_id,
      tenantId: row.actor_tenant_id,
      onBehalfOfTenantId: row.actor_on_behalf_of_tenant_id,
    },
    tenantIds: row.tenant_ids,
    resource: { type: row.resource_type, id: row.resource_id },
    before: row.before ?? null,
    after: row.after ?? null,
    requestId: row.request_id,
    correlationId: row.correlation_id,
    source: row.source,
  };
}

/**
 * @typedef {{ tenantId: string, seq: number, entryId: string, problem: string }} BrokenLink
 * @typedef {{ chains: number, links: number, pending: number, broken: BrokenLink[] }} Verification
 */

/**
 * Verify every chain through `client` (connected to relationships' database).
 * @param {import('pg').Client} client
 * @returns {Promise<Verification>}
 */
async function verify(client) {
  /** @type {Map<string, { seq: number, hash: string, broken: boolean }>} */
  const state = new Map();
  /** @type {BrokenLink[]} */
  const broken = [];
  let links = 0;
  /** @type {[string, string] | null} */
  let after = null;
  for (;;) {
    const { rows } = await client.query(
      `select c."tenant_id", c."seq"::text as "seq", c."entry_id", c."prev_hash", c."hash",
              e."id" is not null as "present", e."occurred_at", e."type", e."actor_kind",
              e."actor_user_id", e."actor_tenant_id", e."actor_on_behalf_of_tenant_id",
              array_to_json(e."tenant_ids") as "tenant_ids", e."resource_type", e."resource_id",
              e."before", e."after", e."request_id", e."correlation_id", e."source"
         from "activity_log_chain" c left join "activity_log_entry" e on e."id" = c."entry_id"
        ${after ? 'where (c."tenant_id", c."seq") > ($1::uuid, $2::bigint)' : ''}
        order by c."tenant_id", c."seq" limit ${PAGE}`,
      after ?? [],
    );
    for (const row of rows) {
      links += 1;
      const seq = Number(row.seq);
      const chain = state.get(row.tenant_id) ?? { seq: 0, hash: GENESIS_HASH, broken: false };
      state.set(row.tenant_id, chain);
      if (!chain.broken) {
        const problem = problemOf(row, seq, chain);
        if (problem) {
          chain.broken = true;
          broken.push({ tenantId: row.tenant_id, seq, entryId: row.entry_id, problem });
        }
      }
      chain.seq = seq;
      chain.hash = row.hash;
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1];
    after = [last.tenant_id, last.seq];
  }
  const pending = await client.query(
    `select count(*)::int as "n" from "activity_log_entry" where not "chained"`,
  );
  return { chains: state.size, links, pending: pending.rows[0].n, broken };
}

/**
 * What is wrong with link `seq` of a chain whose previous link is `chain`, or null.
 * @param {Record<string, any>} row
 * @param {number} seq
 * @param {{ seq: number, hash: string }} chain
 * @returns {string | null}
 */
function problemOf(row, seq, chain) {
  if (seq !== chain.seq + 1) {
    return `link missing: expected seq ${chain.seq + 1}, found seq ${seq}`;
  }
  if (row.prev_hash !== chain.hash) {
    return `prev_hash ${row.prev_hash} is not the hash of the previous link (${chain.hash})`;
  }
  if (!row.present) return `entry ${row.entry_id} is gone`;
  const tenants = /** @type {string[]} */ (row.tenant_ids ?? []);
  if (!tenants.includes(row.tenant_id)) {
    return `entry no longer names this organisation in tenant_ids`;
  }
  const recomputed = chainHash(row.prev_hash, eventOf(row));
  if (recomputed !== row.hash) {
    return `entry content changed after chaining: stored hash ${row.hash}, recomputed ${recomputed}`;
  }
  return null;
}

/** relationships' database URL: `DATABASE_URL`, else the development one. */
function databaseUrl() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const system = require('./lib/system');
  return system.envFor('relationships', system.devSettings()).DATABASE_URL;
}

async function main() {
  const client = new Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    const result = await verify(client);
    for (const link of result.broken) {
      console.log(
        `BROKEN tenant=${link.tenantId} seq=${link.seq} entry=${link.entryId}: ${link.problem}`,
      );
    }
    const summary = `${result.chains} chains, ${result.links} links, ${result.pending} entries waiting to be chained`;
    if (result.broken.length > 0) {
      console.log(`audit:verify: ${result.broken.length} broken chain(s) of ${summary}`);
      process.exitCode = 1;
    } else {
      console.log(`audit:verify: every chain intact: ${summary}`);
    }
  } finally {
    await client.end();
  }
}

module.exports = { GENESIS_HASH, canonicalJson, chainHash, verify };

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  });
}
