import request from 'supertest';
import {
  addActiveUser,
  api,
  bearer,
  createCustomer,
  dbRows,
  enrollPartner,
  expectApiError,
  expectStatus,
  partnerRelationships,
  sendPartnershipRequest,
  signUpCustomer,
  startExtraInstance,
  tokenIn,
  uniqueEmail,
  type Collection,
  type CreatedCustomer,
  type EnrolledPartner,
  type ExtraInstance,
  type PartnerProfile,
  type SentPartnershipRequest,
} from '../support';

/**
 * Seed 004 "Enroll as an indirect reseller": "If you are already enrolled in CSP, you may need to
 * provide only customer support contact information". `POST /v1/partner-profile/indirect-reseller`
 * lets a direct partner's Global admin add the indirect reseller role by giving the customer
 * support contact: the partner becomes an indirect reseller, keeps its customers, and can at once
 * authorize an indirect provider, even on a relationships instance that cached it as a direct
 * partner for a minute. Nobody else can do it for it: another role (403), another organisation (its
 * call acts on its own account only, and names no other), an indirect provider (409).
 */

const PHONE = '+1 425 555 0142';

let direct: EnrolledPartner;
let provider: EnrolledPartner;
let stranger: EnrolledPartner;
let ownCustomer: CreatedCustomer;
let invitation: SentPartnershipRequest;
/** A relationships instance that keeps tenant snapshots for a minute. */
let cached: ExtraInstance | undefined;

async function profile(token: string): Promise<PartnerProfile> {
  return expectStatus<PartnerProfile>(
    await api('identity').get('/v1/partner-profile').set(bearer(token)),
    200,
  );
}

async function partnerRow(tenantId: string) {
  const [row] = await dbRows<{ partner_type: string; support_contact: unknown; version: number }>(
    'identity',
    'select partner_type, support_contact, version from tenant where id = $1',
    [tenantId],
  );
  return row;
}

function addRole(token: string, body: unknown) {
  return api('identity')
    .post('/v1/partner-profile/indirect-reseller')
    .set(bearer(token))
    .send(body as object);
}

beforeAll(async () => {
  [direct, provider, stranger] = await Promise.all([
    enrollPartner({ partnerType: 'direct' }),
    enrollPartner({ partnerType: 'indirect_provider' }),
    enrollPartner({ partnerType: 'direct' }),
  ]);
  cached = await startExtraInstance('relationships', (settings) => ({
    extraEnv: {
      ...settings.extraEnv,
      relationships: {
        ...(settings.extraEnv?.relationships ?? {}),
        TENANT_SNAPSHOT_TTL_MS: '60000',
      },
    },
  }));
  // The direct partner's own customer, made before it took the role.
  ownCustomer = await createCustomer(direct);
  invitation = await sendPartnershipRequest(provider, direct.email);
}, 180_000);

afterAll(async () => {
  await cached?.stop();
}, 30_000);

describe('POST /v1/partner-profile/indirect-reseller (seed 004: an enrolled partner adds the indirect reseller role)', () => {
  it('is refused while the partner is direct: it cannot authorize an indirect provider yet', async () => {
    // Through the caching instance: it now holds the direct partner's snapshot for a minute.
    expectApiError(
      await request(cached!.url)
        .post('/v1/partnership-requests/accept')
        .set(bearer(direct.token))
        .send({ token: tokenIn(invitation.email), authorize: true }),
      403,
      'partnership.reseller_only',
    );
  });

  it('refuses every role but Global admin (403), even an Admin agent and a User management admin', async () => {
    const before = await partnerRow(direct.tenantId);
    for (const role of ['AdminAgent', 'UserManagementAdmin', 'SalesAgent']) {
      const user = await addActiveUser(direct.token, [role]);
      expectApiError(
        await addRole(user.token, { supportContact: { email: uniqueEmail('s'), phone: PHONE } }),
        403,
        'auth.forbidden',
      );
    }
    const customer = await signUpCustomer();
    expectApiError(
      await addRole(customer.token, { supportContact: { email: uniqueEmail('s'), phone: PHONE } }),
      403,
      'auth.forbidden',
    );
    expect(await partnerRow(direct.tenantId)).toEqual(before);
  });

  it('refuses an invalid support contact (400) and changes nothing', async () => {
    const before = await partnerRow(direct.tenantId);
    for (const body of [
      {},
      { supportContact: { email: uniqueEmail('s') } },
      { supportContact: { phone: PHONE } },
      { supportContact: { email: 'not an email', phone: PHONE } },
      { supportContact: { email: uniqueEmail('s'), phone: 'call us' } },
      { supportContact: { email: uniqueEmail('s'), phone: PHONE, website: 'http://x.example' } },
      { supportContact: { email: uniqueEmail('s'), phone: PHONE, website: 'javascript:alert(1)' } },
      { supportContact: { email: uniqueEmail('s'), phone: PHONE, fax: PHONE } },
      {
        supportContact: { email: uniqueEmail('s'), phone: PHONE },
        partnerType: 'indirect_provider',
      },
    ]) {
      expectApiError(await addRole(direct.token, body), 400, 'request.invalid');
    }
    expect(await partnerRow(direct.tenantId)).toEqual(before);
  });

  it("cannot be done for another organisation: a stranger's call names no other tenant and acts on its own", async () => {
    const before = await partnerRow(direct.tenantId);
    expectApiError(
      await addRole(stranger.token, {
        tenantId: direct.tenantId,
        supportContact: { email: uniqueEmail('s'), phone: PHONE },
      }),
      400,
      'request.invalid',
    );
    // The route reads no query: a tenant named there is refused, never silently ignored.
    const strangerBefore = await partnerRow(stranger.tenantId);
    expectApiError(
      await api('identity')
        .post(`/v1/partner-profile/indirect-reseller?tenantId=${direct.tenantId}`)
        .set(bearer(stranger.token))
        .send({ supportContact: { email: uniqueEmail('s'), phone: PHONE } }),
      400,
      'request.invalid',
    );
    expect(await partnerRow(stranger.tenantId)).toEqual(strangerBefore);
    // Without it, the call acts on the caller's own organisation only.
    const own = expectStatus<PartnerProfile>(
      await api('identity')
        .post('/v1/partner-profile/indirect-reseller')
        .set(bearer(stranger.token))
        .send({ supportContact: { email: uniqueEmail('s'), phone: PHONE } }),
      200,
    );
    expect(own).toMatchObject({ tenantId: stranger.tenantId, partnerType: 'indirect_reseller' });
    expect(await partnerRow(direct.tenantId)).toEqual(before);
  });

  it('refuses an indirect provider (409) and changes nothing', async () => {
    const before = await partnerRow(provider.tenantId);
    expectApiError(
      await addRole(provider.token, { supportContact: { email: uniqueEmail('s'), phone: PHONE } }),
      409,
      'partner_profile.indirect_provider',
    );
    expect(await partnerRow(provider.tenantId)).toEqual(before);
  });

  it('makes the direct partner an indirect reseller with its support contact, once', async () => {
    const supportContact = {
      email: uniqueEmail('support', 'contoso'),
      phone: PHONE,
      website: 'https://support.contoso.example/help',
    };
    const before = await profile(direct.token);
    expect(before.partnerType).toBe('direct');
    const added = expectStatus<PartnerProfile>(
      await addRole(direct.token, { supportContact }),
      200,
    );
    expect(added).toMatchObject({
      tenantId: direct.tenantId,
      partnerType: 'indirect_reseller',
      status: 'active',
      mpnId: direct.mpnId,
      supportContact: { name: 'Sam Support', ...supportContact },
      version: before.version + 1,
    });
    expect(await profile(direct.token)).toEqual(added);
    expect((await partnerRow(direct.tenantId)).partner_type).toBe('indirect_reseller');

    expectApiError(
      await addRole(direct.token, { supportContact }),
      409,
      'partner_profile.already_indirect_reseller',
    );
  });

  it('lets it authorize the indirect provider at once, even where it was cached as direct', async () => {
    const accepted = expectStatus<{ id: string; relationshipType: string }>(
      await request(cached!.url)
        .post('/v1/partnership-requests/accept')
        .set(bearer(direct.token))
        .send({ token: tokenIn(invitation.email), authorize: true }),
      200,
    );
    expect(accepted).toMatchObject({
      id: provider.tenantId,
      relationshipType: 'is_indirect_reseller_of',
    });
    const providers = await partnerRelationships(direct.token, 'IsIndirectResellerOf');
    expect(providers.items.map((p) => p.id)).toContain(provider.tenantId);
    const resellers = await partnerRelationships(
      provider.token,
      'IsIndirectCloudSolutionProviderOf',
    );
    expect(resellers.items.map((p) => p.id)).toContain(direct.tenantId);
  });

  it('keeps its customers, now as an indirect reseller of them', async () => {
    const customers = expectStatus<Collection<{ id: string }>>(
      await api('relationships').get('/v1/customers?size=500').set(bearer(direct.token)),
      200,
    );
    expect(customers.items.map((c) => c.id)).toContain(ownCustomer.id);
    const resellersOfCustomer = expectStatus<Collection<{ id: string; relationshipType: string }>>(
      await api('relationships')
        .get(`/v1/customers/${ownCustomer.id}/relationships`)
        .set(bearer(direct.token)),
      200,
    );
    expect(resellersOfCustomer.items).toEqual([
      expect.objectContaining({ id: direct.tenantId, relationshipType: 'is_indirect_reseller_of' }),
    ]);
  });
});
