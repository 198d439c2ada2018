import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  REFUSING_URL,
  acceptReceivedPartnership,
  addActiveUser,
  api,
  bearer,
  dbRows,
  draftPartnershipRequest,
  enrollPartner,
  expectApiError,
  expectStatus,
  getReceivedPartnershipRequests,
  partnerRelationships,
  receivedPartnershipRequests,
  registerEndpoint,
  tokenOfLink,
  uniqueName,
  waitForDelivery,
  waitForEmail,
  type ActivatedUser,
  type AddedUser,
  type Collection,
  type EnrolledPartner,
  type PartnerRelationship,
  type PartnershipRequestSent,
} from '../support';

/**
 * The partnership requests an indirect reseller received (seed 004 "Connect with an indirect
 * provider": the provider's request, authorized by the reseller with "Authorize indirect
 * provider"), listed for the reseller signed in to its account and authorized from that list
 * without the emailed token: `GET /v1/partnership-requests/received` and
 * `POST /v1/partnership-requests/received/{id}/accept`. Received means sent to an address the
 * reseller's organisation holds (an enabled user who proved it: the rule that decides who may
 * accept a token), or accepted by it. Played by the receiving reseller, a stranger, the sending
 * provider, a second reseller, users of the reseller without the permissions, and requests already
 * accepted, revoked or expired.
 */

interface ActivityLogEntry {
  type: string;
  requestId: string | null;
  actor: { userId: string | null; tenantId: string | null };
  tenantIds: string[];
  resource: { type: string; id: string };
}

async function invitationRow(id: string): Promise<unknown> {
  return dbRows(
    'relationships',
    `select status, token_hash, accepted_at, accepted_by_tenant_id, revoked_at, expires_at
       from invitation where id = $1`,
    [id],
  );
}

async function partnershipRows(providerId: string, resellerId: string): Promise<unknown> {
  return dbRows(
    'relationships',
    'select status from partnership where provider_tenant_id = $1 and reseller_tenant_id = $2',
    [providerId, resellerId],
  );
}

async function activity(token: string, type: string): Promise<ActivityLogEntry[]> {
  return expectStatus<Collection<ActivityLogEntry>>(
    await api('relationships')
      .get('/v1/activity-logs')
      .query({
        filter: JSON.stringify({ Field: 'eventType', Value: type, Operator: 'equals' }),
        size: 500,
      })
      .set(bearer(token)),
    200,
  ).items;
}

/** Status and body of a refusal, for comparing two of them. */
function refusal(response: Response): unknown {
  return { status: response.status, body: response.body as unknown };
}

describe('received partnership requests', () => {
  let provider: EnrolledPartner;
  /** The reseller the requests are sent to. */
  let reseller: EnrolledPartner;
  /** Another reseller that receives its own request from the same provider. */
  let secondReseller: EnrolledPartner;
  /** An organisation with no tie to anyone. */
  let stranger: EnrolledPartner;
  /** Another indirect provider (sends the requests the states are played with). */
  let otherProvider: EnrolledPartner;
  let salesAgent: ActivatedUser & AddedUser;
  let billingAdmin: ActivatedUser & AddedUser;
  const customMessage = 'Looking forward to growing with you in the channel';
  let toReseller: PartnershipRequestSent;
  let toSecond: PartnershipRequestSent;

  beforeAll(async () => {
    [provider, reseller, secondReseller, stranger, otherProvider] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Woodgrove') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Litware') }),
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Tailspin') }),
    ]);
    [salesAgent, billingAdmin] = await Promise.all([
      addActiveUser(reseller.token, ['SalesAgent']),
      addActiveUser(reseller.token, ['BillingAdmin']),
    ]);
    toReseller = expectStatus<PartnershipRequestSent>(
      await api('relationships')
        .post('/v1/partnership-requests')
        .set(bearer(provider.token))
        .send({ email: reseller.email.toUpperCase(), customMessage, draftOnly: true }),
      201,
    );
    toSecond = await draftPartnershipRequest(provider, secondReseller.email);
  });

  describe('the list', () => {
    it("shows the receiving reseller the pending request sent to its address, with who asks and the provider's words", async () => {
      const list = await receivedPartnershipRequests(reseller.token);
      expect(list.attributes).toEqual({ objectType: 'Collection' });
      expect(list.items).toEqual([
        {
          id: toReseller.id,
          status: 'pending',
          email: reseller.email.toLowerCase(),
          provider: {
            tenantId: provider.tenantId,
            name: provider.name,
            mpnId: provider.mpnId,
            country: provider.country,
          },
          inviter: { name: expect.any(String) as unknown },
          customMessage,
          createdAt: expect.any(String) as unknown,
          expiresAt: toReseller.expiresAt,
          acceptedAt: null,
          attributes: { objectType: 'ReceivedPartnershipRequest' },
        },
      ]);
      expect(JSON.stringify(list)).not.toContain(tokenOfLink(toReseller.draft.link));
    });

    it('shows a colleague of the invitee (any role that reads the channel) the same list', async () => {
      const list = await receivedPartnershipRequests(salesAgent.token);
      expect(list.items.map((item) => item.id)).toEqual([toReseller.id]);
    });

    it("shows a second reseller only its own request, a stranger and the sending provider none of the reseller's", async () => {
      const second = await receivedPartnershipRequests(secondReseller.token);
      expect(second.items.map((item) => item.id)).toEqual([toSecond.id]);
      for (const other of [stranger, provider]) {
        const list = await receivedPartnershipRequests(other.token);
        expect(list.items).toEqual([]);
        expect(JSON.stringify(list)).not.toContain(toReseller.id);
      }
      // The provider still lists what it sent.
      const sent = expectStatus<Collection<{ id: string }>>(
        await api('relationships').get('/v1/partnership-requests').set(bearer(provider.token)),
        200,
      );
      expect(sent.items.map((item) => item.id)).toEqual(
        expect.arrayContaining([toReseller.id, toSecond.id]),
      );
    });

    it('refuses a user of the reseller whose role does not read the channel: 403', async () => {
      expectApiError(
        await getReceivedPartnershipRequests(billingAdmin.token),
        403,
        'auth.forbidden',
      );
    });

    it('pages by keyset (size, seek) and refuses unknown parameters and other statuses', async () => {
      const more = await draftPartnershipRequest(otherProvider, reseller.email);
      const first = await receivedPartnershipRequests(reseller.token, { size: '1' });
      expect(first.items.map((item) => item.id)).toEqual([more.id]);
      expect(first.continuationToken).toEqual(expect.any(String));
      expect(first.links.next?.uri).toBe(
        '/v1/partnership-requests/received?size=1&seekOperation=Next',
      );
      const second = await receivedPartnershipRequests(reseller.token, {
        size: '1',
        seek: first.continuationToken as string,
      });
      expect(second.items.map((item) => item.id)).toEqual([toReseller.id]);
      expect(second.continuationToken).toBeUndefined();
      const refused: Record<string, string>[] = [
        { mine: 'true' },
        { status: 'revoked' },
        { status: 'expired' },
      ];
      for (const query of refused) {
        expectApiError(
          await getReceivedPartnershipRequests(reseller.token, query),
          400,
          'request.invalid',
        );
      }
      // Revoked, it leaves the list (the tests below count on one pending request).
      expectStatus(
        await api('relationships')
          .delete(`/v1/partnership-requests/${more.id}`)
          .set(bearer(otherProvider.token)),
        204,
      );
    });
  });

  describe('authorizing from the list', () => {
    it("answers a stranger, a second reseller and the sending provider as for an id that exists nowhere (or refuses the provider's role), nothing changed", async () => {
      const before = await invitationRow(toReseller.id);
      for (const other of [stranger, secondReseller]) {
        const response = await acceptReceivedPartnership(other.token, toReseller.id);
        expectApiError(response, 404, 'invitation.not_found', 'relationships');
        const unknown = await acceptReceivedPartnership(other.token, randomUUID());
        expect(refusal(response)).toEqual(refusal(unknown));
        expect(response.text).not.toContain(reseller.email.toLowerCase());
      }
      // An indirect provider authorizes no one, its own request least of all.
      expectApiError(
        await acceptReceivedPartnership(provider.token, toReseller.id),
        403,
        'partnership.reseller_only',
      );
      expect(await invitationRow(toReseller.id)).toEqual(before);
      expect(await partnershipRows(provider.tenantId, stranger.tenantId)).toEqual([]);
      expect(await partnershipRows(provider.tenantId, secondReseller.tenantId)).toEqual([]);
    });

    it('refuses a user of the reseller without the permission to manage relationships: 403', async () => {
      expectApiError(
        await acceptReceivedPartnership(salesAgent.token, toReseller.id),
        403,
        'auth.forbidden',
      );
      expect(await partnershipRows(provider.tenantId, reseller.tenantId)).toEqual([]);
    });

    it('asks for the explicit authorization, saying what it gives, and writes nothing without it', async () => {
      const before = await invitationRow(toReseller.id);
      const withoutBody = await api('relationships')
        .post(`/v1/partnership-requests/received/${toReseller.id}/accept`)
        .set(bearer(reseller.token));
      const answers = [withoutBody];
      for (const body of [{}, { authorize: false }, { authorize: 'true' }]) {
        answers.push(await acceptReceivedPartnership(reseller.token, toReseller.id, body));
      }
      for (const answer of answers) {
        const refused = expectApiError(answer, 400, 'partnership.authorization_required');
        expect(refused.description).toContain(
          'submit orders and add subscriptions on behalf of your customers',
        );
        expect(refused.description).toContain('administrator access');
      }
      expectApiError(
        await acceptReceivedPartnership(reseller.token, toReseller.id, {
          authorize: true,
          token: tokenOfLink(toReseller.draft.link),
        }),
        400,
        'request.invalid',
      );
      expect(await invitationRow(toReseller.id)).toEqual(before);
    });

    it('establishes the partnership as the emailed link does: the lists, the activity log, the webhook, the email to the inviter', async () => {
      const endpoint = await registerEndpoint(provider.token, {
        url: REFUSING_URL,
        eventTypes: ['partnership.established'],
      });
      const since = new Date();
      const requestId = randomUUID();
      const accepted = expectStatus<PartnerRelationship>(
        await api('relationships')
          .post(`/v1/partnership-requests/received/${toReseller.id}/accept`)
          .set(bearer(reseller.token))
          .set('MS-RequestId', requestId)
          .send({ authorize: true }),
        200,
      );
      expect(accepted).toMatchObject({
        id: provider.tenantId,
        name: provider.name,
        mpnId: provider.mpnId,
        relationshipType: 'is_indirect_reseller_of',
        attributes: { objectType: 'PartnerRelationship' },
      });

      const providers = await partnerRelationships(reseller.token, 'IsIndirectResellerOf');
      expect(providers.items.map((item) => item.id)).toContain(provider.tenantId);
      const resellers = await partnerRelationships(
        provider.token,
        'IsIndirectCloudSolutionProviderOf',
      );
      expect(resellers.items.map((item) => item.id)).toContain(reseller.tenantId);

      const pending = await receivedPartnershipRequests(reseller.token, { status: 'pending' });
      expect(pending.items.map((item) => item.id)).not.toContain(toReseller.id);
      const done = await receivedPartnershipRequests(reseller.token, { status: 'accepted' });
      expect(done.items).toEqual([
        expect.objectContaining({
          id: toReseller.id,
          status: 'accepted',
          acceptedAt: expect.any(String) as unknown,
        }),
      ]);
      const sent = expectStatus<Collection<{ id: string; acceptedByTenantId: string | null }>>(
        await api('relationships')
          .get('/v1/partnership-requests')
          .query({ status: 'accepted' })
          .set(bearer(provider.token)),
        200,
      );
      expect(sent.items).toEqual([
        expect.objectContaining({ id: toReseller.id, acceptedByTenantId: reseller.tenantId }),
      ]);

      for (const token of [reseller.token, provider.token]) {
        const entries = (await activity(token, 'partnership.established')).filter(
          (entry) => entry.requestId === requestId,
        );
        expect(entries).toEqual([
          expect.objectContaining({
            actor: expect.objectContaining({ tenantId: reseller.tenantId }) as unknown,
            tenantIds: expect.arrayContaining([provider.tenantId, reseller.tenantId]) as unknown,
            resource: { type: 'partnership', id: accepted.partnershipId },
          }),
        ]);
      }
      await waitForDelivery(
        provider.token,
        endpoint.id,
        'the partnership.established event',
        (delivery) =>
          delivery.eventType === 'partnership.established' &&
          delivery.resource.id === accepted.partnershipId,
      );
      await waitForEmail({
        to: provider.email,
        subjectIncludes: 'accepted your partnership request',
        since,
        timeoutMs: 30_000,
      });
    });

    it('answers a request already accepted 409, by id as by its token', async () => {
      expectApiError(
        await acceptReceivedPartnership(reseller.token, toReseller.id),
        409,
        'invitation.already_accepted',
      );
      expectApiError(
        await api('relationships')
          .post('/v1/partnership-requests/accept')
          .set(bearer(reseller.token))
          .send({ token: tokenOfLink(toReseller.draft.link), authorize: true }),
        409,
        'invitation.already_accepted',
      );
    });

    it('answers a second pending request from a provider it already partners with 409 partnership.exists, the request left pending', async () => {
      const duplicate = await draftPartnershipRequest(provider, reseller.email);
      const before = await invitationRow(duplicate.id);
      expectApiError(
        await acceptReceivedPartnership(reseller.token, duplicate.id),
        409,
        'partnership.exists',
      );
      expect(await invitationRow(duplicate.id)).toEqual(before);
    });

    it('answers a revoked request 410 invitation.revoked and no longer lists it', async () => {
      const revoked = await draftPartnershipRequest(otherProvider, reseller.email);
      expectStatus(
        await api('relationships')
          .delete(`/v1/partnership-requests/${revoked.id}`)
          .set(bearer(otherProvider.token)),
        204,
      );
      expectApiError(
        await acceptReceivedPartnership(reseller.token, revoked.id),
        410,
        'invitation.revoked',
      );
      const list = await receivedPartnershipRequests(reseller.token);
      expect(list.items.map((item) => item.id)).not.toContain(revoked.id);
      // Another organisation still learns nothing of it.
      expectApiError(
        await acceptReceivedPartnership(stranger.token, revoked.id),
        404,
        'invitation.not_found',
      );
    });

    it('answers an expired request 410 invitation.expired and no longer lists it', async () => {
      const expired = await draftPartnershipRequest(otherProvider, reseller.email);
      await dbRows(
        'relationships',
        `update invitation set expires_at = now() - interval '1 second' where id = $1`,
        [expired.id],
      );
      expectApiError(
        await acceptReceivedPartnership(reseller.token, expired.id),
        410,
        'invitation.expired',
      );
      const list = await receivedPartnershipRequests(reseller.token);
      expect(list.items.map((item) => item.id)).not.toContain(expired.id);
      expect(await partnershipRows(otherProvider.tenantId, reseller.tenantId)).toEqual([]);
    });

    it('lets the second reseller authorize its own request from its list', async () => {
      const accepted = expectStatus<PartnerRelationship>(
        await acceptReceivedPartnership(secondReseller.token, toSecond.id),
        200,
      );
      expect(accepted.id).toBe(provider.tenantId);
      const list = await receivedPartnershipRequests(secondReseller.token, { status: 'accepted' });
      expect(list.items.map((item) => item.id)).toEqual([toSecond.id]);
    });
  });
});
