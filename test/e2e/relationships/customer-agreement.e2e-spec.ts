import { Queue } from 'bullmq';
import type { Client } from 'pg';
import { JOBS, QUEUES } from '@app/contracts';
import { redisOptionsFromUrl } from '@app/platform';
import {
  api,
  bearer,
  connectDatabase,
  countRows,
  customerAgreementOf,
  dbRows,
  draftRelationshipRequest,
  enrollPartner,
  eventually,
  expectStatus,
  harnessSettings,
  recordedCustomerAgreementOf,
  signUpCustomer,
  tokenOfLink,
  uniqueName,
  uniqueSuffix,
  type EnrolledPartner,
  type SignedUpCustomer,
} from '../support';
import { Quiescence } from '../support/writes';

/**
 * No service-to-service call inside a database transaction (issue point 19; DESIGN.md
 * "Communication"). The Customer Agreement a customer accepts with a reseller relationship used to
 * be recorded by identity, called from inside relationships' transaction: when the acceptance then
 * failed, the agreement stayed recorded. Now the acceptance writes it in its own transaction with a
 * `customer-agreement.accepted` event for identity (the outbox): if the acceptance fails after
 * that step, nothing reaches identity; once it commits, identity records it, once.
 *
 * The failure after the agreement step is injected with a trigger on relationships' database that
 * refuses this customer's reseller relationship row (the step that follows the agreement).
 */

interface Accepted {
  customerId: string;
  customerAgreementAcceptedAt: string;
}

function accept(token: string, requestToken: string) {
  return api('relationships')
    .post('/v1/customers/relationship-requests/accept')
    .set(bearer(token))
    .send({ token: requestToken, acceptCustomerAgreement: true });
}

async function agreementEvents(customerId: string): Promise<number> {
  return countRows(
    'relationships',
    `select count(*) as n from outbox_message
      where name = $1 and payload->>'customerTenantId' = $2`,
    [JOBS.customerAgreementAccepted, customerId],
  );
}

describe('the Customer Agreement is recorded only once the acceptance commits', () => {
  let partner: EnrolledPartner;
  let db: Client;
  const quiescence = new Quiescence();

  beforeAll(async () => {
    partner = await enrollPartner({ partnerType: 'direct', name: uniqueName('Tailspin') });
    db = await connectDatabase('relationships');
    await quiescence.open();
  });

  afterAll(async () => {
    await db?.end();
    await quiescence.close();
  });

  /** Refuses every reseller relationship row of `customerId` until the returned function drops it. */
  async function failRelationshipsOf(customerId: string): Promise<() => Promise<void>> {
    const name = `pcp_test_fault_${uniqueSuffix()}`;
    await db.query(`create function ${name}() returns trigger language plpgsql as $$
      begin raise exception 'injected fault'; end $$`);
    await db.query(
      `create trigger ${name} before insert or update on reseller_relationship for each row
        when (new.customer_id = '${customerId}'::uuid) execute function ${name}()`,
    );
    return async () => {
      await db.query(`drop trigger ${name} on reseller_relationship`);
      await db.query(`drop function ${name}()`);
    };
  }

  it('leaves the agreement unrecorded everywhere when the acceptance fails after the agreement step, and records it once when it commits', async () => {
    const customer: SignedUpCustomer = await signUpCustomer();
    const sent = await draftRelationshipRequest(partner, {
      email: customer.email,
      delegatedAdmin: true,
    });
    const token = tokenOfLink(sent.draft.link);

    const restore = await failRelationshipsOf(customer.tenantId);
    try {
      expect((await accept(customer.token, token)).status).toBe(500);
    } finally {
      await restore();
    }
    // Whatever was on its way has landed: still nothing recorded, in identity or here.
    await quiescence.settle();
    expect(await customerAgreementOf(customer)).toEqual({
      customerAgreementAcceptedAt: null,
      customerAgreementAcceptedBy: null,
    });
    expect(await agreementEvents(customer.tenantId)).toBe(0);
    expect(
      await dbRows(
        'relationships',
        'select customer_agreement_accepted_at from customer where id = $1',
        [customer.tenantId],
      ),
    ).toEqual([]);
    expect(
      await dbRows('relationships', 'select status from invitation where id = $1', [sent.id]),
    ).toEqual([{ status: 'pending' }]);

    // The same link, now that nothing fails: accepted, and recorded by identity as answered.
    const accepted = expectStatus<Accepted>(await accept(customer.token, token), 200);
    expect(await recordedCustomerAgreementOf(customer)).toEqual({
      customerAgreementAcceptedAt: accepted.customerAgreementAcceptedAt,
      customerAgreementAcceptedBy: customer.userId,
    });
    expect(await agreementEvents(customer.tenantId)).toBe(1);
    // Longer than the quiescence wait's own minute, so that a slow drain of what earlier specs left
    // fails with its count of pending work instead of the test's timeout.
  }, 150_000);

  it('keeps the first acceptance when the event arrives again (identity consumes it idempotently), and asks no second one', async () => {
    const customer = await signUpCustomer();
    const first = await draftRelationshipRequest(partner, { email: customer.email });
    const accepted = expectStatus<Accepted>(
      await accept(customer.token, tokenOfLink(first.draft.link)),
      200,
    );
    const recorded = await recordedCustomerAgreementOf(customer);

    // A replayed event with another time and user changes nothing.
    const settings = harnessSettings();
    const queue = new Queue(QUEUES.identityEvents, {
      connection: { ...redisOptionsFromUrl(settings.redisUrl), maxRetriesPerRequest: 1 },
      prefix: settings.bullmqPrefix,
    });
    try {
      const job = await queue.add(JOBS.customerAgreementAccepted, {
        customerTenantId: customer.tenantId,
        acceptedByUserId: partner.tenantId,
        acceptedAt: new Date(Date.now() + 60_000).toISOString(),
        invitationId: first.id,
      });
      await eventually('the replayed event processed', async () =>
        (await job.getState()) === 'completed' ? true : undefined,
      );
    } finally {
      await queue.close();
    }
    expect(await customerAgreementOf(customer)).toEqual(recorded);

    // Another partner's request later: no agreement asked, none queued again.
    const other = await enrollPartner({ partnerType: 'direct', name: uniqueName('Litware') });
    const second = await draftRelationshipRequest(other, { email: customer.email });
    const again = expectStatus<Accepted>(
      await api('relationships')
        .post('/v1/customers/relationship-requests/accept')
        .set(bearer(customer.token))
        .send({ token: tokenOfLink(second.draft.link) }),
      200,
    );
    expect(again.customerAgreementAcceptedAt).toBe(accepted.customerAgreementAcceptedAt);
    expect(await agreementEvents(customer.tenantId)).toBe(1);
  });
});
