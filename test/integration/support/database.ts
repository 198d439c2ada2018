import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { MigrationList, databaseOptions, runMigrations } from '@app/platform';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { devSettings } from '../../../scripts/lib/system';

/** The local PostgreSQL server (`npm start`'s: 127.0.0.1:5432, user postgres), without a database. */
const POSTGRES_URL = devSettings().postgresUrl;

/** One test file's own database and a MikroORM instance on it. */
export interface IntegrationDatabase {
  /** `pcp_int_<12 hex digits>`. */
  name: string;
  /** Its connection string (for a `pg` client or a LISTEN connection). */
  url: string;
  orm: MikroORM;
  /** Closes the ORM and drops the database (connections of others terminated). */
  drop(): Promise<void>;
}

async function onServer(work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: `${POSTGRES_URL}/postgres` });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  await onServer((client) => client.query(`drop database if exists "${name}" with (force)`));
}

/**
 * A database of its own for one integration test file: `pcp_int_<random>` created on the local
 * server, a service's committed `migrations` applied the way its `migrate` step applies them
 * (`databaseOptions` + `runMigrations` from `@app/platform`), and MikroORM opened on it with
 * `entities`. Call `drop()` in `afterAll`; a failure while setting up drops it at once.
 */
export async function createIntegrationDatabase(
  entities: Options['entities'],
  migrations: MigrationList,
): Promise<IntegrationDatabase> {
  const name = `pcp_int_${randomBytes(6).toString('hex')}`;
  await onServer((client) => client.query(`create database "${name}"`));
  const url = `${POSTGRES_URL}/${name}`;
  try {
    const options = databaseOptions(url, entities, migrations);
    await runMigrations({ ...options, migrations: { ...options.migrations, silent: true } });
    const orm = await MikroORM.init(options);
    return {
      name,
      url,
      orm,
      drop: async () => {
        await orm.close(true);
        await dropDatabase(name);
      },
    };
  } catch (error) {
    await dropDatabase(name);
    throw error;
  }
}
