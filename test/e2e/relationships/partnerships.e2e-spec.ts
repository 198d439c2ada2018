import {
  customerFilter,
  acceptPartnership,
  activateUser,
  addActiveUser,
  api,
  bearer,
  dbRows,
  emailsTo,
  enrollPartner,
  establishPartnership,
  expectStatus,
  linkIn,
  partnerRelationships,
  sendPartnershipRequest,
  system,
  tokenIn,
  uniqueEmail,
  uniqueName,
  waitForEmail,
  waitForEmailCarrying,
  type ApiError,
  type Collection,
  type CreatedCustomer,
  type CustomerPartner,
  type EnrolledPartner,
  type PartnerRelationship,
  type PartnershipRequestSent,
  type ReceivedEmail,
  newCustomerBody,
  errorCode,
} from '../support';

/**
 * Partnerships between indirect providers and indirect resellers (seed 002 "Connect with indirect
 * resellers", "Remove partnership"; seed 004 "Connect with an indirect provider"; DESIGN.md
 * "Partnership", "Invitation link"), black-box over HTTP, emails read from MailDev.
 */

interface ActivityLogEntry {
  type: string;
  actor: { kind: string; userId: string | null; tenantId: string | null };
  tenantIds: string[];
  resource: { type: string; id: string };
}

/** The email's link, or its subject when it carries none (for comparing what arrived). */
function linkOrSubject(email: ReceivedEmail): string {
  try {
    return linkIn(email);
  } catch {
    return email.subject;
  }
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9faf]/;

function requestPartnership(token: string | undefined, body: Record<string, unknown>) {
  const call = api('relationships').post('/v1/partnership-requests');
  return token ? call.set(bearer(token)).send(body) : call.send(body);
}

function accept(token: string, body: Record<string, unknown>) {
  return api('relationships').post('/v1/partnership-requests/accept').set(bearer(token)).send(body);
}

async function customerIds(token: string): Promise<string[]> {
  const list = expectStatus<Collection<{ id: string }>>(
    await api('relationships').get('/v1/customers').query({ size: 500 }).set(bearer(token)),
    200,
  );
  return list.items.map((item) => item.id);
}

async function activity(token: string, type: string): Promise<ActivityLogEntry[]> {
  const log = expectStatus<Collection<ActivityLogEntry>>(
    await api('relationships')
      .get('/v1/activity-logs')
      .query({
        filter: JSON.stringify({ Field: 'eventType', Value: type, Operator: 'equals' }),
        size: 500,
      })
      .set(bearer(token)),
    200,
  );
  return log.items;
}

/** Creates a customer as `partner` (optionally for one of its indirect resellers). */
async function createCustomer(
  partner: EnrolledPartner,
  indirectResellerId?: string,
): Promise<CreatedCustomer> {
  return expectStatus<CreatedCustomer>(
    await api('relationships')
      .post('/v1/customers')
      .set(bearer(partner.token))
      .send(
        newCustomerBody({
          companyName: uniqueName('Adatum'),
          country: partner.country,
          indirectResellerId,
          subscriptions: [],
        }),
      ),
    201,
  );
}

async function invitationRows(email: string): Promise<Record<string, unknown>[]> {
  return dbRows('relationships', 'SELECT id, token_hash, status FROM invitation WHERE email = $1', [
    email.toLowerCase(),
  ]);
}

describe('partnerships', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  let direct: EnrolledPartner;
  /** Another indirect provider: sends marker emails and plays "another tenant". */
  let other: EnrolledPartner;

  beforeAll(async () => {
    [provider, reseller, direct, other] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Litware') }),
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Tailspin') }),
    ]);
  });

  describe('requesting a partnership', () => {
    it('answers the draft and delivers the same email with the personalized link and the custom message', async () => {
      const to = uniqueEmail('felix', 'fabrikam');
      const customMessage = 'Looking forward to growing with you in the channel';
      const request = expectStatus<PartnershipRequestSent>(
        await requestPartnership(provider.token, { email: to, customMessage }),
        201,
      );
      expect(request).toMatchObject({ email: to.toLowerCase(), status: 'pending', queued: true });
      expect(request.draft.link).toMatch(
        new RegExp(
          `^${system().urls.relationships}/invitations/partnership\\?token=[A-Za-z0-9_-]{22,}$`,
        ),
      );
      expect(request.draft.subject).toContain(provider.name);
      expect(request.draft.text).toContain(request.draft.link);
      expect(request.draft.text).toContain(customMessage);
      expect(request.draft.html).toContain(customMessage);

      const email = await waitForEmail({ to });
      expect(email.subject).toBe(request.draft.subject);
      expect(linkIn(email)).toBe(request.draft.link);
      expect(email.text).toContain(customMessage);
      expect(email.text).toContain(request.draft.link);
      expect(email.html).toContain(customMessage);
      expect(email.headers['content-language']).toBe('en');

      // The link opens the relationships invitation page, which names the inviting provider.
      const page = await fetch(linkIn(email));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(provider.mpnId);

      // The token is stored only as a hash.
      const rows = await invitationRows(to);
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).not.toBe(tokenIn(email));
      expect(String(rows[0].token_hash)).not.toContain(tokenIn(email));
    });

    it('with draftOnly answers the draft and sends no email', async () => {
      const to = uniqueEmail('drafted', 'fabrikam');
      const drafted = expectStatus<PartnershipRequestSent>(
        await requestPartnership(provider.token, { email: to, draftOnly: true }),
        201,
      );
      expect(drafted.queued).toBe(false);
      expect(drafted.draft.subject).toContain(provider.name);
      expect(drafted.draft.text).toContain(drafted.draft.link);
      expect(new URL(drafted.draft.link).searchParams.get('token')).toEqual(expect.any(String));

      // Marker: a later request that is sent; once it arrived, nothing else did.
      const marker = expectStatus<PartnershipRequestSent>(
        await requestPartnership(provider.token, { email: to }),
        201,
      );
      await waitForEmailCarrying(to, marker.draft.link);
      const all = await emailsTo({ to });
      expect(all.map(linkOrSubject)).toEqual([marker.draft.link]);
    });

    it('delivers a Japanese email when asked for locale ja', async () => {
      const to = uniqueEmail('taro', 'fabrikam');
      const request = expectStatus<PartnershipRequestSent>(
        await requestPartnership(provider.token, { email: to, locale: 'ja' }),
        201,
      );
      expect(request.draft.subject).toMatch(JAPANESE);
      const email = await waitForEmail({ to });
      expect(email.subject).toBe(request.draft.subject);
      expect(email.subject).toMatch(JAPANESE);
      expect(email.text).toMatch(JAPANESE);
      expect(email.headers['content-language']).toBe('ja');
      expect(linkIn(email)).toBe(request.draft.link);
    });

    it('refuses a reseller, a direct partner, a Sales agent of the provider (403) and no token (401), writing nothing', async () => {
      const to = uniqueEmail('refused', 'fabrikam');
      for (const partner of [reseller, direct]) {
        const refused = expectStatus<ApiError>(
          await requestPartnership(partner.token, { email: to }),
          403,
        );
        expect(refused).toMatchObject({
          code: errorCode('partnership.provider_only'),
          source: 'relationships',
        });
      }

      const sales = await addActiveUser(provider.token, ['SalesAgent']);
      const salesRefused = expectStatus<ApiError>(
        await requestPartnership(sales.token, { email: to }),
        403,
      );
      expect(salesRefused.code).toBe(errorCode('auth.forbidden'));
      // The Sales agent may read partnerships, so the token itself works.
      await partnerRelationships(sales.token, 'IsIndirectCloudSolutionProviderOf');

      const anonymous = expectStatus<ApiError>(
        await requestPartnership(undefined, { email: to }),
        401,
      );
      expect(anonymous.code).toBe(errorCode('auth.unauthenticated'));

      expect(await invitationRows(to)).toEqual([]);
    });
  });

  describe('accepting a partnership request', () => {
    let token: string;
    let acceptedAt: Date;
    let partnershipId: string;

    beforeAll(async () => {
      const { email } = await sendPartnershipRequest(provider, reseller.email);
      token = tokenIn(email);
      expect(linkIn(email)).toContain(
        `${system().urls.relationships}/invitations/partnership?token=`,
      );
    });

    it('needs authorize: true (400) and an indirect reseller (403); the token stays usable for the reseller (200)', async () => {
      const missing = expectStatus<ApiError>(await accept(reseller.token, { token }), 400);
      expect(missing.code).toBe(errorCode('partnership.authorization_required'));
      const notTrue = expectStatus<ApiError>(
        await accept(reseller.token, { token, authorize: 'yes' }),
        400,
      );
      expect(notTrue.code).toBe(errorCode('partnership.authorization_required'));

      const byProvider = expectStatus<ApiError>(
        await accept(other.token, { token, authorize: true }),
        403,
      );
      expect(byProvider.code).toBe(errorCode('partnership.reseller_only'));

      acceptedAt = new Date();
      const accepted = expectStatus<PartnerRelationship>(
        await accept(reseller.token, { token, authorize: true }),
        200,
      );
      expect(accepted).toMatchObject({
        id: provider.tenantId,
        name: provider.name,
        mpnId: provider.mpnId,
        relationshipType: 'is_indirect_reseller_of',
        attributes: { objectType: 'PartnerRelationship' },
      });
      partnershipId = accepted.partnershipId;
    });

    it('shows the reseller on the provider’s list and the provider on the reseller’s, in Partner Center shapes', async () => {
      const resellers = await partnerRelationships(
        provider.token,
        'IsIndirectCloudSolutionProviderOf',
      );
      expect(resellers).toMatchObject({
        totalCount: expect.any(Number),
        items: expect.any(Array),
        links: expect.any(Object),
        attributes: { objectType: 'Collection' },
      });
      expect(resellers.items).toContainEqual(
        expect.objectContaining({
          id: reseller.tenantId,
          name: reseller.name,
          mpnId: reseller.mpnId,
          relationshipType: 'is_indirect_cloud_solution_provider_of',
          attributes: { objectType: 'PartnerRelationship' },
        }),
      );
      expect(resellers.totalCount).toBe(resellers.items.length);

      const providers = await partnerRelationships(reseller.token, 'IsIndirectResellerOf');
      expect(providers.attributes).toEqual({ objectType: 'Collection' });
      expect(providers.items).toContainEqual(
        expect.objectContaining({
          id: provider.tenantId,
          name: provider.name,
          mpnId: provider.mpnId,
          relationshipType: 'is_indirect_reseller_of',
          attributes: { objectType: 'PartnerRelationship' },
        }),
      );
      // The provider that only tried to accept is on nobody's list.
      expect(providers.items.map((item) => item.id)).not.toContain(other.tenantId);
    });

    it('sends the inviter an "accepted" email', async () => {
      const note = await waitForEmail({
        to: provider.email,
        subjectIncludes: 'accepted your partnership request',
        since: acceptedAt,
      });
      expect(note.subject).toContain(reseller.name);
    });

    it('answers the same token again with 409 and an unknown token with 404', async () => {
      const again = expectStatus<ApiError>(
        await accept(reseller.token, { token, authorize: true }),
        409,
      );
      expect(again.code).toBe(errorCode('invitation.already_accepted'));
      const unknown = expectStatus<ApiError>(
        await accept(reseller.token, { token: `${'A'.repeat(40)}unknown`, authorize: true }),
        404,
      );
      expect(unknown.code).toBe(errorCode('invitation.not_found'));
    });

    it('shares no customers by itself', async () => {
      const [providersOwn, resellersOwn] = await Promise.all([
        createCustomer(provider),
        createCustomer(reseller),
      ]);
      const [ofProvider, ofReseller] = await Promise.all([
        customerIds(provider.token),
        customerIds(reseller.token),
      ]);
      expect(ofProvider).toContain(providersOwn.id);
      expect(ofProvider).not.toContain(resellersOwn.id);
      expect(ofReseller).toContain(resellersOwn.id);
      expect(ofReseller).not.toContain(providersOwn.id);
    });

    describe('removing the partnership', () => {
      let customer: CreatedCustomer;
      let customerToken: string;

      beforeAll(async () => {
        customer = await createCustomer(provider, reseller.tenantId);
        customerToken = (
          await activateUser(customer.userCredentials.userName, customer.userCredentials.password)
        ).token;
      });

      it('needs confirm: true (400), then removes it (204) keeping customers and delegated admin privileges, with no notice', async () => {
        const partnersBefore = expectStatus<Collection<CustomerPartner>>(
          await api('relationships').get('/v1/partners').set(bearer(customerToken)),
          200,
        );
        expect(partnersBefore.items).toContainEqual(
          expect.objectContaining({
            id: reseller.tenantId,
            delegatedAdminPrivileges: expect.objectContaining({ active: true }),
          }),
        );

        for (const body of [{}, { confirm: false }, { confirm: 'yes' }]) {
          const unconfirmed = expectStatus<ApiError>(
            await api('relationships')
              .delete(`/v1/relationships/${reseller.tenantId}`)
              .set(bearer(provider.token))
              .send(body),
            400,
          );
          expect(unconfirmed.code).toBe(errorCode('partnership.confirmation_required'));
        }
        expect(
          (await partnerRelationships(provider.token, 'IsIndirectCloudSolutionProviderOf')).items,
        ).toContainEqual(expect.objectContaining({ id: reseller.tenantId }));

        const seenBefore = new Set(
          [
            ...(await emailsTo({ to: provider.email })),
            ...(await emailsTo({ to: reseller.email })),
          ].map((email) => email.id),
        );

        const removed = await api('relationships')
          .delete(`/v1/relationships/${reseller.tenantId}`)
          .set(bearer(provider.token))
          .send({ confirm: true });
        expect(removed.status).toBe(204);

        const resellers = await partnerRelationships(
          provider.token,
          'IsIndirectCloudSolutionProviderOf',
        );
        expect(resellers.items.map((item) => item.id)).not.toContain(reseller.tenantId);
        const providers = await partnerRelationships(reseller.token, 'IsIndirectResellerOf');
        expect(providers.items.map((item) => item.id)).not.toContain(provider.tenantId);

        expect(await customerIds(provider.token)).toContain(customer.id);
        const associated = expectStatus<Collection<{ id: string }>>(
          await api('relationships')
            .get('/v1/customers')
            .query(customerFilter('IndirectReseller', reseller.tenantId))
            .set(bearer(provider.token)),
          200,
        );
        expect(associated.items.map((item) => item.id)).toContain(customer.id);

        const partnersAfter = expectStatus<Collection<CustomerPartner>>(
          await api('relationships').get('/v1/partners').set(bearer(customerToken)),
          200,
        );
        expect(partnersAfter.items).toContainEqual(
          expect.objectContaining({
            id: reseller.tenantId,
            delegatedAdminPrivileges: expect.objectContaining({ active: true }),
          }),
        );

        // No notice to either party: markers sent afterwards arrive, and nothing else did.
        const markers = await Promise.all(
          [provider.email, reseller.email].map(async (to) => {
            const marker = expectStatus<PartnershipRequestSent>(
              await requestPartnership(other.token, { email: to, customMessage: 'marker' }),
              201,
            );
            await waitForEmailCarrying(to, marker.draft.link);
            return marker.draft.link;
          }),
        );
        const arrived = [
          ...(await emailsTo({ to: provider.email })),
          ...(await emailsTo({ to: reseller.email })),
        ].filter((email) => !seenBefore.has(email.id));
        expect(arrived.map(linkOrSubject).sort()).toEqual([...markers].sort());

        const rows = await dbRows(
          'relationships',
          'SELECT status FROM partnership WHERE provider_tenant_id = $1 AND reseller_tenant_id = $2',
          [provider.tenantId, reseller.tenantId],
        );
        expect(rows).toEqual([{ status: 'removed' }]);
      });

      it('answers removing it again, or a partnership of other tenants, with 404', async () => {
        const again = expectStatus<ApiError>(
          await api('relationships')
            .delete(`/v1/relationships/${reseller.tenantId}`)
            .set(bearer(provider.token))
            .send({ confirm: true }),
          404,
        );
        expect(again.code).toBe(errorCode('partnership.not_found'));
        const fromReseller = expectStatus<ApiError>(
          await api('relationships')
            .delete(`/v1/relationships/${provider.tenantId}`)
            .set(bearer(reseller.token))
            .send({ confirm: true }),
          404,
        );
        expect(fromReseller.code).toBe(errorCode('partnership.not_found'));
      });

      it('records the acceptance and the removal in both parties’ activity logs', async () => {
        for (const party of [provider, reseller]) {
          const established = await activity(party.token, 'partnership.established');
          expect(established).toContainEqual(
            expect.objectContaining({
              type: 'partnership.established',
              actor: expect.objectContaining({ tenantId: reseller.tenantId }),
              resource: { type: 'partnership', id: partnershipId },
            }),
          );
          const removedEntries = await activity(party.token, 'partnership.removed');
          expect(removedEntries).toContainEqual(
            expect.objectContaining({
              type: 'partnership.removed',
              actor: expect.objectContaining({ tenantId: provider.tenantId }),
              resource: { type: 'partnership', id: partnershipId },
            }),
          );
        }
        // A third party sees neither.
        const outsider = await activity(direct.token, 'partnership.established');
        expect(outsider.map((entry) => entry.resource.id)).not.toContain(partnershipId);
      });
    });
  });

  describe('an established partnership of other tenants, and a contested token', () => {
    let provider2: EnrolledPartner;
    let provider3: EnrolledPartner;
    let reseller2: EnrolledPartner;

    beforeAll(async () => {
      [provider2, provider3, reseller2] = await Promise.all([
        enrollPartner({ partnerType: 'indirect_provider' }),
        enrollPartner({ partnerType: 'indirect_provider' }),
        enrollPartner({ partnerType: 'indirect_reseller' }),
      ]);
    });

    it('cannot be removed by a third party (404) and stays', async () => {
      await establishPartnership(provider2, reseller2);

      for (const [outsider, target] of [
        [other, reseller2.tenantId],
        [reseller, provider2.tenantId],
      ] as const) {
        const refused = expectStatus<ApiError>(
          await api('relationships')
            .delete(`/v1/relationships/${target}`)
            .set(bearer(outsider.token))
            .send({ confirm: true }),
          404,
        );
        expect(refused.code).toBe(errorCode('partnership.not_found'));
      }
      expect(
        (await partnerRelationships(provider2.token, 'IsIndirectCloudSolutionProviderOf')).items,
      ).toContainEqual(expect.objectContaining({ id: reseller2.tenantId }));
    });

    it('accepts one token exactly once under two concurrent acceptances, with one partnership row', async () => {
      const request = expectStatus<PartnershipRequestSent>(
        await requestPartnership(provider3.token, { email: reseller2.email, draftOnly: true }),
        201,
      );
      const token = new URL(request.draft.link).searchParams.get('token') ?? '';
      const answers = await Promise.all([
        accept(reseller2.token, { token, authorize: true }),
        accept(reseller2.token, { token, authorize: true }),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      const rows = await dbRows(
        'relationships',
        'SELECT status FROM partnership WHERE provider_tenant_id = $1 AND reseller_tenant_id = $2',
        [provider3.tenantId, reseller2.tenantId],
      );
      expect(rows).toEqual([{ status: 'active' }]);
      const invitation = await dbRows(
        'relationships',
        'SELECT status, accepted_by_tenant_id FROM invitation WHERE id = $1',
        [request.id],
      );
      expect(invitation).toEqual([
        { status: 'accepted', accepted_by_tenant_id: reseller2.tenantId },
      ]);
    });
  });

  describe('revoking and resending a request', () => {
    let provider4: EnrolledPartner;
    let reseller4: EnrolledPartner;

    beforeAll(async () => {
      [provider4, reseller4] = await Promise.all([
        enrollPartner({ partnerType: 'indirect_provider' }),
        enrollPartner({ partnerType: 'indirect_reseller' }),
      ]);
    });

    it('a revoked request’s token answers 410, and another tenant cannot touch it (404)', async () => {
      const request = expectStatus<PartnershipRequestSent>(
        await requestPartnership(provider4.token, { email: reseller4.email, draftOnly: true }),
        201,
      );
      const token = new URL(request.draft.link).searchParams.get('token') ?? '';

      const foreignRevoke = expectStatus<ApiError>(
        await api('relationships')
          .delete(`/v1/partnership-requests/${request.id}`)
          .set(bearer(other.token)),
        404,
      );
      expect(foreignRevoke.code).toBe(errorCode('invitation.not_found'));
      const foreignResend = expectStatus<ApiError>(
        await api('relationships')
          .post(`/v1/partnership-requests/${request.id}/resend`)
          .set(bearer(other.token))
          .send({}),
        404,
      );
      expect(foreignResend.code).toBe(errorCode('invitation.not_found'));

      const revoked = await api('relationships')
        .delete(`/v1/partnership-requests/${request.id}`)
        .set(bearer(provider4.token));
      expect(revoked.status).toBe(204);

      const gone = expectStatus<ApiError>(
        await accept(reseller4.token, { token, authorize: true }),
        410,
      );
      expect(gone.code).toBe(errorCode('invitation.revoked'));
      expect((await partnerRelationships(reseller4.token, 'IsIndirectResellerOf')).items).toEqual(
        [],
      );
    });

    it('after a resend the old token answers 404 and the new emailed link works', async () => {
      const { request, email: first } = await sendPartnershipRequest(provider4, reseller4.email);
      const oldToken = tokenIn(first);

      const resent = expectStatus<PartnershipRequestSent>(
        await api('relationships')
          .post(`/v1/partnership-requests/${request.id}/resend`)
          .set(bearer(provider4.token))
          .send({}),
        200,
      );
      expect(resent.draft.link).not.toBe(request.draft.link);
      const second = await waitForEmailCarrying(reseller4.email, resent.draft.link);
      expect(second.id).not.toBe(first.id);

      const old = expectStatus<ApiError>(
        await accept(reseller4.token, { token: oldToken, authorize: true }),
        404,
      );
      expect(old.code).toBe(errorCode('invitation.not_found'));

      await acceptPartnership(reseller4, tokenIn(second));
      expect(
        (await partnerRelationships(reseller4.token, 'IsIndirectResellerOf')).items,
      ).toContainEqual(expect.objectContaining({ id: provider4.tenantId }));
    });
  });
});
