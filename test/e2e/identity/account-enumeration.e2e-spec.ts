import type { Response } from 'supertest';
import {
  addUser,
  addressIn,
  api,
  bearer,
  countRows,
  createCustomer,
  dbRows,
  enrollmentBody,
  enrollPartner,
  newCustomerBody,
  expectApiError,
  expectStatus,
  signIn,
  signUpCustomer,
  strongPassword,
  uniqueDomainPrefix,
  uniqueEmail,
  uniqueName,
  type EnrolledPartner,
  type SignedUpCustomer,
} from '../support';

/**
 * No account enumeration (issue 9 point 9), from the attacker's side. Sign-in names are scoped to
 * the organisation: an email is unique within its organisation only. So no answer of user
 * creation, customer sign-up or partner enrollment depends on whether an address has an account
 * in another organisation, and sign-in may need the organisation: with `organization` it signs in
 * to that organisation's account; without it the password picks the account, and a password right
 * in several organisations answers 409 `auth.organization_required` (only to someone who knows
 * it). A wrong password answers exactly like an unknown name.
 */

/** The shape of a JSON value: its keys and the types of its leaves, recursively. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shapeOf(v)]),
    );
  }
  return value === null ? 'null' : typeof value;
}

function postUser(path: string, token: string, email: string): Promise<Response> {
  return api('identity')
    .post(path)
    .set(bearer(token))
    .send({ firstName: 'Nora', lastName: 'Name', email, roles: ['BillingAdmin'] });
}

function tokenRequest(body: Record<string, string>): Promise<Response> {
  return api('identity').post('/v1/auth/token').send(body);
}

/** The user id `/v1/me` answers for an access token. */
async function userOf(accessToken: string): Promise<{ userId: string; tenantId: string }> {
  const me = expectStatus<{ user: { id: string }; tenant: { id: string } }>(
    await api('identity').get('/v1/me').set(bearer(accessToken)),
    200,
  );
  return { userId: me.user.id, tenantId: me.tenant.id };
}

/** The Global admin of `customer` gets a user of `email` in its organisation with `password`. */
async function addUserWithPassword(
  admin: { token: string; tenantId: string },
  email: string,
  password: string,
): Promise<string> {
  const added = expectStatus<{ user: { id: string }; temporaryPassword: string }>(
    await api('identity')
      .post('/v1/users')
      .set(bearer(admin.token))
      .send({ firstName: 'Sam', lastName: 'Same', email, roles: ['UserManagementAdmin'] }),
    201,
  );
  const first = await signIn(email, added.temporaryPassword, admin.tenantId);
  expectStatus(
    await api('identity')
      .post('/v1/auth/password')
      .set(bearer(first.accessToken))
      .send({ currentPassword: added.temporaryPassword, newPassword: password }),
    200,
  );
  return added.user.id;
}

describe('no account enumeration (issue 9 point 9)', () => {
  /** The organisation whose addresses the attacker probes. */
  let victim: SignedUpCustomer;

  beforeAll(async () => {
    victim = await signUpCustomer({ companyName: uniqueName('Victim Corp') });
  });

  describe('creating users', () => {
    let reseller: EnrolledPartner;

    beforeAll(async () => {
      reseller = await enrollPartner({
        partnerType: 'indirect_reseller',
        name: uniqueName('Fabrikam'),
      });
    });

    it("answers an address of another organisation with 201, the same shape as a fresh address, on every route that creates users; 409 only for the caller's own organisation", async () => {
      const customer = await createCustomer(reseller);
      // Addresses of the victim organisation, one per route.
      const victimColleague = await addUser(victim.token, ['BillingAdmin'], { company: 'victim' });
      const routes: [string, string, string, string][] = [
        ['/v1/users', reseller.token, reseller.tenantId, victim.email],
        [
          `/v1/customers/${customer.id}/users`,
          reseller.token,
          customer.id,
          victimColleague.user.email,
        ],
      ];
      for (const [path, token, tenantId, address] of routes) {
        const fresh = expectStatus<Record<string, unknown>>(
          await postUser(path, token, uniqueEmail('fresh', 'fabrikam')),
          201,
        );
        const taken = expectStatus<{ user: { id: string; email: string } }>(
          await postUser(path, token, address),
          201,
        );
        expect(shapeOf(taken)).toEqual(shapeOf(fresh));
        expect(taken.user.email).toBe(address);
        // Within the same organisation the address is taken: the caller lists its users anyway.
        expectApiError(await postUser(path, token, address), 409, 'user.email_taken');
        expect(
          await dbRows('identity', 'select "tenant_id" from "user_account" where "id" = $1', [
            taken.user.id,
          ]),
        ).toEqual([{ tenant_id: tenantId }]);
      }
      // A partner creating a customer whose admin has an address of another organisation: 201
      // as for any other (before, identity answered 409 user.email_taken through relationships).
      const body = newCustomerBody();
      body.billingProfile.email = victim.email;
      const created = await createCustomer(reseller, body);
      expect(created.userCredentials.userName).toBe(victim.email);
      // The victim's own account is untouched: it signs in to its organisation as before.
      const session = await signIn(victim.email, victim.password, victim.tenantId);
      expect(await userOf(session.accessToken)).toEqual({
        userId: victim.userId,
        tenantId: victim.tenantId,
      });
    });
  });

  describe('public routes answer the same whatever emails exist', () => {
    it('customer sign-up: a second sign-up of a domain answers the same 409 whether or not the first sign-up used an address with an account', async () => {
      const outcomes: unknown[] = [];
      for (const firstEmail of [uniqueEmail('fresh', 'northwind'), victim.email]) {
        const domainPrefix = uniqueDomainPrefix('northwind');
        const signup = (email: string) => ({
          companyName: uniqueName('Northwind Traders'),
          address: addressIn('US'),
          country: 'US',
          cloud: 'public',
          domainPrefix,
          globalAdmin: {
            firstName: 'Casey',
            lastName: 'Customer',
            email,
            password: strongPassword(),
          },
        });
        const first = await api('identity').post('/v1/customer-signups').send(signup(firstEmail));
        const second = await api('identity')
          .post('/v1/customer-signups')
          .send(signup(uniqueEmail('second', 'northwind')));
        expectApiError(second, 409, 'customer.domain_taken');
        outcomes.push({
          first: { status: first.status, shape: shapeOf(first.body) },
          second: {
            status: second.status,
            body: JSON.parse(JSON.stringify(second.body).replaceAll(domainPrefix, '<prefix>')),
          },
          tenants: await countRows(
            'identity',
            'select count(*) as n from "tenant" where "domain" like $1',
            [`${domainPrefix}.%`],
          ),
        });
      }
      expect(outcomes[1]).toEqual(outcomes[0]);
      expect(outcomes[0]).toMatchObject({ first: { status: 201 }, tenants: 1 });
    });

    it('partner enrollment: a second enrollment of a Partner ID answers the same 409 whether or not the first one used an address with an account', async () => {
      const outcomes: unknown[] = [];
      for (const firstEmail of [uniqueEmail('fresh', 'litware'), victim.email]) {
        const first = enrollmentBody({ partnerType: 'indirect_reseller' });
        first.globalAdmin.email = firstEmail;
        const firstAnswer = await api('identity').post('/v1/enrollments').send(first);
        const second = enrollmentBody({ partnerType: 'indirect_reseller' });
        second.mpnId = first.mpnId;
        const secondAnswer = await api('identity').post('/v1/enrollments').send(second);
        expectApiError(secondAnswer, 409, 'enrollment.mpn_id_taken');
        outcomes.push({
          first: {
            status: firstAnswer.status,
            shape: shapeOf(firstAnswer.body),
            primaryContactEmail:
              (firstAnswer.body as { primaryContactEmail?: string }).primaryContactEmail ===
              first.primaryContact.email,
          },
          second: { status: secondAnswer.status, body: secondAnswer.body as unknown },
          tenants: await countRows(
            'identity',
            'select count(*) as n from "tenant" where "mpn_id" = $1',
            [first.mpnId],
          ),
        });
      }
      expect(outcomes[1]).toEqual(outcomes[0]);
      expect(outcomes[0]).toMatchObject({ first: { status: 201 }, tenants: 1 });
    });
  });

  describe('signing in with one address in two organisations', () => {
    /** A partner whose Global admin signs in with the victim's address, another password. */
    let partner: { tenantId: string; mpnId: string; token: string; userId: string };
    let partnerPassword: string;

    beforeAll(async () => {
      const enrolled = await enrollPartner({
        partnerType: 'indirect_reseller',
        name: uniqueName('Wingtip'),
      });
      partnerPassword = strongPassword();
      const userId = await addUserWithPassword(enrolled, victim.email, partnerPassword);
      partner = {
        tenantId: enrolled.tenantId,
        mpnId: enrolled.mpnId,
        token: enrolled.token,
        userId,
      };
    });

    it('signs each account in with its organisation (tenant id, Partner ID or domain), and without one when the passwords differ', async () => {
      const cases: [string, string | undefined, { userId: string; tenantId: string }][] = [
        [victim.password, undefined, { userId: victim.userId, tenantId: victim.tenantId }],
        [partnerPassword, undefined, { userId: partner.userId, tenantId: partner.tenantId }],
        [victim.password, victim.tenantId, { userId: victim.userId, tenantId: victim.tenantId }],
        [victim.password, victim.domain, { userId: victim.userId, tenantId: victim.tenantId }],
        [partnerPassword, partner.tenantId, { userId: partner.userId, tenantId: partner.tenantId }],
        [partnerPassword, partner.mpnId, { userId: partner.userId, tenantId: partner.tenantId }],
      ];
      for (const [password, organization, expected] of cases) {
        const session = await signIn(victim.email, password, organization);
        expect(await userOf(session.accessToken)).toEqual(expected);
      }
    });

    it('answers 409 auth.organization_required without an organisation when the password is right in both, and signs in with one', async () => {
      const shared = strongPassword();
      const email = uniqueEmail('shared', 'adatum');
      const first = await signUpCustomer({ companyName: uniqueName('Adatum') });
      const second = await signUpCustomer({ companyName: uniqueName('Proseware') });
      const firstId = await addUserWithPassword(first, email, shared);
      const secondId = await addUserWithPassword(second, email, shared);

      const refused = expectApiError(
        await tokenRequest({ email, password: shared }),
        409,
        'auth.organization_required',
        'identity',
      );
      expect(refused.data).toEqual([
        { id: first.tenantId, name: first.companyName },
        { id: second.tenantId, name: second.companyName },
      ]);
      expect((await tokenRequest({ email, password: shared })).body).not.toHaveProperty(
        'accessToken',
      );
      expect(await userOf((await signIn(email, shared, first.tenantId)).accessToken)).toEqual({
        userId: firstId,
        tenantId: first.tenantId,
      });
      expect(await userOf((await signIn(email, shared, second.domain)).accessToken)).toEqual({
        userId: secondId,
        tenantId: second.tenantId,
      });
    });

    it('answers a wrong password, an unknown organisation and an unknown name with the same 401', async () => {
      const unknownEmail = uniqueEmail('nobody', 'nowhere');
      const stranger = await signUpCustomer({ companyName: uniqueName('Stranger') });
      const attempts: Record<string, string>[] = [
        { email: unknownEmail, password: strongPassword() },
        // Below SIGN_IN_MAX_FAILURES (5) failures of the victim's address:
        { email: victim.email, password: strongPassword() },
        { email: victim.email, password: strongPassword(), organization: victim.tenantId },
        // The right password, but an organisation where the address has no account, or none.
        { email: victim.email, password: victim.password, organization: stranger.tenantId },
        { email: victim.email, password: victim.password, organization: 'nowhere.example' },
        { email: unknownEmail, password: strongPassword(), organization: '99999999' },
      ];
      const answers: unknown[] = [];
      for (const attempt of attempts) {
        const response = await tokenRequest(attempt);
        expectApiError(response, 401, 'auth.invalid_credentials', 'identity');
        answers.push({ status: response.status, body: response.body as unknown });
      }
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      // Those failures count against the address, whatever organisation they named; the right
      // password still signs in below the limit, and resets it.
      const session = await signIn(victim.email, victim.password, victim.tenantId);
      expect((await userOf(session.accessToken)).userId).toBe(victim.userId);
    });
  });
});
