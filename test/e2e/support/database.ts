import { Client, type QueryResultRow } from 'pg';
import { harnessSettings } from './instances';
import { type ServiceName } from './system';

/**
 * Direct reads of the run's own PostgreSQL databases, to prove what a request did (not) write:
 * "nothing written", "exactly one row", the stored status.
 */

/** The connection string of a service's database of this run. */
export function databaseUrl(service: ServiceName): string {
  const settings = harnessSettings();
  return `${settings.postgresUrl}/${settings.databases[service]}`;
}

/**
 * A connected client of a service's database of this run, for a spec that queries it often; the
 * caller ends it (`afterAll(() => client.end())`).
 */
export async function connectDatabase(service: ServiceName): Promise<Client> {
  const client = new Client({ connectionString: databaseUrl(service) });
  await client.connect();
  return client;
}

/**
 * Runs one query against a service's database of this run (a short-lived connection) and returns
 * its rows.
 */
export async function dbRows<R extends QueryResultRow = Record<string, unknown>>(
  service: ServiceName,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = await connectDatabase(service);
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** `select count(*) from <table> where <where>` in a service's database. */
export async function dbCount(
  service: ServiceName,
  table: string,
  where: string,
  params: unknown[] = [],
): Promise<number> {
  const [row] = await dbRows<{ n: number }>(
    service,
    `select count(*)::int as n from "${table}" where ${where}`,
    params,
  );
  return row.n;
}

/** The count `n` a `select count(*) as n …` query answers in a service's database. */
export async function countRows(
  service: ServiceName,
  sql: string,
  params: unknown[] = [],
): Promise<number> {
  const [row] = await dbRows<{ n: string | number }>(service, sql, params);
  return Number(row?.n ?? 0);
}
