import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { openLink, sealLink } from '../link-seal';
import type { RetentionRule } from '../db/retention-purge';
import type { SqlParams } from '../db/prepared-statement';

/** One create as the caller identifies it: its tenant, the route (method and path) and its id. */
export interface IdempotencyKey {
  tenantId: string;
  /** `POST /v1/customers` (method and path, without the query string). */
  route: string;
  /** The caller's `MS-RequestId`. */
  requestId: string;
}

/**
 * The attempt of a create that holds its key (handed to the handler by `@IdempotentCall()`): what
 * an earlier, failed attempt with the same key kept (`checkpoint`), a way to keep something for a
 * later attempt, and ids derived from the key for the calls the create makes to other services
 * (so a retry reaches the same processed-request record there).
 */
export interface IdempotentCall {
  readonly key: IdempotencyKey;
  /** The value an earlier attempt of the same key saved with `saveCheckpoint`, opened; or null. */
  readonly checkpoint: string | null;
  /** Keep `value` sealed with the key until the create completes or its record is purged. */
  saveCheckpoint(value: string): Promise<void>;
  /** A UUID derived from the key and `label`: the same on every attempt of the create. */
  derivedId(label: string): string;
  /** The route records its answer in its own statement (`@Idempotent({ inStatement: true })`). */
  readonly inStatement: boolean;
  /**
   * For an `inStatement` route: an `insert` into `idempotent_request` recording `body` (sealed) as
   * the answer with `status`, to run as a data-modifying CTE of the statement that makes the
   * create's writes (or inside its transaction), its values added to `params`. A concurrent
   * attempt that recorded first makes the statement fail on `idempotent_request_pkey` (nothing of
   * it is written); the interceptor then answers the first attempt's record.
   * @throws Error on a route that claims its key beforehand (not `inStatement`).
   */
  recordSql(status: number, body: unknown, params: SqlParams): string;
}

/**
 * A create's answer for the statement that makes its writes to record (see
 * {@link IdempotentCall.recordSql}): the handler's call (null for a request without an
 * `MS-RequestId` of the caller's: nothing is recorded), the status and the body it answers.
 */
export interface IdempotentAnswer {
  call: IdempotentCall | null;
  status: number;
  body: unknown;
}

/** What looking a key up found, for a route that records its answer in its own statement. */
export type IdempotencyLookup = Exclude<IdempotencyClaim, { kind: 'claimed' }> | { kind: 'new' };

/** The constraint a second record of one key violates (PostgreSQL `unique_violation`, 23505). */
const RECORD_CONSTRAINT = 'idempotent_request_pkey';

/**
 * True when `error` (or its cause) is the unique violation of a second record of one key: another
 * attempt with the same `MS-RequestId` recorded its answer first.
 */
export function isIdempotentRecordConflict(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (code === '23505' && constraint === RECORD_CONSTRAINT) return true;
  }
  return false;
}

/** What claiming a key found. */
export type IdempotencyClaim =
  | { kind: 'claimed'; checkpoint: string | null }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'in_progress' }
  | { kind: 'reused' };

/** How long a pending claim is held before another attempt may take it over (a crashed instance). */
export const IDEMPOTENT_CLAIM_LEASE_SECONDS = 120;

/** The sealing key of stored answers: the deployment key under a label of its own. */
function keyOf(sealingKey: string): string {
  return `idempotent-request\u0000${sealingKey}`;
}

/** A UUID (version-4 layout) derived from `text` by SHA-256. */
export function uuidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The UUID an attempt of the create `key` derives for `label`: the same on every attempt. */
function derivedIdOf(key: IdempotencyKey, label: string): string {
  return uuidFrom([key.tenantId, key.route, key.requestId, label].join('\u0000'));
}

/** SHA-256 of a request body as received, to refuse a request id reused for another body. */
export function bodyHashOf(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('base64url');
}

/**
 * The `idempotent_request` table of one service (Partner Center's `MS-RequestId`, "This API is
 * idempotent"): the first attempt of a create claims its key with one statement and stores its
 * answer, sealed (AES-256-GCM under `LINK_SEALING_KEY` with a label of its own: answers carry a new
 * customer's or user's temporary password), with a second; a repeat reads it. A failed attempt
 * releases the claim but keeps its checkpoint (e.g. a temporary password already sent to
 * identity), so a retry completes the create with the same values.
 */
export class IdempotentRequests {
  constructor(
    private readonly em: EntityManager,
    private readonly sealingKey: string,
  ) {}

  /**
   * Claim `key` for this attempt: a new key, a failed attempt's key or a pending claim older than
   * the lease. Otherwise the stored answer (`replay`), an attempt still running (`in_progress`), or
   * a key first used with another body (`reused`).
   */
  async claim(key: IdempotencyKey, bodyHash: string): Promise<IdempotencyClaim> {
    const connection = this.em.getConnection();
    const claimed = await connection.execute<{ checkpoint_sealed: string | null }[]>(
      `insert into "idempotent_request" as r
         ("tenant_id", "route", "request_id", "body_hash", "state", "claimed_at", "created_at")
       values (?, ?, ?, ?, 'pending', now(), now())
       on conflict ("tenant_id", "route", "request_id") do update
         set "state" = 'pending', "claimed_at" = now()
         where r."body_hash" = excluded."body_hash"
           and (r."state" = 'failed'
                or (r."state" = 'pending' and r."claimed_at" < now() - make_interval(secs => ?)))
       returning r."checkpoint_sealed"`,
      [key.tenantId, key.route, key.requestId, bodyHash, IDEMPOTENT_CLAIM_LEASE_SECONDS],
    );
    if (claimed.length > 0) {
      const sealed = claimed[0].checkpoint_sealed;
      return { kind: 'claimed', checkpoint: sealed ? this.open(sealed) : null };
    }
    const found = await this.lookup(key, bodyHash);
    return found.kind === 'new' ? { kind: 'in_progress' } : found;
  }

  /**
   * What is recorded for `key`, without claiming it: the stored answer (`replay`), a key first used
   * with another body (`reused`), an attempt of a claiming route still running (`in_progress`), or
   * nothing (`new`). Routes that record their answer in their own statement look up instead of
   * claiming.
   */
  async lookup(key: IdempotencyKey, bodyHash: string): Promise<IdempotencyLookup> {
    const rows = await this.em.getConnection().execute<
      {
        state: string;
        status: number | null;
        response_sealed: string | null;
        body_hash: string;
      }[]
    >(
      `select "state", "status", "response_sealed", "body_hash" from "idempotent_request"
        where "tenant_id" = ? and "route" = ? and "request_id" = ?`,
      [key.tenantId, key.route, key.requestId],
    );
    const row = rows[0];
    if (!row) return { kind: 'new' };
    if (row.body_hash !== bodyHash) return { kind: 'reused' };
    if (row.state === 'done' && row.status !== null) {
      const body: unknown = row.response_sealed
        ? JSON.parse(this.open(row.response_sealed))
        : undefined;
      return { kind: 'replay', status: row.status, body };
    }
    // A failed attempt of a claiming route keeps its row: a route recording in its statement never
    // leaves one, so another state here is an attempt still running.
    return row.state === 'failed' ? { kind: 'new' } : { kind: 'in_progress' };
  }

  /**
   * Record the answer of an attempt of an `inStatement` route whose handler did not record it in
   * its own statement (a create that wrote nothing, e.g. a draft only): a record already there
   * stays.
   */
  async record(
    key: IdempotencyKey,
    bodyHash: string,
    status: number,
    body: unknown,
  ): Promise<void> {
    await this.em.getConnection().execute(
      `insert into "idempotent_request"
         ("tenant_id", "route", "request_id", "body_hash", "state", "status", "response_sealed",
          "claimed_at", "created_at")
       values (?, ?, ?, ?, 'done', ?, ?, now(), now())
       on conflict ("tenant_id", "route", "request_id") do nothing`,
      [
        key.tenantId,
        key.route,
        key.requestId,
        bodyHash,
        status,
        body === undefined ? null : this.seal(JSON.stringify(body)),
      ],
      'run',
    );
  }

  /** Store the answer of the attempt holding `key` (its checkpoint is dropped). */
  async complete(key: IdempotencyKey, status: number, body: unknown): Promise<void> {
    await this.em.getConnection().execute(
      `update "idempotent_request"
          set "state" = 'done', "status" = ?, "response_sealed" = ?, "checkpoint_sealed" = null
        where "tenant_id" = ? and "route" = ? and "request_id" = ?`,
      [
        status,
        body === undefined ? null : this.seal(JSON.stringify(body)),
        key.tenantId,
        key.route,
        key.requestId,
      ],
      'run',
    );
  }

  /** The attempt holding `key` failed: the next attempt may claim it (the checkpoint stays). */
  async release(key: IdempotencyKey): Promise<void> {
    await this.em.getConnection().execute(
      `update "idempotent_request" set "state" = 'failed'
        where "tenant_id" = ? and "route" = ? and "request_id" = ? and "state" = 'pending'`,
      [key.tenantId, key.route, key.requestId],
      'run',
    );
  }

  /** The {@link IdempotentCall} of a claimed key. */
  call(key: IdempotencyKey, checkpoint: string | null): IdempotentCall {
    return {
      key,
      checkpoint,
      inStatement: false,
      recordSql: () => {
        throw new Error('recordSql is for routes marked @Idempotent({ inStatement: true })');
      },
      saveCheckpoint: async (value: string) => {
        await this.em.getConnection().execute(
          `update "idempotent_request" set "checkpoint_sealed" = ?
            where "tenant_id" = ? and "route" = ? and "request_id" = ?`,
          [this.seal(value), key.tenantId, key.route, key.requestId],
          'run',
        );
      },
      derivedId: (label: string) => derivedIdOf(key, label),
    };
  }

  /**
   * The {@link IdempotentCall} of an attempt of an `inStatement` route (nothing claimed): its
   * `recordSql` records the answer in the create's own statement; `recorded` tells the interceptor
   * whether it did.
   */
  statementCall(key: IdempotencyKey, bodyHash: string): IdempotentCall & { recorded: boolean } {
    const call = {
      key,
      checkpoint: null,
      inStatement: true,
      recorded: false,
      saveCheckpoint: () =>
        Promise.reject(new Error('A route recording in its statement keeps no checkpoint')),
      derivedId: (label: string) => derivedIdOf(key, label),
      recordSql: (status: number, body: unknown, params: SqlParams) => {
        call.recorded = true;
        return `insert into "idempotent_request"
           ("tenant_id", "route", "request_id", "body_hash", "state", "status", "response_sealed",
            "claimed_at", "created_at")
         values (${params.add(key.tenantId)}::uuid, ${params.add(key.route)}, ${params.add(key.requestId)},
                 ${params.add(bodyHash)}, 'done', ${params.add(status)}::int,
                 ${params.add(body === undefined ? null : this.seal(JSON.stringify(body)))}, now(), now())`;
      },
    };
    return call;
  }

  private seal(text: string): string {
    return sealLink(text, keyOf(this.sealingKey));
  }

  private open(sealed: string): string {
    return openLink(sealed, keyOf(this.sealingKey));
  }
}

/**
 * Idempotency records older than `retentionHours` are deleted (README "Configuration":
 * `IDEMPOTENT_REQUEST_RETENTION_HOURS`, default 24): past it, a repeated `MS-RequestId` is a new
 * create, and no sealed temporary password outlives it.
 */
export function idempotentRequestRetentionRule(retentionHours: number): RetentionRule {
  return {
    name: 'idempotent_request',
    sql: `delete from "idempotent_request" where "ctid" in (
            select "ctid" from "idempotent_request"
             where "created_at" < now() - make_interval(secs => ?) limit ?)`,
    retentionSeconds: Math.round(retentionHours * 3600),
  };
}
