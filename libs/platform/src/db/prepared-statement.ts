import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import type { ClientBase, QueryResultRow } from 'pg';

/** Statement names by text, bounded: a hot path has a handful of shapes. */
const NAMES = new Map<string, string>();
const MAX_NAMES = 1_000;

function nameOf(text: string): string {
  let name = NAMES.get(text);
  if (name) return name;
  name = `pcp_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
  if (NAMES.size >= MAX_NAMES) NAMES.clear();
  NAMES.set(text, name);
  return name;
}

/**
 * Parameters of one statement: `add(value)` appends a value and answers its placeholder (`$1`,
 * `$2`, …), so that a statement assembled from fragments (data-modifying CTEs written by several
 * features) numbers them in order.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Execute `text` with `values` (`$1…$n`) on the connection of `em`'s open transaction (inside
 * `em.transactional`), as a named prepared statement: PostgreSQL parses and plans each distinct
 * text once per connection (the name is a hash of the text), then only binds and executes it, and
 * the driver sends the parameters beside the text in one write, without the ORM's query building
 * or quoting. For the hot write paths, where one multi-table statement replaces several
 * unit-of-work round trips; `text` must not vary with the data, only its parameters. Values: a
 * `Date` is sent as a timestamp with its offset, an array as a PostgreSQL array; cast `jsonb` from
 * a JSON string. Entities loaded in `em` do not see what it writes.
 * @throws Error when `em` has no open transaction; the database's error as the driver raises it.
 */
export async function executePrepared<R extends QueryResultRow = QueryResultRow>(
  em: EntityManager,
  text: string,
  values: unknown[],
): Promise<R[]> {
  const trx = em.getTransactionContext<Knex.Transaction>();
  if (!trx) throw new Error('executePrepared needs an open transaction');
  // A transaction's knex client answers the transaction's own connection (a pg client).
  const txClient = trx.client as { acquireConnection(): Promise<ClientBase> };
  const client = await txClient.acquireConnection();
  const result = await client.query<R>({ name: nameOf(text), text, values });
  return result.rows;
}

/**
 * How PostgreSQL plans a statement. `'once'`: as a named statement, parsed once per connection
 * and, after its first executions, run on a generic plan kept for the connection's life (until an
 * ANALYZE of its tables invalidates it). `'each time'`: as the unnamed statement, parsed and
 * planned on every execution with the values at hand. A statement whose best plan depends on how
 * large a growing table is takes `'each time'`: the generic plan made while the table was small
 * (a new deployment's first minutes) reads it whole, and keeps reading it whole as it grows.
 */
export type StatementPlanning = 'once' | 'each time';

/**
 * `executePrepared` for one statement that is a whole transaction by itself (PostgreSQL runs a
 * statement outside a transaction block atomically: all its data-modifying CTEs, triggers and
 * functions commit together or not at all): on a connection of `em`'s pool, without BEGIN and
 * COMMIT, two round trips fewer than inside `em.transactional`. Use it only when nothing else
 * must commit with the statement. `planning`: see `StatementPlanning` (default `'once'`).
 * @throws Error when `em` has an open transaction (use `executePrepared`); the database's error
 *   as the driver raises it.
 */
export async function executePreparedAlone<R extends QueryResultRow = QueryResultRow>(
  em: EntityManager,
  text: string,
  values: unknown[],
  planning: StatementPlanning = 'once',
): Promise<R[]> {
  if (em.getTransactionContext()) throw new Error('executePreparedAlone runs outside transactions');
  const client = em.getConnection().getKnex().client as {
    acquireConnection(): Promise<ClientBase>;
    releaseConnection(connection: ClientBase): Promise<unknown>;
  };
  const connection = await client.acquireConnection();
  try {
    const result = await connection.query<R>(
      planning === 'once' ? { name: nameOf(text), text, values } : { text, values },
    );
    return result.rows;
  } finally {
    await client.releaseConnection(connection);
  }
}
