import { emailsTo, type EmailQuery, type ReceivedEmail } from './maildev';
import { system, type ServiceName } from './system';

/** The subset of `pg` these helpers use (the package ships no types here). */
interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}
type PgClientConstructor = new (options: { connectionString: string }) => PgClient;

/** What the global setup wrote about the databases of the run (`settings` in system.json). */
interface DatabaseSettings {
  settings?: { postgresUrl?: string; databases?: Partial<Record<ServiceName, string>> };
}

/**
 * Runs one read-only query against a service's database of this e2e run (to prove "nothing
 * written" or "exactly one row") and returns its rows. Opens and closes its own connection.
 */
export async function queryDatabase(
  service: ServiceName,
  sql: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const { settings } = system() as unknown as DatabaseSettings;
  const database = settings?.databases?.[service];
  if (!settings?.postgresUrl || !database) {
    throw new Error('The e2e system.json names no database for this service.');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as { Client: PgClientConstructor };
  const client = new Client({ connectionString: `${settings.postgresUrl}/${database}` });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Waits (bounded poll over MailDev) for an email to `query.to` that also satisfies `predicate`
 * (e.g. "not one of the emails seen before", "carries this link") and returns the newest such.
 * @throws Error naming the subjects that did arrive when none matches in time.
 */
export async function waitForEmailWhere(
  query: EmailQuery,
  predicate: (email: ReceivedEmail) => boolean,
): Promise<ReceivedEmail> {
  const deadline = Date.now() + (query.timeoutMs ?? 15000);
  for (;;) {
    const found = (await emailsTo(query)).filter(predicate);
    if (found.length > 0) return found[found.length - 1];
    if (Date.now() >= deadline) {
      const seen = (await emailsTo({ to: query.to })).map((email) => JSON.stringify(email.subject));
      throw new Error(
        `No matching email to ${query.to} within ${query.timeoutMs ?? 15000} ms (received for that address: ${seen.join(', ') || 'none'}).`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
