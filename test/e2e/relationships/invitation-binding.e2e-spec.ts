import type { Response } from 'supertest';
import {
  addActiveUser,
  api,
  bearer,
  dbRows,
  draftPartnershipRequest,
  draftRelationshipRequest,
  enrollPartner,
  establishPartnership,
  expectApiError,
  expectStatus,
  postInvitationForm,
  signIn,
  signUpCustomer,
  tokenOfLink,
  uniqueName,
  type EnrolledPartner,
  type SignedUpCustomer,
} from '../support';

/**
 * Invitations are bound to their invitee (issue "Trust between partners who share a customer",
 * point 6): a partnership request sent to a reseller's address and a relationship request sent to
 * a customer admin's address are accepted only by the organisation that holds that address (the
 * invitee, or a colleague). Another organisation holding a forwarded link gets 403
 * `invitation.wrong_organization`, through the API and the page, and the invitation stays usable:
 * not consumed, not revoked, its link still accepted by its invitee afterwards. Sign-in names are
 * per organisation (issue 9 point 9), so a stranger may create a user of the invitee's address:
 * only an organisation where a user proved the address (issue 9 point 7) counts as the invitee's.
 */

function acceptPartnership(token: string, requestToken: string): Promise<Response> {
  return api('relationships')
    .post('/v1/partnership-requests/accept')
    .set(bearer(token))
    .send({ token: requestToken, authorize: true });
}

function acceptRelationship(token: string, requestToken: string): Promise<Response> {
  return api('relationships')
    .post('/v1/customers/relationship-requests/accept')
    .set(bearer(token))
    .send({ token: requestToken, acceptCustomerAgreement: true });
}

async function invitationRow(id: string): Promise<unknown> {
  return dbRows(
    'relationships',
    `select status, token_hash, accepted_at, accepted_by_tenant_id, revoked_at, expires_at
       from invitation where id = $1`,
    [id],
  );
}

describe('invitations are bound to their invitee', () => {
  let provider: EnrolledPartner;
  /** The reseller the partnership request is sent to. */
  let invitee: EnrolledPartner;
  /** A reseller that already partners with `provider`: a co-partner holding a forwarded link. */
  let coPartner: EnrolledPartner;
  /** A reseller with no tie to anyone. */
  let stranger: EnrolledPartner;

  beforeAll(async () => {
    [provider, invitee, coPartner, stranger] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Woodgrove') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Litware') }),
    ]);
    await establishPartnership(provider, coPartner);
  });

  describe('a partnership request', () => {
    it('refuses another organisation holding the forwarded link (API and page), then the invitee accepts it', async () => {
      const sent = await draftPartnershipRequest(provider, invitee.email);
      const token = tokenOfLink(sent.draft.link);
      const before = await invitationRow(sent.id);
      for (const other of [stranger, coPartner]) {
        expectApiError(
          await acceptPartnership(other.token, token),
          403,
          'invitation.wrong_organization',
          'relationships',
        );
        const page = await postInvitationForm('partnership', {
          token,
          email: other.email,
          password: other.password,
          authorize: 'true',
        });
        expect(page.status).toBe(403);
        expect(page.html).toContain('another organization');
        expect(page.html).not.toContain(invitee.email);
      }
      // Any Global admin or Admin agent of the forwarding organisation alike.
      const agent = await addActiveUser(stranger.token, ['AdminAgent']);
      expectApiError(
        await acceptPartnership(agent.token, token),
        403,
        'invitation.wrong_organization',
      );
      expect(await invitationRow(sent.id)).toEqual(before);
      expect(
        await dbRows(
          'relationships',
          'select id from partnership where provider_tenant_id = $1 and reseller_tenant_id = any($2)',
          [provider.tenantId, [stranger.tenantId]],
        ),
      ).toEqual([]);

      expectStatus(await acceptPartnership(invitee.token, token), 200);
      // Once accepted, the forwarded link still answers the other organisations exactly as before:
      // they learn nothing of the invitation's state.
      for (const other of [stranger, coPartner]) {
        expectApiError(
          await acceptPartnership(other.token, token),
          403,
          'invitation.wrong_organization',
          'relationships',
        );
      }
      expectApiError(
        await acceptPartnership(invitee.token, token),
        409,
        'invitation.already_accepted',
        'relationships',
      );
    });

    it("lets a colleague of the invitee accept it for the invitee's organisation", async () => {
      const otherProvider = await enrollPartner({
        partnerType: 'indirect_provider',
        name: uniqueName('Wingtip Distribution'),
      });
      const sent = await draftPartnershipRequest(otherProvider, invitee.email);
      const colleague = await addActiveUser(invitee.token, ['AdminAgent']);
      expectStatus(await acceptPartnership(colleague.token, tokenOfLink(sent.draft.link)), 200);
    });

    it("refuses a colleague once the invitee's account is disabled: a disabled user no longer speaks for the organisation", async () => {
      const departed = await addActiveUser(invitee.token, ['GlobalAdmin']);
      const otherProvider = await enrollPartner({
        partnerType: 'indirect_provider',
        name: uniqueName('Proseware Distribution'),
      });
      const sent = await draftPartnershipRequest(otherProvider, departed.user.email);
      expectStatus(
        await api('identity')
          .post(`/v1/users/${departed.user.id}/disable`)
          .set(bearer(invitee.token)),
        200,
      );
      const before = await invitationRow(sent.id);
      expectApiError(
        await acceptPartnership(invitee.token, tokenOfLink(sent.draft.link)),
        403,
        'invitation.wrong_organization',
      );
      expect(await invitationRow(sent.id)).toEqual(before);
    });

    it("refuses an organisation that creates a user of the invitee's address (sign-in names are per organisation): that user cannot prove the address, so neither it nor a colleague speaks for the invitee", async () => {
      const otherProvider = await enrollPartner({
        partnerType: 'indirect_provider',
        name: uniqueName('Margie Distribution'),
      });
      const sent = await draftPartnershipRequest(otherProvider, invitee.email);
      const token = tokenOfLink(sent.draft.link);
      const before = await invitationRow(sent.id);
      // The stranger makes an Admin agent of the invitee's address in its own organisation (201:
      // creating users never tells whether an address has an account elsewhere).
      const added = expectStatus<{ user: { id: string }; temporaryPassword: string }>(
        await api('identity')
          .post('/v1/users')
          .set(bearer(stranger.token))
          .send({
            firstName: 'Ima',
            lastName: 'Posture',
            email: invitee.email,
            roles: ['AdminAgent'],
          }),
        201,
      );
      // It cannot sign in: the address is not proved (its link went to the invitee's inbox).
      expectApiError(
        await api('identity').post('/v1/auth/token').send({
          email: invitee.email,
          password: added.temporaryPassword,
          organization: stranger.tenantId,
        }),
        403,
        'auth.email_unverified',
        'identity',
      );
      // A colleague of that unproved user does not speak for the invitee (API and page).
      expectApiError(
        await acceptPartnership(stranger.token, token),
        403,
        'invitation.wrong_organization',
      );
      const asStranger = await postInvitationForm('partnership', {
        token,
        email: stranger.email,
        password: stranger.password,
        authorize: 'true',
      });
      expect(asStranger.status).toBe(403);
      expect(asStranger.html).toContain('another organization');
      expect(await invitationRow(sent.id)).toEqual(before);

      // The invitee accepts on the page with its own password: its account is the only one that
      // password opens.
      const accepted = await postInvitationForm('partnership', {
        token,
        email: invitee.email,
        password: invitee.password,
        authorize: 'true',
      });
      expect(accepted.status).toBe(200);
      expect(
        await dbRows(
          'relationships',
          'select reseller_tenant_id from partnership where provider_tenant_id = $1',
          [otherProvider.tenantId],
        ),
      ).toEqual([{ reseller_tenant_id: invitee.tenantId }]);
    });

    it('asks on the page which organisation to accept for when the invitee proved its address in two organisations with one password', async () => {
      const second = await enrollPartner({
        partnerType: 'indirect_reseller',
        name: uniqueName('Proseware'),
      });
      const otherProvider = await enrollPartner({
        partnerType: 'indirect_provider',
        name: uniqueName('Lamna Distribution'),
      });
      // The same person works for a second reseller: an account of its address there, proved
      // through the link it receives (signIn follows it), with the same password.
      const added = expectStatus<{ temporaryPassword: string }>(
        await api('identity')
          .post('/v1/users')
          .set(bearer(second.token))
          .send({
            firstName: 'Ivy',
            lastName: 'Invitee',
            email: invitee.email,
            roles: ['AdminAgent'],
          }),
        201,
      );
      const first = await signIn(invitee.email, added.temporaryPassword, second.tenantId);
      expectStatus(
        await api('identity')
          .post('/v1/auth/password')
          .set(bearer(first.accessToken))
          .send({ currentPassword: added.temporaryPassword, newPassword: invitee.password }),
        200,
      );
      const sent = await draftPartnershipRequest(otherProvider, invitee.email);
      const form = {
        token: tokenOfLink(sent.draft.link),
        email: invitee.email,
        password: invitee.password,
        authorize: 'true',
      };
      const ambiguous = await postInvitationForm('partnership', form);
      expect(ambiguous.status).toBe(409);
      expect(ambiguous.html).toContain('sign in to several organizations');
      expect(ambiguous.html).toContain(second.tenantId);
      expect(ambiguous.html).toContain(invitee.tenantId);
      expect(ambiguous.html).toContain('name="organization"');

      // The person names the organisation by Partner ID and accepts for it.
      const accepted = await postInvitationForm('partnership', {
        ...form,
        organization: invitee.mpnId,
      });
      expect(accepted.status).toBe(200);
      expect(
        await dbRows(
          'relationships',
          'select reseller_tenant_id from partnership where provider_tenant_id = $1',
          [otherProvider.tenantId],
        ),
      ).toEqual([{ reseller_tenant_id: invitee.tenantId }]);
    });

    it('refuses the roles without the permission before anything else', async () => {
      const sent = await draftPartnershipRequest(provider, `sales.${Date.now()}@fabrikam.example`);
      const sales = await addActiveUser(invitee.token, ['SalesAgent']);
      expectApiError(
        await acceptPartnership(sales.token, tokenOfLink(sent.draft.link)),
        403,
        'auth.forbidden',
      );
    });
  });

  describe('a reseller relationship request', () => {
    let customer: SignedUpCustomer;
    let otherCustomer: SignedUpCustomer;
    let partner: EnrolledPartner;

    beforeAll(async () => {
      [customer, otherCustomer, partner] = await Promise.all([
        signUpCustomer(),
        signUpCustomer(),
        enrollPartner({ partnerType: 'direct', name: uniqueName('Tailspin') }),
      ]);
    });

    it("refuses another customer's Global admin holding the forwarded link (API and page), then the invitee's organisation accepts it", async () => {
      const sent = await draftRelationshipRequest(partner, {
        email: customer.email,
        delegatedAdmin: true,
      });
      const token = tokenOfLink(sent.draft.link);
      const before = await invitationRow(sent.id);
      expectApiError(
        await acceptRelationship(otherCustomer.token, token),
        403,
        'invitation.wrong_organization',
        'relationships',
      );
      const page = await postInvitationForm('reseller-relationship', {
        token,
        email: otherCustomer.email,
        password: otherCustomer.password,
        acceptCustomerAgreement: 'true',
      });
      expect(page.status).toBe(403);
      expect(await invitationRow(sent.id)).toEqual(before);
      expect(
        await dbRows(
          'relationships',
          'select id from reseller_relationship where customer_id = $1',
          [otherCustomer.tenantId],
        ),
      ).toEqual([]);

      // A second Global admin of the invited customer (a colleague of the invitee) accepts it.
      const colleague = await addActiveUser(customer.token, ['GlobalAdmin']);
      expectStatus(await acceptRelationship(colleague.token, token), 200);
    });

    it('refuses a customer that already works with the same partner (a co-customer) holding the link', async () => {
      // `otherCustomer` becomes the partner's customer too, then gets a link meant for a third one.
      const own = await draftRelationshipRequest(partner, {
        email: otherCustomer.email,
        delegatedAdmin: false,
      });
      expectStatus(await acceptRelationship(otherCustomer.token, tokenOfLink(own.draft.link)), 200);
      const third = await signUpCustomer();
      const sent = await draftRelationshipRequest(partner, {
        email: third.email,
        delegatedAdmin: true,
      });
      const token = tokenOfLink(sent.draft.link);
      expectApiError(
        await acceptRelationship(otherCustomer.token, token),
        403,
        'invitation.wrong_organization',
      );
      expectStatus(await acceptRelationship(third.token, token), 200);
    });
  });
});
