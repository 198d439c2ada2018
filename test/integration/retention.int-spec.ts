import { Logger } from '@nestjs/common';
import { OutboxMessage, OutboxService, outboxRetentionRule } from '@app/outbox';
import { RetentionPurge } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { customerUserRetentionRule } from '../../apps/identity/src/customer-users/customer-user-retention';
import { processedRequestRetentionRule } from '../../apps/identity/src/customers/processed-request-retention';
import type { IdentityConfig } from '../../apps/identity/src/config/identity.config';
import { ENTITIES as IDENTITY_ENTITIES } from '../../apps/identity/src/database/entities';
import { MIGRATIONS as IDENTITY_MIGRATIONS } from '../../apps/identity/src/database/migrations';
import type { NotificationsConfig } from '../../apps/notifications/src/config/notifications.config';
import { ENTITIES as NOTIFICATIONS_ENTITIES } from '../../apps/notifications/src/database/entities';
import { MIGRATIONS as NOTIFICATIONS_MIGRATIONS } from '../../apps/notifications/src/database/migrations';
import { deliveryRetentionRule } from '../../apps/notifications/src/delivery-store/delivery-retention';
import { MIGRATIONS as RELATIONSHIPS_MIGRATIONS } from '../../apps/relationships/src/database/migrations';
import { IntegrationDatabase, createIntegrationDatabase } from './support/database';

/**
 * Bounded growth (issue 13 goal 6), on PostgreSQL through each service's committed migrations:
 * every retention rule deletes the finished rows older than its retention and nothing else (not a
 * recent finished row, never an unfinished one, however old), and a cancelled email whose outbox
 * row was deleted is answered as settled instead of queueing a cancel for nothing.
 */

const HOUR = 3600;
const KEY = 'link-sealing-key-for-integration-tests-0123456789';

describe('retention of settled outbox rows', () => {
  let db: IntegrationDatabase;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    db = await createIntegrationDatabase([OutboxMessage], RELATIONSHIPS_MIGRATIONS);
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function insertRow(age: string, settled: boolean): Promise<string> {
    const id = randomUUID();
    await db.orm.em.getConnection().execute(
      `insert into "outbox_message" ("id", "queue", "name", "payload", "created_at", "relayed_at",
          "relay_count", "settled_at", "settlement")
        values (?, 'identity-events', 'partnership.removed', '{}', now() - ?::interval,
          now() - ?::interval, 1, ${settled ? 'now() - ?::interval' : 'null'}, ${settled ? "'completed'" : 'null'})`,
      settled ? [id, age, age, age] : [id, age, age],
    );
    return id;
  }

  async function ids(): Promise<string[]> {
    const rows = await db.orm.em
      .getConnection()
      .execute<{ id: string }[]>(`select "id" from "outbox_message"`);
    return rows.map((row) => row.id);
  }

  it('deletes settled rows past the retention and keeps recent and unsettled ones', async () => {
    const oldSettled = await insertRow('3 hours', true);
    const recentSettled = await insertRow('10 minutes', true);
    const oldUnsettled = await insertRow('30 days', false);
    const purge = new RetentionPurge(db.orm.em, [outboxRetentionRule(2 * HOUR)], 60_000);

    expect(await purge.purgeOnce()).toEqual({ outbox_message: 1 });
    const left = await ids();
    expect(left).not.toContain(oldSettled);
    expect(left).toEqual(expect.arrayContaining([recentSettled, oldUnsettled]));
    expect(await purge.purgeOnce()).toEqual({ outbox_message: 0 });
  });

  it('answers a cancel of an email whose row is gone as already settled, writing nothing', async () => {
    const outbox = new OutboxService({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: 'unused',
      linkSealingKey: KEY,
      pollIntervalMs: 1000,
      batchSize: 10,
    });
    const before = (await ids()).length;
    const answer = await db.orm.em
      .fork()
      .transactional((tx) => outbox.cancelEmail(tx, randomUUID(), 'revoked'));
    expect(answer).toBe('already-settled');
    expect((await ids()).length).toBe(before);
  });
});

describe('retention of processed-request records (identity)', () => {
  let db: IntegrationDatabase;

  beforeAll(async () => {
    db = await createIntegrationDatabase(IDENTITY_ENTITIES, IDENTITY_MIGRATIONS);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('deletes the records older than PROCESSED_REQUEST_RETENTION_HOURS only', async () => {
    const old = randomUUID();
    const recent = randomUUID();
    await db.orm.em.getConnection().execute(
      `insert into "processed_request" ("request_id", "pattern", "response", "created_at")
        values (?, 'customers.create', null, now() - interval '8 days'),
               (?, 'customers.create', null, now() - interval '1 day')`,
      [old, recent],
    );
    const config = { PROCESSED_REQUEST_RETENTION_HOURS: 168 } satisfies Partial<IdentityConfig>;
    const retention = new RetentionPurge(
      db.orm.em,
      [processedRequestRetentionRule(config)],
      60_000,
    );

    expect(await retention.purgeOnce()).toEqual({ processed_request: 1 });
    const rows = await db.orm.em
      .getConnection()
      .execute<{ request_id: string }[]>(`select "request_id" from "processed_request"`);
    expect(rows.map((row) => row.request_id)).toEqual([recent]);
  });
});

describe('retention of soft-deleted customer users (identity)', () => {
  let db: IntegrationDatabase;

  beforeAll(async () => {
    db = await createIntegrationDatabase(IDENTITY_ENTITIES, IDENTITY_MIGRATIONS);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('purges the users deleted longer ago than CUSTOMER_USER_RETENTION_DAYS only', async () => {
    const tenant = randomUUID();
    const [old, recent, active] = [randomUUID(), randomUUID(), randomUUID()];
    const connection = db.orm.em.getConnection();
    await connection.execute(
      `insert into "tenant" ("id", "kind", "name", "country", "cloud", "locale", "domain")
        values (?, 'customer', 'Adatum', 'US', 'public', 'en', 'adatum.onmicrosoft.example')`,
      [tenant],
    );
    await connection.execute(
      `insert into "user_account" ("id", "tenant_id", "email", "first_name", "last_name", "roles",
          "password_hash", "locale", "disabled", "soft_deleted_at")
        values (?, ?, 'old@adatum.example', 'O', 'Ld', '[]', 'x', 'en', true, now() - interval '31 days'),
               (?, ?, 'recent@adatum.example', 'R', 'Ecent', '[]', 'x', 'en', true, now() - interval '29 days'),
               (?, ?, 'active@adatum.example', 'A', 'Ctive', '[]', 'x', 'en', false, null)`,
      [old, tenant, recent, tenant, active, tenant],
    );
    const config = { CUSTOMER_USER_RETENTION_DAYS: 30 } satisfies Partial<IdentityConfig>;
    const retention = new RetentionPurge(db.orm.em, [customerUserRetentionRule(config)], 60_000);

    expect(await retention.purgeOnce()).toEqual({ soft_deleted_user: 1 });
    const rows = await connection.execute<{ id: string }[]>(
      `select "id" from "user_account" order by "email"`,
    );
    expect(rows.map((row) => row.id).sort()).toEqual([active, recent].sort());
  });
});

describe('retention of delivery records (notifications)', () => {
  let db: IntegrationDatabase;

  beforeAll(async () => {
    db = await createIntegrationDatabase(NOTIFICATIONS_ENTITIES, NOTIFICATIONS_MIGRATIONS);
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function insertDelivery(status: string, settled: boolean, age: string): Promise<string> {
    const key = randomUUID();
    await db.orm.em.getConnection().execute(
      `insert into "delivery" ("idempotency_key", "template", "message_id", "status", "settled",
          "created_at", "updated_at")
        values (?, 'partnership-request', ?, ?, ?, now() - ?::interval, now() - ?::interval)`,
      [key, `<${key}@partners.example>`, status, settled, age, age],
    );
    return key;
  }

  it('deletes settled records past the retention; a pending or retrying one is never deleted', async () => {
    const oldSent = await insertDelivery('sent', true, '31 days');
    const oldSkipped = await insertDelivery('skipped', true, '40 days');
    const recentSent = await insertDelivery('sent', true, '2 days');
    const oldPending = await insertDelivery('pending', false, '60 days');
    const oldRetrying = await insertDelivery('failed', false, '60 days');
    const config = { DELIVERY_RECORD_RETENTION_HOURS: 720 } satisfies Partial<NotificationsConfig>;
    const retention = new RetentionPurge(db.orm.em, [deliveryRetentionRule(config)], 60_000);

    expect(await retention.purgeOnce()).toEqual({ delivery: 2 });
    const rows = await db.orm.em
      .getConnection()
      .execute<{ idempotency_key: string }[]>(`select "idempotency_key" from "delivery"`);
    const left = rows.map((row) => row.idempotency_key);
    expect(left).toEqual(expect.arrayContaining([recentSent, oldPending, oldRetrying]));
    expect(left).not.toContain(oldSent);
    expect(left).not.toContain(oldSkipped);
  });
});
