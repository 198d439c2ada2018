import { QUEUES } from '@app/contracts';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import request from 'supertest';
import { deleteRedisKeys, migrateAll } from '../../../scripts/lib/system';
import {
  bearer,
  emailsTo,
  enrollPartner,
  eventually,
  expectStatus,
  harnessSettings,
  linkIn,
  startExtraInstance,
  uniqueEmail,
  uniqueName,
  uniqueSuffix,
  waitForEmail,
  type EnrolledPartner,
  type ExtraInstance,
  type PartnershipRequestSent,
  type RelationshipRequestSent,
} from '../support';

/**
 * Availability (issue 13, goal 2): a write that only queues an email succeeds while the
 * notifications service is down, and its email is delivered once it is back, exactly once. The
 * invitation's draft is rendered in relationships itself (`@app/email-rendering`), never by a call
 * to notifications.
 *
 * The system under test is a group of its own beside the harness: a message namespace of its own,
 * an identity instance answering in it (on the harness's identity database and BullMQ prefix), a
 * relationships instance on a database and a BullMQ prefix of its own, and, at first, no
 * notifications instance in that namespace or on that prefix at all. Then a notifications instance of the group starts (the
 * harness's MailDev, its notifications database) and the queued emails arrive.
 */

interface EmailRow {
  id: string;
  to: string;
  settlement: string | null;
}

const settings = harnessSettings();
const suffix = uniqueSuffix();
const namespace = `${settings.messageNamespace}outage-${suffix}:`;
const bullmqPrefix = `${settings.bullmqPrefix}-outage-${suffix}`;
const databases = {
  ...settings.databases,
  relationships: `${settings.databases.relationships}_outage`,
};

let identity: ExtraInstance | undefined;
let relationships: ExtraInstance | undefined;
let notifications: ExtraInstance | undefined;
let db: Client | undefined;
let queue: Queue | undefined;

/** The group's relationships database. */
function database(): Client {
  if (!db) throw new Error('The outage test database is not connected.');
  return db;
}

/** The group's relationships instance. */
function relationshipsUrl(): string {
  if (!relationships) throw new Error('The outage relationships instance is not running.');
  return relationships.url;
}

/** The `email.send` outbox rows of the group's relationships database for these recipients. */
async function emailRows(recipients: string[]): Promise<EmailRow[]> {
  const { rows } = await database().query<EmailRow>(
    `select "id", "payload"->>'to' as "to", "settlement" from "outbox_message"
      where "name" = 'email.send' and "payload"->>'to' = any($1::text[])`,
    [recipients],
  );
  return rows;
}

beforeAll(async () => {
  await migrateAll({ ...settings, databases });
  db = new Client({ connectionString: `${settings.postgresUrl}/${databases.relationships}` });
  await db.connect();
  // Identity keeps the harness's BullMQ prefix: its relay shares the harness's identity database,
  // and the emails it relays must stay the harness's.
  identity = await startExtraInstance('identity', () => ({ messageNamespace: namespace }));
  relationships = await startExtraInstance('relationships', () => ({
    messageNamespace: namespace,
    bullmqPrefix,
    databases,
  }));
  const url = new URL(settings.redisUrl);
  queue = new Queue(QUEUES.notifications, {
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      db: Number(url.pathname.replace('/', '') || 0),
      maxRetriesPerRequest: null,
    },
    prefix: bullmqPrefix,
  });
}, 120_000);

afterAll(async () => {
  await Promise.all([notifications?.stop(), relationships?.stop(), identity?.stop()]);
  await queue?.close();
  await db?.end();
  const admin = new Client({ connectionString: `${settings.postgresUrl}/postgres` });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${databases.relationships}" with (force)`);
  } finally {
    await admin.end();
  }
  await deleteRedisKeys({ ...settings, bullmqPrefix });
});

describe('while notifications is down', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;

  beforeAll(async () => {
    [provider, reseller] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Tailspin Toys') }),
    ]);
  });

  it('accepts partnership and reseller relationship requests with their drafts, and delivers each email once when it is back', async () => {
    const partnershipTo = Array.from({ length: 3 }, (_, i) =>
      uniqueEmail(`reseller-${i}`, 'fabrikam'),
    );
    const relationshipTo = Array.from({ length: 3 }, (_, i) =>
      uniqueEmail(`admin-${i}`, 'northwind'),
    );

    const partnershipRequests = await Promise.all(
      partnershipTo.map(async (email) =>
        expectStatus<PartnershipRequestSent>(
          await request(relationshipsUrl())
            .post('/v1/partnership-requests')
            .set(bearer(provider.token))
            .send({ email, customMessage: 'Looking forward to working with you' }),
          201,
        ),
      ),
    );
    const relationshipRequests = await Promise.all(
      relationshipTo.map(async (email, i) =>
        expectStatus<RelationshipRequestSent>(
          await request(relationshipsUrl())
            .post('/v1/customers/relationship-requests')
            .set(bearer(reseller.token))
            .send({ email, delegatedAdmin: i % 2 === 0 }),
          201,
        ),
      ),
    );
    // The drafts are the emails as they will be sent: subject, both parts, the link in them.
    for (const sent of [...partnershipRequests, ...relationshipRequests]) {
      expect(sent.queued).toBe(true);
      expect(sent.draft.subject.length).toBeGreaterThan(0);
      expect(sent.draft.text).toContain(sent.draft.link);
      expect(sent.draft.html).toContain('<html');
    }
    for (const sent of partnershipRequests) {
      expect(sent.draft.subject).toContain(provider.name);
      expect(sent.draft.text).toContain('Looking forward to working with you');
    }
    for (const sent of relationshipRequests) expect(sent.draft.text).toContain(reseller.name);

    // Queued: relayed to the group's BullMQ queue, where nothing consumes them yet.
    const recipients = [...partnershipTo, ...relationshipTo];
    await eventually('every email to wait in the queue', async () => {
      const counts = await queue?.getJobCounts('wait');
      return counts && counts.wait === recipients.length ? true : undefined;
    });
    for (const to of recipients) expect(await emailsTo({ to })).toEqual([]);

    notifications = await startExtraInstance('notifications', () => ({
      messageNamespace: namespace,
      bullmqPrefix,
    }));

    for (const to of recipients) await waitForEmail({ to, timeoutMs: 30_000 });
    // Settled by the relay once the worker recorded each delivery: no email is still on its way.
    const rows = await eventually(
      'every outbox row to be settled',
      async () => {
        const found = await emailRows(recipients);
        return found.length === recipients.length && found.every((r) => r.settlement === 'sent')
          ? found
          : undefined;
      },
      30_000,
    );
    for (const row of rows) {
      const delivered = await emailsTo({ to: row.to });
      expect(delivered).toHaveLength(1);
      expect(delivered[0].headers['message-id']).toBe(`<${row.id}@${settings.messageIdDomain}>`);
    }
    // Each email carries the link its draft showed.
    for (const sent of [...partnershipRequests, ...relationshipRequests]) {
      const [email] = await emailsTo({ to: sent.email });
      expect(linkIn(email)).toBe(sent.draft.link);
    }
  });
});
