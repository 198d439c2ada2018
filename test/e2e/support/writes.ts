import { Queue } from 'bullmq';
import { redisOptionsFromUrl } from '@app/platform';
import { QUEUES } from '@app/contracts';
import { connectDatabase } from './database';
import { harnessSettings } from './instances';
import type { ServiceName } from './system';
import type { Client } from 'pg';

/**
 * Proof that a request wrote nothing: a signature of a service's database (per table, the row
 * count and the newest row version's transaction id, `xmin`: an insert, update or delete of
 * committed data changes it), compared before and after the request. `outbox_message` counts rows
 * only: the relay marks rows relayed in the background.
 */

/**
 * Tables whose rows the services update in the background (counted, not versioned): the relay
 * marks outbox rows relayed; identity retires signing keys after a rotation and purges expired
 * refresh tokens.
 */
const BACKGROUND_UPDATED = new Set([
  'outbox_message',
  'signing_key',
  'refresh_token',
  // The chainer marks entries chained after they commit (and appends their links).
  'activity_log_entry',
]);

/**
 * Security events a refused request writes on purpose (issue 14: an auditor wants them): the
 * attempt that locks a sign-in name (`user.locked_out`, answered 429 or a refusal page) and a
 * reused refresh token (`session.revoked`, answered 401). Their rows are left out of the
 * signatures; every other write of a refused request still counts.
 */
const REFUSAL_EVENTS = `('user.locked_out', 'session.revoked')`;
/**
 * Entries the platform's own periodic jobs record (actor kind `system`: the GDAP lifecycle's
 * expiry, notices and extensions of relationships other tests made) land whenever their time
 * comes, not because of a request: left out like the refusal events.
 */
const NOT_A_REQUEST = `("type" in ${REFUSAL_EVENTS} or "actor_kind" = 'system')`;
const ROWS_OF: Record<string, string> = {
  outbox_message: `where not ("name" = 'audit.recorded' and "payload"->>'type' in ${REFUSAL_EVENTS})`,
  activity_log_entry: `where not ${NOT_A_REQUEST}`,
  activity_log_chain: `where "entry_id" not in (select "id" from "activity_log_entry" where ${NOT_A_REQUEST})`,
};

/** A reusable reader of database signatures (one connection per service). */
export class DatabaseSignatures {
  private readonly clients = new Map<ServiceName, Client>();
  private readonly queries = new Map<ServiceName, string>();

  constructor(private readonly services: ServiceName[]) {}

  async open(): Promise<void> {
    for (const service of this.services) {
      const client = await connectDatabase(service);
      this.clients.set(service, client);
      const tables = await client.query<{ name: string }>(
        `select table_name as name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
      );
      this.queries.set(
        service,
        tables.rows
          .map(({ name }) => {
            const quoted = `"${name.replace(/"/g, '""')}"`;
            const version = BACKGROUND_UPDATED.has(name)
              ? `'-'`
              : `coalesce(max(xmin::text::bigint), 0)::text`;
            const rows = ROWS_OF[name] ?? '';
            return `select '${name}' as t, count(*)::int as n, ${version} as x from ${quoted} ${rows}`;
          })
          .join(' union all '),
      );
    }
  }

  /** `{ "service.table": "count@xmin" }` for every table of every service. */
  async read(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const service of this.services) {
      const client = this.clients.get(service);
      const query = this.queries.get(service);
      if (!client || !query) throw new Error('DatabaseSignatures.open() first.');
      const result = await client.query<{ t: string; n: number; x: string }>(query);
      for (const row of result.rows) out[`${service}.${row.t}`] = `${row.n}@${row.x}`;
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.end()));
    this.clients.clear();
  }
}

/** The tables whose signature differs between two reads. */
export function changedTables(
  before: Record<string, string>,
  after: Record<string, string>,
): string[] {
  return Object.keys({ ...before, ...after }).filter((key) => before[key] !== after[key]);
}

/**
 * Waits for the background work of earlier requests to land: no outbox row waits to be relayed in
 * identity, relationships or notifications, no job of any queue waits or runs, and no activity log
 * entry waits to be chained. Open once, `settle()` as often as needed, close at the end.
 */
export class Quiescence {
  private queues: Queue[] = [];
  private clients: Client[] = [];

  async open(): Promise<void> {
    const settings = harnessSettings();
    this.queues = Object.values(QUEUES).map(
      (name) =>
        new Queue(name, {
          connection: { ...redisOptionsFromUrl(settings.redisUrl), maxRetriesPerRequest: 1 },
          prefix: settings.bullmqPrefix,
        }),
    );
    this.clients = await Promise.all(
      (['identity', 'relationships', 'notifications'] as const).map((service) =>
        connectDatabase(service),
      ),
    );
  }

  /**
   * Bounded poll until nothing is pending. The lane's system is shared by every spec of the run,
   * so what earlier specs left (webhook retries, emails) drains first; on a loaded machine that
   * took over 20 s (a CI run at load 13), hence a minute.
   * @throws Error when the system does not settle within `timeoutMs`.
   */
  async settle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let busy = 0;
      for (const client of this.clients) {
        const result = await client.query<{ n: number }>(
          // The relay's own backlog: a row settled before it was relayed (an email withdrawn
          // within the relay's gathering window) never will be, and waits for nothing.
          'select count(*)::int as n from outbox_message where relayed_at is null and settled_at is null',
        );
        busy += result.rows[0].n;
      }
      // In the order the work flows (outbox, queues, activity log), so that a job finishing
      // between two reads is seen by the later one: read before the queues, an audit event's
      // entry written by a job in flight went unseen by both, and its chaining landed later.
      for (const queue of this.queues) {
        const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
        busy += Object.values(counts).reduce((a, b) => a + b, 0);
      }
      const unchained = await this.clients[1].query<{ n: number }>(
        'select count(*)::int as n from activity_log_entry where not chained',
      );
      busy += unchained.rows[0].n;
      if (busy === 0) return;
      if (Date.now() >= deadline) {
        throw new Error(`The system did not settle within ${timeoutMs} ms (${busy} pending).`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
    await Promise.all(this.clients.map((client) => client.end()));
  }
}
