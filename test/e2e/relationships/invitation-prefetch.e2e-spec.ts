import {
  dbRows,
  enrollPartner,
  expectStatus,
  fetchPage,
  linkIn,
  postInvitationForm,
  sendPartnershipRequest,
  signUpCustomer,
  system,
  tokenIn,
  uniqueName,
  waitForEmailCarrying,
  api,
  bearer,
  type EnrolledPartner,
  type RelationshipRequestSent,
  type SignedUpCustomer,
} from '../support';

/**
 * Links in emails never change state on GET (issue "public routes that resist abuse", point 14,
 * relationships' side): the partnership and relationship invitation links open a page whose form
 * POSTs the token in its body; a mail scanner's prefetch (GET, HEAD, GET with valid-looking form
 * fields in the query, GET of the form's action) spends nothing, and the invitee then accepts
 * through the form. This was already so; these tests keep it so.
 */

async function invitationRow(id: string): Promise<unknown> {
  return dbRows(
    'relationships',
    'select status, token_hash, accepted_at, revoked_at, updated_at from invitation where id = $1',
    [id],
  );
}

/** Every request a link scanner makes of `link`, with the form's fields guessed into the query. */
async function prefetch(link: string, fields: Record<string, string>): Promise<void> {
  const withFields = new URL(link);
  for (const [name, value] of Object.entries(fields)) withFields.searchParams.set(name, value);
  const action = new URL(link);
  action.pathname = `${action.pathname}/accept`;
  for (const [name, value] of Object.entries(fields)) action.searchParams.set(name, value);
  for (let i = 0; i < 3; i += 1) expect((await fetchPage(link)).status).toBe(200);
  expect((await fetchPage(link, 'HEAD')).status).toBe(200);
  expect((await fetchPage(withFields.toString())).status).toBe(200);
  // The form's action answers POST only: a GET of it is 405 with `Allow: POST`, spending nothing.
  const get = await fetchPage(action.toString());
  expect(get.status).toBe(405);
  expect(get.allow).toBe('POST');
}

describe('invitation links and mail scanners', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  let partner: EnrolledPartner;
  let customer: SignedUpCustomer;

  beforeAll(async () => {
    [provider, reseller, partner, customer] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Tailspin') }),
      signUpCustomer(),
    ]);
  });

  it('spends nothing of a partnership link on GET, then the reseller authorizes through the form', async () => {
    const { request, email } = await sendPartnershipRequest(provider, reseller.email);
    const link = linkIn(email);
    const before = await invitationRow(request.id);
    await prefetch(link, {
      token: tokenIn(email),
      email: reseller.email,
      password: reseller.password,
      authorize: 'true',
    });
    expect(await invitationRow(request.id)).toEqual(before);
    const page = await fetchPage(link);
    expect(page.html).toContain('<form method="post" action="/invitations/partnership/accept">');
    expect(page.html).toContain(`name="token" value="${tokenIn(email)}"`);

    const accepted = await postInvitationForm('partnership', {
      token: tokenIn(email),
      email: reseller.email,
      password: reseller.password,
      authorize: 'true',
    });
    expect(accepted.status).toBe(200);
    expect(
      await dbRows('relationships', 'select status from invitation where id = $1', [request.id]),
    ).toEqual([{ status: 'accepted' }]);
  });

  it('spends nothing of a relationship link on GET, then the customer accepts through the form', async () => {
    const request = expectStatus<RelationshipRequestSent>(
      await api('relationships')
        .post('/v1/customers/relationship-requests')
        .set(bearer(partner.token))
        .send({ email: customer.email, delegatedAdmin: true }),
      201,
    );
    const email = await waitForEmailCarrying(customer.email, request.draft.link);
    const link = linkIn(email);
    expect(
      link.startsWith(`${system().urls.relationships}/invitations/reseller-relationship`),
    ).toBe(true);
    const before = await invitationRow(request.id);
    await prefetch(link, {
      token: tokenIn(email),
      email: customer.email,
      password: customer.password,
      acceptCustomerAgreement: 'true',
    });
    expect(await invitationRow(request.id)).toEqual(before);
    expect(
      await dbRows('relationships', 'select id from reseller_relationship where customer_id = $1', [
        customer.tenantId,
      ]),
    ).toEqual([]);

    const accepted = await postInvitationForm('reseller-relationship', {
      token: tokenIn(email),
      email: customer.email,
      password: customer.password,
      acceptCustomerAgreement: 'true',
    });
    expect(accepted.status).toBe(200);
    expect(
      await dbRows('relationships', 'select status from invitation where id = $1', [request.id]),
    ).toEqual([{ status: 'accepted' }]);
  });
});
