import { Logger } from '@nestjs/common';
import { SqlParams } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { RelationshipsConfig } from '../../apps/relationships/src/config/relationships.config';
import { InvitationEmailCaps } from '../../apps/relationships/src/invitations/invitation-email-caps';
import { InvitationEmailSend } from '../../apps/relationships/src/invitations/invitation-email-send.entity';
import { MIGRATIONS as RELATIONSHIPS_MIGRATIONS } from '../../apps/relationships/src/database/migrations';
import { IntegrationDatabase, createIntegrationDatabase } from './support/database';

/**
 * The caps on invitation emails as PostgreSQL counts them (`invitation_email_take`, the function
 * `InvitationEmailCaps.takeSql` calls in the statement that writes an invitation), through the
 * relationships service's committed migrations: at most `limit` emails per inviting partner in any
 * hour and per recipient in any 24 hours, a refusal (`PC429`, the `limit`-th newest send times in
 * its detail) writes nothing, and the counted sends do not grow without end (the recipient's older
 * than a day go, the partner's two oldest per new send, and a partner whose newest send is older
 * than a day starts its ranks again). Times are passed in, as the service passes its clock.
 */

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const PER_PARTNER = 3;
const PER_RECIPIENT = 2;
const T0 = new Date('2026-12-01T08:00:00.000Z').getTime();

const caps = new InvitationEmailCaps({
  INVITATION_EMAILS_PER_PARTNER_PER_HOUR: PER_PARTNER,
  INVITATION_EMAILS_PER_RECIPIENT_PER_DAY: PER_RECIPIENT,
} as RelationshipsConfig);

let db: IntegrationDatabase;
let client: Client;

beforeAll(async () => {
  Logger.overrideLogger(false);
  db = await createIntegrationDatabase([InvitationEmailSend], RELATIONSHIPS_MIGRATIONS);
  client = new Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

/**
 * One send, counted at `atMs` through the service's own expression (`InvitationEmailCaps.takeSql`:
 * its lock keys, windows, offsets and normalized recipient); null or the refusal.
 */
async function take(
  partner: string,
  recipient: string,
  atMs: number,
): Promise<{ code: string; detail: { partner: string | null; recipient: string | null } } | null> {
  const params = new SqlParams();
  const expression = caps.takeSql(
    { partnerTenantId: partner, recipient, invitationId: randomUUID() },
    new Date(atMs),
    params,
  );
  try {
    await client.query(`select ${expression}`, params.values);
    return null;
  } catch (error) {
    const { code, detail } = error as { code?: string; detail?: string };
    if (code !== 'PC429' || !detail) throw error;
    const times = JSON.parse(detail) as { partner: string | null; recipient: string | null };
    // PostgreSQL writes the times with an offset; compared as instants.
    const instant = (value: string | null) => (value ? new Date(value).toISOString() : null);
    return {
      code,
      detail: { partner: instant(times.partner), recipient: instant(times.recipient) },
    };
  }
}

/** The counted sends of a partner, oldest rank first. */
async function sendsOf(partner: string): Promise<{ seq: number; recipient: string; at: number }[]> {
  const { rows } = await client.query<{ seq: string; recipient: string; sent_at: Date }>(
    `select "partner_seq"::text as "seq", "recipient", "sent_at" from "invitation_email_send"
      where "partner_tenant_id" = $1 order by "partner_seq"`,
    [partner],
  );
  return rows.map((r) => ({ seq: Number(r.seq), recipient: r.recipient, at: r.sent_at.getTime() }));
}

async function sendsTo(recipient: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `select count(*)::text as "n" from "invitation_email_send" where "recipient" = $1`,
    [recipient],
  );
  return Number(rows[0].n);
}

const iso = (ms: number) => new Date(ms).toISOString();
const address = (name: string) => `${name}.${randomUUID().slice(0, 8)}@northwind.example`;

describe('invitation_email_take', () => {
  it('counts a partner’s sends in rank order and refuses one more inside the hour, writing nothing', async () => {
    const partner = randomUUID();
    for (let i = 0; i < PER_PARTNER; i += 1) {
      expect(await take(partner, address(`r${i}`), T0 + i * 60_000)).toBeNull();
    }
    expect((await sendsOf(partner)).map((s) => s.seq)).toEqual([1, 2, 3]);
    const refused = await take(partner, address('over'), T0 + 30 * 60_000);
    // The `limit`-th newest send (the first one) leaves the hour first.
    expect(refused).toEqual({ code: 'PC429', detail: { partner: iso(T0), recipient: null } });
    expect(await sendsOf(partner)).toHaveLength(PER_PARTNER);
    // Once the first send is more than an hour old, there is room for one more.
    expect(await take(partner, address('later'), T0 + HOUR_MS + 1)).toBeNull();
    expect((await sendsOf(partner)).map((s) => s.seq)).toEqual([1, 2, 3, 4]);
  });

  it('caps one recipient per day across partners, whatever its partners', async () => {
    const recipient = address('admin');
    const partners = [randomUUID(), randomUUID(), randomUUID()];
    expect(await take(partners[0], recipient, T0)).toBeNull();
    expect(await take(partners[1], recipient, T0 + HOUR_MS)).toBeNull();
    expect(await take(partners[2], recipient, T0 + 2 * HOUR_MS)).toEqual({
      code: 'PC429',
      detail: { partner: null, recipient: iso(T0) },
    });
    expect(await sendsTo(recipient)).toBe(PER_RECIPIENT);
    expect(await sendsOf(partners[2])).toEqual([]);
    expect(await take(partners[2], recipient, T0 + DAY_MS + 1)).toBeNull();
  });

  it('reports both caps when both are reached', async () => {
    const partner = randomUUID();
    const recipient = address('both');
    expect(await take(partner, recipient, T0)).toBeNull();
    expect(await take(partner, recipient, T0 + 1_000)).toBeNull();
    expect(await take(partner, address('third'), T0 + 2_000)).toBeNull();
    expect(await take(partner, recipient, T0 + 3_000)).toEqual({
      code: 'PC429',
      detail: { partner: iso(T0), recipient: iso(T0) },
    });
  });

  it('forgets a recipient’s sends older than a day and a partner’s two oldest per new send', async () => {
    const partner = randomUUID();
    const recipient = address('old');
    // Five sends an hour apart, then one to the first recipient a day after the fourth: the
    // recipient's send older than a day goes, then the partner's two oldest left (older than a day
    // too).
    for (let i = 0; i < 5; i += 1) {
      expect(
        await take(partner, i === 0 ? recipient : address(`o${i}`), T0 + i * HOUR_MS),
      ).toBeNull();
    }
    const now = T0 + 4 * HOUR_MS + DAY_MS - 1;
    expect(await take(partner, recipient, now)).toBeNull();
    const left = await sendsOf(partner);
    expect(left.map((s) => s.seq)).toEqual([4, 5, 6]);
    expect(left.filter((s) => s.recipient === recipient).map((s) => s.at)).toEqual([now]);
    // One more, to someone else: the partner's two oldest are older than a day too.
    expect(await take(partner, address('next'), now + 3 * HOUR_MS)).toBeNull();
    expect((await sendsOf(partner)).map((s) => s.seq)).toEqual([6, 7]);
  });

  it('starts a partner’s ranks again when its newest send is older than a day', async () => {
    const partner = randomUUID();
    expect(await take(partner, address('a'), T0)).toBeNull();
    expect(await take(partner, address('b'), T0 + 1_000)).toBeNull();
    const later = T0 + 1_000 + DAY_MS + 1;
    expect(await take(partner, address('c'), later)).toBeNull();
    expect(await sendsOf(partner)).toEqual([expect.objectContaining({ seq: 1, at: later })]);
  });

  it('records a send no earlier than the partner’s newest (another instance’s clock ahead)', async () => {
    const partner = randomUUID();
    expect(await take(partner, address('ahead'), T0 + 5_000)).toBeNull();
    expect(await take(partner, address('behind'), T0)).toBeNull();
    expect((await sendsOf(partner)).map((s) => s.at)).toEqual([T0 + 5_000, T0 + 5_000]);
  });
});
