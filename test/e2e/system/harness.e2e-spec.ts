import {
  apiClient,
  errorCode,
  emailsTo,
  enrollPartner,
  linkIn,
  signIn,
  signUpCustomer,
  system,
  waitForEmail,
} from '../support';

/**
 * The harness's own flows against the running system, so that a failure in a feature test is
 * never a failure of its set-up: an enrolled partner is active and signed in, a signed-up customer
 * is signed in, and the emails of the flow arrived in this run's MailDev. The calls go as a
 * partner's script makes them: the typed client (libs/api-client) on the gateway's one base URL.
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

    const { data, error, response } = await apiClient(partner.token).GET('/v1/me');
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.tenant.id).toBe(partner.tenantId);
    expect(data?.user.attributes.objectType).toBe('User');
  });

  it('signs up an existing customer organisation and signs its Global admin in', async () => {
    const customer = await signUpCustomer({ country: 'DE' });
    expect(customer.domain).toMatch(/^[a-z0-9]+\./);
    const again = await signIn(customer.email, customer.password);
    expect(again.passwordChangeRequired).toBe(false);
    const { data, response } = await apiClient().POST('/v1/auth/token', {
      body: { email: customer.email, password: customer.password },
    });
    expect(response.status).toBe(200);
    expect(data?.tokenType).toBe('Bearer');
  });

  it('refuses a wrong password with 401 in the error format', async () => {
    const customer = await signUpCustomer();
    const { data, error, response } = await apiClient().POST('/v1/auth/token', {
      body: { email: customer.email, password: `${customer.password}x` },
    });
    expect(response.status).toBe(401);
    expect(data).toBeUndefined();
    expect(error).toMatchObject({
      code: errorCode('auth.invalid_credentials'),
      source: 'identity',
    });
  });
});
