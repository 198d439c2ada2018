import {
  activePartner,
  addActiveUser,
  addUser,
  addressIn,
  api,
  confirmLinkPage,
  countRows,
  createCustomer,
  dbRows,
  enrollmentBody,
  eventually,
  expectApiError,
  expectStatus,
  linkIn,
  newCustomerBody,
  postForm,
  refresh,
  signInPair,
  signInVerificationEmail,
  startExtraInstance,
  strongPassword,
  tokenIn,
  uniqueDomainPrefix,
  uniqueEmail,
  uniqueName,
  waitForEmail,
  type ActivePartner,
  type CreatedCustomer,
  type ExtraInstance,
} from '../support';

/**
 * Issue 9 point 7, from the attacker's side: every sign-in name is proved before it signs in. A
 * customer sign-up or an enrollment made with someone else's address cannot sign in (403 with the
 * right password, the usual 401 with a wrong one); it expires after `UNVERIFIED_ACCOUNT_TTL_HOURS`
 * and releases the domain, the Partner ID and the address, so the owner registers them. Point 14:
 * opening a verification link (a mail scanner's prefetch) changes nothing; only the page's button
 * does, and the link still works after.
 *
 * The expiry runs in an extra identity instance that sweeps every second with a one-hour expiry;
 * the specs age their own rows by two hours (the harness's instances sweep once an hour, never
 * within a run).
 */

const signInRaw = (email: string, password: string) =>
  api('identity').post('/v1/auth/token').send({ email, password });

function signUpBody(email: string, domainPrefix: string, password: string) {
  return {
    companyName: uniqueName('Northwind Traders'),
    address: addressIn('US'),
    country: 'US',
    cloud: 'public',
    domainPrefix,
    globalAdmin: { firstName: 'Casey', lastName: 'Customer', email, password },
  };
}

/** Ages a tenant (and its users) by two hours: past the sweeper's one-hour expiry. */
async function age(tenantId: string): Promise<void> {
  await dbRows(
    'identity',
    `update "tenant" set "created_at" = now() - interval '2 hours' where "id" = $1`,
    [tenantId],
  );
}

const tenantCount = (id: string) =>
  countRows('identity', 'select count(*) as n from "tenant" where "id" = $1', [id]);

let sweeper: ExtraInstance;
let provider: ActivePartner;

beforeAll(async () => {
  [sweeper, provider] = await Promise.all([
    startExtraInstance('identity', (settings) => ({
      extraEnv: {
        ...settings.extraEnv,
        identity: {
          ...settings.extraEnv?.identity,
          UNVERIFIED_ACCOUNT_TTL_HOURS: '1',
          UNVERIFIED_SWEEP_SECONDS: '1',
        },
      },
    })),
    activePartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
  ]);
}, 120_000);

afterAll(async () => {
  await sweeper?.stop();
});

describe("a customer sign-up with someone else's address (issue 9 point 7)", () => {
  it('cannot sign in, and once it expires the owner registers the same address and domain', async () => {
    const victim = uniqueEmail('it', 'northwind');
    const domainPrefix = uniqueDomainPrefix('northwind');
    const attackerPassword = strongPassword();
    const claimed = expectStatus<{ tenantId: string; userId: string }>(
      await api('identity')
        .post('/v1/customer-signups')
        .send(signUpBody(victim, domainPrefix, attackerPassword)),
      201,
    );
    // The attacker knows the password, but the address is not theirs.
    expectApiError(await signInRaw(victim, attackerPassword), 403, 'auth.email_unverified');
    expectApiError(
      await signInRaw(victim, `${attackerPassword}x`),
      401,
      'auth.invalid_credentials',
    );
    // The verification went to the owner's mailbox, not to the attacker.
    const verification = await signInVerificationEmail(victim);
    expect(linkIn(verification)).toContain('/v1/auth/email-verification?token=');

    // Meanwhile the owner's own sign-up with that domain is refused as taken.
    expectApiError(
      await api('identity')
        .post('/v1/customer-signups')
        .send(signUpBody(victim, domainPrefix, strongPassword())),
      409,
      'customer.domain_taken',
    );

    // Expiry: the sweep deletes the tenant, its user and its links.
    await age(claimed.tenantId);
    await eventually('the unverified sign-up swept', async () =>
      (await tenantCount(claimed.tenantId)) === 0 ? true : undefined,
    );
    expect(
      await countRows('identity', 'select count(*) as n from "user_account" where "email" = $1', [
        victim,
      ]),
    ).toBe(0);
    expect(
      await countRows(
        'identity',
        'select count(*) as n from "enrollment_verification_token" where "user_id" = $1',
        [claimed.userId],
      ),
    ).toBe(0);
    // The old link names nothing now.
    expect((await fetch(linkIn(verification))).status).toBe(404);

    // The owner registers the same address and domain, verifies and signs in.
    const ownerPassword = strongPassword();
    const owned = expectStatus<{ tenantId: string; domain: string }>(
      await api('identity')
        .post('/v1/customer-signups')
        .send(signUpBody(victim, domainPrefix, ownerPassword)),
      201,
    );
    expect(owned.tenantId).not.toBe(claimed.tenantId);
    expect(await tenantCount(owned.tenantId)).toBe(1);
    const ownerLink = await eventually("the owner's verification email", async () => {
      const link = linkIn(await signInVerificationEmail(victim));
      return link !== linkIn(verification) ? link : undefined;
    });
    await confirmLinkPage(ownerLink);
    expectStatus(await signInRaw(victim, ownerPassword), 200);
    expectApiError(await signInRaw(victim, attackerPassword), 401, 'auth.invalid_credentials');
  });
});

describe("an enrollment with someone else's address as Global admin (issue 9 point 7)", () => {
  it('cannot sign in, even once the primary contact verified; expired, it releases the Partner ID and the address', async () => {
    const body = enrollmentBody({ partnerType: 'indirect_reseller' });
    const created = expectStatus<{ tenantId: string; enrollmentId: string }>(
      await api('identity').post('/v1/enrollments').send(body),
      201,
    );
    const admin = body.globalAdmin;
    expectApiError(await signInRaw(admin.email, admin.password), 403, 'auth.email_unverified');
    // The attacker controls the primary contact's mailbox and verifies it: still no sign-in.
    const contactLink = linkIn(
      await waitForEmail({
        to: body.primaryContact.email,
        subjectIncludes: 'to continue the enrollment of',
      }),
    );
    await confirmLinkPage(contactLink);
    expectApiError(await signInRaw(admin.email, admin.password), 403, 'auth.email_unverified');

    // Expiry releases the Partner ID and the admin's address.
    await age(created.tenantId);
    await eventually('the unverified enrollment swept', async () =>
      (await tenantCount(created.tenantId)) === 0 ? true : undefined,
    );
    expect(
      await countRows('identity', 'select count(*) as n from "enrollment" where "id" = $1', [
        created.enrollmentId,
      ]),
    ).toBe(0);

    // The owner enrolls with the same Partner ID and address.
    const owner = { ...body, legalBusinessName: uniqueName('Fabrikam'), globalAdmin: { ...admin } };
    owner.globalAdmin.password = strongPassword();
    const again = expectStatus<{ tenantId: string }>(
      await api('identity').post('/v1/enrollments').send(owner),
      201,
    );
    expect(
      await dbRows('identity', 'select "id" from "tenant" where "mpn_id" = $1', [body.mpnId]),
    ).toEqual([{ id: again.tenantId }]);
  });

  it('keeps what is not safe to delete: a partner-created customer and a verified sign-up, however old', async () => {
    const customer: CreatedCustomer = await createCustomer(provider, newCustomerBody());
    const verifiedEmail = uniqueEmail('admin', 'northwind');
    const password = strongPassword();
    const verified = expectStatus<{ tenantId: string }>(
      await api('identity')
        .post('/v1/customer-signups')
        .send(signUpBody(verifiedEmail, uniqueDomainPrefix('northwind'), password)),
      201,
    );
    await confirmLinkPage(linkIn(await signInVerificationEmail(verifiedEmail)));
    // And one to be swept, so the test knows a sweep ran after the ageing.
    const marker = expectStatus<{ tenantId: string }>(
      await api('identity')
        .post('/v1/customer-signups')
        .send(
          signUpBody(
            uniqueEmail('admin', 'northwind'),
            uniqueDomainPrefix('northwind'),
            strongPassword(),
          ),
        ),
      201,
    );
    // The kept ones are aged first: the sweep that takes the marker saw them aged too.
    await Promise.all([age(customer.id), age(verified.tenantId)]);
    await age(marker.tenantId);
    await eventually('a sweep after the ageing', async () =>
      (await tenantCount(marker.tenantId)) === 0 ? true : undefined,
    );
    expect(await tenantCount(customer.id)).toBe(1);
    expect(await tenantCount(verified.tenantId)).toBe(1);
    expectStatus(await signInRaw(verifiedEmail, password), 200);
  });
});

describe('a session of a user whose address is not verified (issue 9 point 7)', () => {
  it('is refused at refresh (401), like a disabled user', async () => {
    const user = await addActiveUser(provider.token, ['SalesAgent']);
    const pair = await signInPair(user.user.email, user.password);
    // An address that is no longer proved (set directly: no route un-verifies a user).
    await dbRows(
      'identity',
      'update "user_account" set "email_verified_at" = null where "id" = $1',
      [user.user.id],
    );
    expectApiError(await refresh(pair.refreshToken), 401, 'auth.invalid_refresh_token');
    expectApiError(await signInRaw(user.user.email, user.password), 403, 'auth.email_unverified');
  });
});

describe('a sign-in address verification link (issue 9 point 14)', () => {
  it('changes nothing when opened (twice, as a scanner would), and still verifies with its button', async () => {
    const added = await addUser(provider.token, ['SalesAgent']);
    const email = await signInVerificationEmail(added.user.email);
    expect(email.subject).toBe(`Verify your email address to sign in to ${provider.name}`);
    const link = linkIn(email);
    for (let i = 0; i < 2; i += 1) {
      const page = await fetch(link);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      const html = await page.text();
      expect(html).toContain('<form method="post" action="email-verification">');
      expect(html).toContain(added.user.email);
    }
    expect(
      await dbRows('identity', 'select "email_verified_at" from "user_account" where "id" = $1', [
        added.user.id,
      ]),
    ).toEqual([{ email_verified_at: null }]);
    expectApiError(
      await signInRaw(added.user.email, added.temporaryPassword),
      403,
      'auth.email_unverified',
    );

    expect(await confirmLinkPage(link)).toContain('Email address verified');
    expectStatus(await signInRaw(added.user.email, added.temporaryPassword), 200);

    // Single use; an unknown token is 404.
    const used = await postForm(`${new URL(link).origin}/v1/auth/email-verification`, {
      token: tokenIn(email),
    });
    expect(used.status).toBe(410);
    const unknown = await fetch(
      `${new URL(link).origin}/v1/auth/email-verification?token=${'x'.repeat(43)}`,
    );
    expect(unknown.status).toBe(404);
  });
});
