import { Migration } from '@mikro-orm/migrations';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, Options, defineConfig } from '@mikro-orm/postgresql';
import { DEFAULT_DATABASE_POOL_SIZE } from '../config';

export type MigrationList = { name: string; class: new (...args: never[]) => Migration }[];

/**
 * MikroORM options of a service: PostgreSQL at `clientUrl`, the entities listed explicitly, and the
 * committed migrations listed explicitly (no globs, so the built output needs no source paths);
 * a pool of at most `poolMax` connections (`DATABASE_POOL_SIZE`, default
 * {@link DEFAULT_DATABASE_POOL_SIZE}), opened on demand. A request waits for a free connection
 * rather than adding a backend process that would only compete for the database's cores.
 */
export function databaseOptions(
  clientUrl: string,
  entities: Options['entities'],
  migrations: MigrationList,
  poolMax: number = DEFAULT_DATABASE_POOL_SIZE,
): Options {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    migrations: {
      migrationsList: migrations as never,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    ensureDatabase: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: { min: 0, max: poolMax },
    discovery: { warnWhenNoEntities: false },
  });
}

/**
 * The `migrate` step: create the database if it is missing and apply pending migrations.
 * Returns the names of the migrations it applied.
 */
export async function runMigrations(options: Options): Promise<string[]> {
  const orm = await MikroORM.init({ ...options, ensureDatabase: true });
  try {
    const applied = await orm.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}
