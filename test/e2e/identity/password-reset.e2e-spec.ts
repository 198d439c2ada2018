import {
  activePartner,
  addActiveUser,
  addUser,
  api,
  countRows,
  dbRows,
  emailsTo,
  expectApiError,
  expectStatus,
  followLinkPage,
  formOf,
  linkIn,
  postForm,
  refresh,
  signInPair,
  strongPassword,
  tokenIn,
  uniqueEmail,
  uniqueName,
  waitForEmail,
  waitForEmailWhere,
  type ActivePartner,
  type ReceivedEmail,
} from '../support';

/**
 * Issue 9 point 8, from the attacker's side: a forgotten password. The request answers the same
 * 202 whether or not the address has an account; the account's owner receives a single-use link
 * that expires; opening it changes nothing (point 14); its form sets a password of the policy,
 * verifies the address, revokes every session and spends the link; nobody else's account changes.
 * The throttles of the three routes are driven by test/e2e/system/public-route-limits.e2e-spec.ts
 * (test/e2e/support/route-limits.ts).
 */

const RESET_SUBJECT = 'Reset your password';

const requestReset = (email: string) =>
  api('identity').post('/v1/auth/password-reset-requests').send({ email });

/** The newest reset email to `to` whose link is none of `seen`. */
function newResetEmail(to: string, seen: string[] = []): Promise<ReceivedEmail> {
  return waitForEmailWhere(
    { to, subjectIncludes: RESET_SUBJECT },
    (email) => !seen.includes(linkIn(email)),
  );
}

async function passwordHashOf(userId: string): Promise<string> {
  const [row] = await dbRows<{ password_hash: string }>(
    'identity',
    'select "password_hash" from "user_account" where "id" = $1',
    [userId],
  );
  return row.password_hash;
}

let partner: ActivePartner;

beforeAll(async () => {
  partner = await activePartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') });
}, 120_000);

describe('a password reset request', () => {
  it('answers the same 202 for an unknown and a known address, and emails only the known one', async () => {
    const user = await addActiveUser(partner.token, ['SalesAgent']);
    const unknown = uniqueEmail('nobody', 'fabrikam');
    const known = await requestReset(user.user.email);
    const none = await requestReset(unknown);
    expect(known.status).toBe(202);
    expect(none.status).toBe(202);
    expect(none.body).toEqual(known.body);
    expect(known.body).toEqual({ accepted: true });
    expect(none.headers['content-type']).toBe(known.headers['content-type']);

    const email = await newResetEmail(user.user.email);
    expect(email.subject).toBe(`Reset your password for ${partner.name}`);
    expect(linkIn(email)).toMatch(/\/v1\/auth\/password-reset\?token=[A-Za-z0-9_-]{40,}&lang=en$/);
    // Nothing at rest for the unknown address, and no email.
    expect(
      await countRows(
        'identity',
        `select count(*) as n from "outbox_message" where "payload"::text like $1`,
        [`%${unknown}%`],
      ),
    ).toBe(0);
    expect(await emailsTo({ to: unknown })).toEqual([]);
    // The token rests only as a hash.
    expect(
      await countRows(
        'identity',
        'select count(*) as n from "enrollment_verification_token" where "token_hash" = $1',
        [tokenIn(email)],
      ),
    ).toBe(0);
  });

  it('refuses a body that is not just an email (400)', async () => {
    expectApiError(
      await api('identity')
        .post('/v1/auth/password-reset-requests')
        .send({ email: uniqueEmail(), tenantId: partner.tenantId }),
      400,
      'request.invalid',
    );
  });
});

describe('the reset link', () => {
  it('changes nothing when opened, sets a policy password with its form once, verifies the address and revokes every session', async () => {
    const user = await addActiveUser(partner.token, ['SalesAgent']);
    const other = await addActiveUser(partner.token, ['SalesAgent']);
    const session = await signInPair(user.user.email, user.password);
    const otherSession = await signInPair(other.user.email, other.password);
    const otherHash = await passwordHashOf(other.user.id);
    const hashBefore = await passwordHashOf(user.user.id);

    expect((await requestReset(user.user.email)).status).toBe(202);
    const email = await newResetEmail(user.user.email);
    const link = linkIn(email);

    // Opened twice (a scanner's prefetch): a form, nothing spent or changed.
    for (let i = 0; i < 2; i += 1) {
      const page = await fetch(link);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      const html = await page.text();
      expect(html).toContain('<form method="post" action="password-reset">');
      expect(html).toContain('type="password"');
      expect(html).toContain(user.user.email);
    }
    expect(await passwordHashOf(user.user.id)).toBe(hashBefore);
    expect(
      await countRows(
        'identity',
        `select count(*) as n from "enrollment_verification_token" where "user_id" = $1 and "purpose" = 'password_reset' and "used_at" is not null`,
        [user.user.id],
      ),
    ).toBe(0);

    // A weak password and two different ones are refused with the form again; the link still works.
    const weak = await followLinkPage(link, {
      password: 'password',
      passwordConfirmation: 'password',
    });
    expect(weak.status).toBe(400);
    const weakPage = await weak.text();
    expect(weakPage).toContain(
      '<p role="alert">The password is too weak: it must be at least 12 characters',
    );
    expect(formOf(weakPage, link).fields.token).toBe(tokenIn(email));
    const differ = await followLinkPage(link, {
      password: strongPassword(),
      passwordConfirmation: strongPassword(),
    });
    expect(differ.status).toBe(400);
    expect(await differ.text()).toContain('differ');
    expect(await passwordHashOf(user.user.id)).toBe(hashBefore);

    const newPassword = strongPassword();
    const done = await followLinkPage(link, {
      password: newPassword,
      passwordConfirmation: newPassword,
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Password changed');

    // Every session of the user is revoked; the old password no longer signs in, the new one does.
    expectApiError(await refresh(session.refreshToken), 401, 'auth.invalid_refresh_token');
    expectApiError(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: user.user.email, password: user.password }),
      401,
      'auth.invalid_credentials',
    );
    expect((await signInPair(user.user.email, newPassword)).passwordChangeRequired).toBe(false);

    // Single use: the page and the form answer 410 and change nothing.
    const hashAfter = await passwordHashOf(user.user.id);
    expect((await fetch(link)).status).toBe(410);
    const replay = await postForm(link.split('?')[0], {
      token: tokenIn(email),
      password: strongPassword(),
      passwordConfirmation: 'x',
    });
    expect(replay.status).toBe(410);
    const attacker = strongPassword();
    const replayed = await postForm(link.split('?')[0], {
      token: tokenIn(email),
      password: attacker,
      passwordConfirmation: attacker,
    });
    expect(replayed.status).toBe(410);
    expect(await passwordHashOf(user.user.id)).toBe(hashAfter);

    // Nobody else's account changed.
    expect(await passwordHashOf(other.user.id)).toBe(otherHash);
    expectStatus(await refresh(otherSession.refreshToken), 200);
  });

  it('refuses an expired link (410) and a link replaced by a newer one', async () => {
    const user = await addActiveUser(partner.token, ['SalesAgent']);
    const hash = await passwordHashOf(user.user.id);
    expect((await requestReset(user.user.email)).status).toBe(202);
    const first = await newResetEmail(user.user.email);
    expect((await requestReset(user.user.email)).status).toBe(202);
    const second = await newResetEmail(user.user.email, [linkIn(first)]);
    const password = strongPassword();

    // Replaced.
    expect((await fetch(linkIn(first))).status).toBe(410);
    const replaced = await postForm(linkIn(first).split('?')[0], {
      token: tokenIn(first),
      password,
      passwordConfirmation: password,
    });
    expect(replaced.status).toBe(410);
    expect(await replaced.text()).toContain('Link expired');

    // Expired.
    await dbRows(
      'identity',
      `update "enrollment_verification_token" set "expires_at" = now() - interval '1 second'
        where "user_id" = $1 and "purpose" = 'password_reset'`,
      [user.user.id],
    );
    expect((await fetch(linkIn(second))).status).toBe(410);
    const expired = await postForm(linkIn(second).split('?')[0], {
      token: tokenIn(second),
      password,
      passwordConfirmation: password,
    });
    expect(expired.status).toBe(410);
    expect(await passwordHashOf(user.user.id)).toBe(hash);

    // An unknown token is 404.
    expect((await fetch(`${linkIn(second).split('?')[0]}?token=${'x'.repeat(43)}`)).status).toBe(
      404,
    );
  });

  it('verifies the address of a user who never followed its verification link', async () => {
    const added = await addUser(partner.token, ['SalesAgent']);
    expectApiError(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: added.user.email, password: added.temporaryPassword }),
      403,
      'auth.email_unverified',
    );
    expect((await requestReset(added.user.email)).status).toBe(202);
    const email = await waitForEmail({ to: added.user.email, subjectIncludes: RESET_SUBJECT });
    const password = strongPassword();
    const done = await followLinkPage(linkIn(email), { password, passwordConfirmation: password });
    expect(done.status).toBe(200);
    const session = expectStatus<{ passwordChangeRequired: boolean }>(
      await api('identity').post('/v1/auth/token').send({ email: added.user.email, password }),
      200,
    );
    expect(session.passwordChangeRequired).toBe(false);
  });
});
