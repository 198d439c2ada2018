import {
  api,
  bearer,
  emailsTo,
  enrollPartner,
  expectStatus,
  linkIn,
  signIn,
  signUpCustomer,
  system,
  waitForEmail,
} from '../support';

/**
 * The harness's own flows against the running system, so that a failure in a feature test is
 * never a failure of its set-up: an enrolled partner is active and signed in, a signed-up customer
 * is signed in, and the emails of the flow arrived in this run's MailDev.
 */
describe('the e2e harness', () => {
  it('enrolls a partner through the emailed verification link and signs its admin in', async () => {
    const partner = await enrollPartner({ partnerType: 'indirect_provider', country: 'US' });
    expect(partner.token).toEqual(expect.any(String));
    expect(partner.mpnId).toMatch(/^\d{10}$/);

    // The verification email came first; with auto-approval an enrollment status email follows.
    await waitForEmail({ to: partner.email });
    const [verification] = await emailsTo({ to: partner.email });
    expect(linkIn(verification)).toContain(
      `${system().urls.identity}/v1/enrollments/verify?token=`,
    );
    expect(verification.headers['message-id']).toEqual(expect.any(String));

    const me = expectStatus<{ tenant: { id: string } }>(
      await api('identity').get('/v1/me').set(bearer(partner.token)),
      200,
    );
    expect(me.tenant.id).toBe(partner.tenantId);
  });

  it('signs up an existing customer organisation and signs its Global admin in', async () => {
    const customer = await signUpCustomer({ country: 'DE' });
    expect(customer.domain).toMatch(/^[a-z0-9]+\./);
    const again = await signIn(customer.email, customer.password);
    expect(again.passwordChangeRequired).toBe(false);
  });

  it('refuses a wrong password with 401 in the error format', async () => {
    const customer = await signUpCustomer();
    const response = await api('identity')
      .post('/v1/auth/token')
      .send({ email: customer.email, password: `${customer.password}x` });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: expect.any(Number), source: 'identity' });
  });
});
