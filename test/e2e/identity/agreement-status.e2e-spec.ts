import {
  api,
  bearer,
  dbRows,
  enrollPartner,
  expectApiError,
  expectStatus,
  signUpCustomer,
  type EnrolledPartner,
  type SignedUpCustomer,
} from '../support';

/**
 * Issue 11, Partner Center's `GET /v1/compliance/csp/agreementstatus?mpnId=|tenantId=`: whether a
 * partner accepted the Partner Agreement, which submitting its enrollment does (recorded on the
 * enrollment with the version and the Global admin), with Partner Center's error codes.
 */
describe('GET /v1/compliance/csp/agreementstatus', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  let customer: SignedUpCustomer;

  beforeAll(async () => {
    [provider, reseller, customer] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider' }),
      enrollPartner({ partnerType: 'indirect_reseller' }),
      signUpCustomer(),
    ]);
  });

  const status = (token: string, query: string) =>
    api('identity').get(`/v1/compliance/csp/agreementstatus${query}`).set(bearer(token));

  it('records the acceptance at enrollment, with its version and the Global admin', async () => {
    const [row] = await dbRows<{
      partner_agreement_accepted_at: Date | null;
      partner_agreement_version: string | null;
      partner_agreement_accepted_by: string | null;
    }>(
      'identity',
      'select partner_agreement_accepted_at, partner_agreement_version, partner_agreement_accepted_by from enrollment where tenant_id = $1',
      [reseller.tenantId],
    );
    expect(row.partner_agreement_accepted_at).not.toBeNull();
    expect(row.partner_agreement_version).toBe('2026-12');
    const [admin] = await dbRows<{ id: string }>(
      'identity',
      'select id from user_account where tenant_id = $1',
      [reseller.tenantId],
    );
    expect(row.partner_agreement_accepted_by).toBe(admin.id);
  });

  it("answers an active partner's acceptance by tenant id or Partner ID", async () => {
    expect(
      expectStatus(await status(provider.token, `?tenantId=${reseller.tenantId}`), 200),
    ).toEqual({ isAgreementSigned: true });
    expect(expectStatus(await status(provider.token, `?mpnId=${reseller.mpnId}`), 200)).toEqual({
      isAgreementSigned: true,
    });
    expect(
      expectStatus(
        await status(reseller.token, `?tenantId=${reseller.tenantId.toUpperCase()}`),
        200,
      ),
    ).toEqual({ isAgreementSigned: true });
  });

  it('answers false for a partner whose enrollment recorded no acceptance', async () => {
    const partner = await enrollPartner({ partnerType: 'direct' });
    await dbRows(
      'identity',
      'update enrollment set partner_agreement_accepted_at = null where tenant_id = $1',
      [partner.tenantId],
    );
    expect(
      expectStatus(await status(provider.token, `?tenantId=${partner.tenantId}`), 200),
    ).toEqual({ isAgreementSigned: false });
  });

  it("refuses with Partner Center's codes: neither, both, malformed, unknown, a customer's tenant", async () => {
    expectApiError(await status(provider.token, ''), 400, 'agreement_status.query_missing');
    expectApiError(
      await status(provider.token, `?mpnId=${reseller.mpnId}&tenantId=${reseller.tenantId}`),
      400,
      'agreement_status.query_invalid',
    );
    expectApiError(
      await status(provider.token, '?mpnId=abc'),
      400,
      'agreement_status.query_invalid',
    );
    expectApiError(
      await status(provider.token, '?tenantId=x'),
      400,
      'agreement_status.query_invalid',
    );
    expectApiError(
      await status(provider.token, '?mpnId=1'),
      400,
      'agreement_status.mpn_id_not_found',
    );
    // A customer's tenant answers as a tenant that exists nowhere.
    const refusals = [];
    for (const id of [customer.tenantId, '00000000-0000-4000-8000-000000000000']) {
      refusals.push(
        expectApiError(
          await status(provider.token, `?tenantId=${id}`),
          400,
          'agreement_status.tenant_not_found',
        ),
      );
    }
    expect(refusals[0]).toEqual(refusals[1]);
    expectApiError(await status(provider.token, '?other=1'), 400, 'request.invalid');
  });

  it('is for partners: a customer admin is refused', async () => {
    expectApiError(
      await status(customer.token, `?tenantId=${reseller.tenantId}`),
      403,
      'auth.forbidden',
    );
  });
});
