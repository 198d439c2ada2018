import { createHash } from 'node:crypto';
import type { AuditEvent } from '@app/contracts';

/**
 * The hash chain of each organisation's trail (issue 14 "tamper-evident"): link `seq` of an
 * organisation's chain holds `hash = SHA-256(prev_hash || canonical JSON of the event)` as lower
 * case hex, where `prev_hash` is the hash of link `seq - 1`, or {@link GENESIS_HASH} for link 1.
 * An event that concerns several organisations is a link in each of their chains.
 *
 * scripts/audit-verify.js recomputes the same function in plain JavaScript (a unit test keeps both
 * equal: apps/relationships/src/activity-log/audit-chain.spec.ts).
 */

/** The `prev_hash` of the first link of every chain: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * `value` as JSON with every object's keys sorted (recursively), no whitespace; `undefined`
 * members are left out as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

/** The hash of the link that follows `prevHash` and holds `event`. */
export function chainHash(prevHash: string, event: AuditEvent): string {
  return createHash('sha256')
    .update(prevHash + canonicalJson(event))
    .digest('hex');
}
