import { randomBytes, randomInt } from 'node:crypto';
import request, { type Response } from 'supertest';
import {
  activePartner,
  addUser,
  api,
  bearer,
  dbRows,
  expectApiError,
  expectStatus,
  harnessSettings,
  signIn,
  signUpCustomer,
  startExtraInstance,
  strongPassword,
  uniqueEmail,
  uniqueName,
  verifySignInEmail,
  type ActivePartner,
  type ExtraInstance,
  type TokenPair,
  errorCode,
} from '../support';

/**
 * Sign-in (seed 004; DESIGN.md "User": a temporary password shown once, changed at first sign-in):
 * a wrong password and an unknown email answer the same 401; a temporary password signs in for a
 * password change only; failed sign-ins lock an account (429 `auth.locked` with `Retry-After`)
 * across instances that share their counts, unknown emails are answered like known ones, lock
 * included, and each client address has a limit per route; passwords rest as argon2id and a weak
 * new one is refused naming the failed rules. Sessions (refresh tokens) are in
 * refresh-tokens.e2e-spec.ts.
 */

/** A made-up client address for `X-Forwarded-For` (the extra instances trust it). */
function clientAddress(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

function signInAt(url: string, email: string, password: string, address = clientAddress()) {
  return request(url)
    .post('/v1/auth/token')
    .set('X-Forwarded-For', address)
    .send({ email, password });
}

/** Asserts a 429 with `Retry-After` equal to `data.retryAfterSeconds`, within `1..max`. */
function expectRetryAfter(response: Response, code: string, max: number): number {
  const body = expectApiError(response, 429, code);
  const header = Number(response.headers['retry-after']);
  expect(Number.isInteger(header)).toBe(true);
  expect(header).toBeGreaterThanOrEqual(1);
  expect(header).toBeLessThanOrEqual(max);
  expect(body.data).toEqual([{ retryAfterSeconds: header }]);
  return header;
}

/** Polls `attempt` (bounded) until it answers `status`; every other answer must be `whileCode`. */
async function pollUntilStatus(
  attempt: () => Promise<Response>,
  status: number,
  whileCode: string,
  timeoutMs = 30_000,
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await attempt();
    if (response.status === status) return response;
    expectApiError(response, 429, whileCode);
    if (Date.now() > deadline) throw new Error(`still ${whileCode} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** An indirect reseller in New Zealand, active. */
let reseller: ActivePartner;

beforeAll(async () => {
  reseller = await activePartner({
    partnerType: 'indirect_reseller',
    country: 'NZ',
    name: uniqueName('Fabrikam'),
  });
}, 120_000);

describe('sign-in', () => {
  it('answers a wrong password and an unknown email with the same 401 body', async () => {
    const wrong = await api('identity')
      .post('/v1/auth/token')
      .send({ email: reseller.adminEmail, password: `${reseller.body.globalAdmin.password}x` });
    const unknown = await api('identity')
      .post('/v1/auth/token')
      .send({ email: uniqueEmail('nobody', 'nowhere'), password: strongPassword() });
    const wrongBody = expectApiError(wrong, 401, 'auth.invalid_credentials');
    const unknownBody = expectApiError(unknown, 401, 'auth.invalid_credentials');
    expect(unknownBody).toEqual(wrongBody);
    expect(wrong.body).not.toHaveProperty('accessToken');
  });

  it('signs a user on a temporary password in for a password change only, then issues a full token', async () => {
    const added = await addUser(reseller.token, ['SalesAgent']);
    expect(added.user.passwordTemporary).toBe(true);
    // Issue 9 point 7: not before the new user proves its address (the right password: 403; a
    // wrong one: the same 401 as always).
    expectApiError(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: added.user.email, password: added.temporaryPassword }),
      403,
      'auth.email_unverified',
    );
    expectApiError(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: added.user.email, password: `${added.temporaryPassword}x` }),
      401,
      'auth.invalid_credentials',
    );
    await verifySignInEmail(added.user.email);
    const first = expectStatus<{
      accessToken: string;
      tokenType: string;
      expiresIn: number;
      passwordChangeRequired: boolean;
    }>(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: added.user.email, password: added.temporaryPassword }),
      200,
    );
    expect(first).toMatchObject({ tokenType: 'Bearer', passwordChangeRequired: true });
    expect(first.expiresIn).toBeGreaterThan(0);

    // Its own account is readable; everything else is 403 auth.password_change_required, on
    // identity and on relationships.
    expectStatus(await api('identity').get('/v1/me').set(bearer(first.accessToken)), 200);
    expectApiError(
      await api('identity').get('/v1/partner-profile').set(bearer(first.accessToken)),
      403,
      'auth.password_change_required',
    );
    expectApiError(
      await api('relationships').get('/v1/customers').set(bearer(first.accessToken)),
      403,
      'auth.password_change_required',
    );

    // A wrong current password and a weak new one are refused; the temporary one still works.
    expectApiError(
      await api('identity')
        .post('/v1/auth/password')
        .set(bearer(first.accessToken))
        .send({ currentPassword: `${added.temporaryPassword}x`, newPassword: strongPassword() }),
      401,
      'auth.invalid_credentials',
    );
    expectApiError(
      await api('identity')
        .post('/v1/auth/password')
        .set(bearer(first.accessToken))
        .send({ currentPassword: added.temporaryPassword, newPassword: 'short' }),
      400,
      'user.weak_password',
    );

    const newPassword = strongPassword();
    const changed = expectStatus<{ accessToken: string; passwordChangeRequired: boolean }>(
      await api('identity')
        .post('/v1/auth/password')
        .set(bearer(first.accessToken))
        .send({ currentPassword: added.temporaryPassword, newPassword }),
      200,
    );
    expect(changed.passwordChangeRequired).toBe(false);
    expectStatus(
      await api('relationships').get('/v1/customers').set(bearer(changed.accessToken)),
      200,
    );
    expectStatus(
      await api('identity').get('/v1/partner-profile').set(bearer(changed.accessToken)),
      200,
    );

    // The temporary password is gone; the new one signs in without a change required.
    expectApiError(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: added.user.email, password: added.temporaryPassword }),
      401,
      'auth.invalid_credentials',
    );
    expect((await signIn(added.user.email, newPassword)).passwordChangeRequired).toBe(false);
  });
});

/** The strict limits of the extra instances. */
const STRICT = {
  addressLimit: 4,
  addressWindowSeconds: 60,
  maxFailures: 3,
  failureWindowSeconds: 60,
  lockoutSeconds: 3,
  trustProxy: 'true',
};

describe('sign-in throttling (two identity instances with strict limits, sharing their counts)', () => {
  let first: ExtraInstance | undefined;
  let second: ExtraInstance | undefined;
  let a: string;
  let b: string;

  beforeAll(async () => {
    const strict = () => ({ auth: { ...harnessSettings().auth, ...STRICT } });
    first = await startExtraInstance('identity', strict);
    second = await startExtraInstance('identity', strict);
    a = first.url;
    b = second.url;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  }, 30_000);

  it('locks an account after failures spread over both instances, even for the right password, on every instance, until the lock expires', async () => {
    const customer = await signUpCustomer();
    const wrong = `${customer.password}-wrong`;
    expectApiError(await signInAt(a, customer.email, wrong), 401, 'auth.invalid_credentials');
    expectApiError(await signInAt(b, customer.email, wrong), 401, 'auth.invalid_credentials');
    // The third failure (SIGN_IN_MAX_FAILURES = 3) locks the account.
    expectRetryAfter(await signInAt(a, customer.email, wrong), 'auth.locked', 3);

    // The right password is refused on both instances and on the harness's own.
    expectRetryAfter(await signInAt(b, customer.email, customer.password), 'auth.locked', 3);
    expectRetryAfter(await signInAt(a, customer.email, customer.password), 'auth.locked', 3);
    expectRetryAfter(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: customer.email, password: customer.password }),
      'auth.locked',
      3,
    );

    // Once the lock expires the right password signs in.
    const unlocked = await pollUntilStatus(
      () => signInAt(b, customer.email, customer.password),
      200,
      'auth.locked',
    );
    expect(expectStatus<TokenPair>(unlocked, 200).accessToken).toEqual(expect.any(String));

    // That success reset the count: two failures, a success, two failures stay 401.
    for (const url of [a, b]) {
      expectApiError(await signInAt(url, customer.email, wrong), 401, 'auth.invalid_credentials');
    }
    expectStatus(await signInAt(a, customer.email, customer.password), 200);
    for (const url of [b, a]) {
      expectApiError(await signInAt(url, customer.email, wrong), 401, 'auth.invalid_credentials');
    }
    expectStatus(await signInAt(b, customer.email, customer.password), 200);
  });

  it('answers an unknown email exactly like a known one, lock included', async () => {
    const customer = await signUpCustomer();
    const unknown = uniqueEmail('nobody', 'nowhere');
    const bodies = async (email: string) => {
      const answers: Response[] = [];
      for (const url of [a, b, a]) answers.push(await signInAt(url, email, strongPassword()));
      return answers;
    };
    const known = await bodies(customer.email);
    const missing = await bodies(unknown);
    for (let i = 0; i < 2; i += 1) {
      expectApiError(known[i], 401, 'auth.invalid_credentials');
      expect(missing[i].status).toBe(known[i].status);
      expect(missing[i].body).toEqual(known[i].body);
    }
    const knownLock = expectRetryAfter(known[2], 'auth.locked', 3);
    const missingLock = expectRetryAfter(missing[2], 'auth.locked', 3);
    expect(missingLock).toBe(knownLock);
    expect({ ...(missing[2].body as object), data: [] }).toEqual({
      ...(known[2].body as object),
      data: [],
    });
  });

  it('limits requests per client address and route, counted across both instances', async () => {
    const address = clientAddress();
    for (const url of [a, b, a, b]) {
      expectApiError(
        await signInAt(url, uniqueEmail('probe', 'nowhere'), strongPassword(), address),
        401,
        'auth.invalid_credentials',
      );
    }
    // AUTH_ADDRESS_LIMIT = 4: the fifth request of the address is refused, on either instance.
    const throttled = await signInAt(a, uniqueEmail('probe', 'nowhere'), strongPassword(), address);
    expectRetryAfter(throttled, 'request.throttled', 60);
    expectRetryAfter(
      await signInAt(b, uniqueEmail('probe', 'nowhere'), strongPassword(), address),
      'request.throttled',
      60,
    );
    // Another address is not limited (the instances trust X-Forwarded-For: TRUST_PROXY=true).
    expectApiError(
      await signInAt(b, uniqueEmail('probe', 'nowhere'), strongPassword(), clientAddress()),
      401,
      'auth.invalid_credentials',
    );

    // The refresh route has its own count per address.
    const refreshFrom = (url: string) =>
      request(url)
        .post('/v1/auth/refresh')
        .set('X-Forwarded-For', address)
        .send({ refreshToken: randomBytes(32).toString('base64url') });
    for (const url of [a, b, a, b]) {
      expectApiError(await refreshFrom(url), 401, 'auth.invalid_refresh_token');
    }
    expectRetryAfter(await refreshFrom(b), 'request.throttled', 60);
  });
});

/** A burst's limits: 5 attempts per account; a lock long enough to look at after the burst. */
const BURST = {
  addressLimit: 100000,
  addressWindowSeconds: 60,
  maxFailures: 5,
  failureWindowSeconds: 60,
  lockoutSeconds: 8,
  trustProxy: 'true',
};

/**
 * Statuses of a burst's answers: each is 200, 401 `auth.invalid_credentials` or 429 `auth.locked`;
 * with `tokenMayBeRevoked` (a password-change burst: its success revokes the caller's token), 401
 * `auth.unauthenticated` too, a request refused before anything was verified.
 */
function tally(
  answers: Response[],
  tokenMayBeRevoked = false,
): { ok: number; wrong: number; locked: number; revoked: number } {
  const counts = { ok: 0, wrong: 0, locked: 0, revoked: 0 };
  for (const answer of answers) {
    if (answer.status === 200) counts.ok += 1;
    else if (
      tokenMayBeRevoked &&
      answer.status === 401 &&
      (answer.body as { code?: number }).code === errorCode('auth.unauthenticated')
    ) {
      counts.revoked += 1;
    } else if (answer.status === 401) {
      expectApiError(answer, 401, 'auth.invalid_credentials');
      counts.wrong += 1;
    } else {
      expectRetryAfter(answer, 'auth.locked', BURST.lockoutSeconds);
      counts.locked += 1;
    }
  }
  return counts;
}

/**
 * Starts every request of `wrong` at once, then `right` as soon as the first of them answers
 * `auth.locked` (the account is past its limit), while the others may still be verified.
 */
async function burstThenRight(
  wrong: (() => Promise<Response>)[],
  right: () => Promise<Response>,
): Promise<{ wrong: Response[]; right: Response }> {
  let firstLocked: () => void = () => undefined;
  const locked = new Promise<void>((resolve) => (firstLocked = resolve));
  const burst = Promise.all(
    wrong.map((send) =>
      send().then((answer) => {
        if (answer.status === 429) firstLocked();
        return answer;
      }),
    ),
  );
  await Promise.race([locked, burst]);
  const rightAnswer = right();
  return { wrong: await burst, right: await rightAnswer };
}

describe('a burst of password guesses (issue 9 point 10: counted before verifying, limit 5)', () => {
  let instance: ExtraInstance | undefined;
  let url: string;

  beforeAll(async () => {
    instance = await startExtraInstance('identity', () => ({
      auth: { ...harnessSettings().auth, ...BURST },
    }));
    url = instance.url;
  }, 120_000);

  afterAll(async () => {
    await instance?.stop();
  }, 30_000);

  const sessionsOf = async (email: string) =>
    Number(
      (
        await dbRows<{ n: string }>(
          'identity',
          `select count(*) as n from "refresh_token" r join "user_account" u on u."id" = r."user_id"
            where u."email" = $1`,
          [email],
        )
      )[0].n,
    );

  it('verifies at most 5 of 20 parallel sign-ins with the right password among them, and the lock holds after even when that one was verified', async () => {
    const customer = await signUpCustomer();
    const passwords = Array.from({ length: 20 }, (_, i) =>
      i === 10 ? customer.password : `${customer.password}-guess-${i}`,
    );
    const answers = await Promise.all(passwords.map((p) => signInAt(url, customer.email, p)));
    const counts = tally(answers);
    // Verified: the 401s, the 200 if any, and at most the one failure that locks (a 429).
    expect(counts.ok + counts.wrong).toBeLessThanOrEqual(BURST.maxFailures);
    expect(counts.ok).toBeLessThanOrEqual(1);
    expect(counts.locked).toBeGreaterThanOrEqual(20 - BURST.maxFailures);
    // Whether or not the right password came among the first five, the lock holds after the burst
    // (a success during a burst resets nothing), on this instance and the harness's own.
    expectRetryAfter(
      await signInAt(url, customer.email, customer.password),
      'auth.locked',
      BURST.lockoutSeconds,
    );
    expectRetryAfter(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: customer.email, password: customer.password }),
      'auth.locked',
      BURST.lockoutSeconds,
    );
    const unlocked = await pollUntilStatus(
      () => signInAt(url, customer.email, customer.password),
      200,
      'auth.locked',
    );
    expect(expectStatus<TokenPair>(unlocked, 200).accessToken).toEqual(expect.any(String));
  });

  it('refuses the right password that comes after the limit, while the burst is still verified, and signs nothing in', async () => {
    const customer = await signUpCustomer();
    const before = await sessionsOf(customer.email);
    const { wrong, right } = await burstThenRight(
      Array.from(
        { length: 19 },
        (_, i) => () => signInAt(url, customer.email, `${customer.password}-guess-${i}`),
      ),
      () => signInAt(url, customer.email, customer.password),
    );
    expectRetryAfter(right, 'auth.locked', BURST.lockoutSeconds);
    const counts = tally(wrong);
    expect(counts.ok).toBe(0);
    expect(counts.wrong).toBeLessThanOrEqual(BURST.maxFailures - 1);
    expect(counts.locked).toBeGreaterThanOrEqual(19 - (BURST.maxFailures - 1));
    expect(await sessionsOf(customer.email)).toBe(before);
    expectRetryAfter(
      await signInAt(url, customer.email, customer.password),
      'auth.locked',
      BURST.lockoutSeconds,
    );
  });

  it('counts the current password of POST /v1/auth/password the same way: at most 5 of 20 verified, the lock holds', async () => {
    const customer = await signUpCustomer();
    const newPassword = strongPassword();
    const change = (currentPassword: string) =>
      request(url)
        .post('/v1/auth/password')
        .set(bearer(customer.token))
        .send({ currentPassword, newPassword });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        change(i === 10 ? customer.password : `${customer.password}-guess-${i}`),
      ),
    );
    const counts = tally(answers, true);
    expect(counts.ok + counts.wrong).toBeLessThanOrEqual(BURST.maxFailures);
    expect(counts.ok).toBeLessThanOrEqual(1);
    expect(counts.locked + counts.revoked).toBeGreaterThanOrEqual(20 - BURST.maxFailures);
    // The account is locked for sign-in with either password until the lock expires; then the
    // current one (the new one exactly when the right one was verified) signs in.
    const current = counts.ok === 1 ? newPassword : customer.password;
    for (const password of [customer.password, newPassword]) {
      expectRetryAfter(
        await signInAt(url, customer.email, password),
        'auth.locked',
        BURST.lockoutSeconds,
      );
    }
    await pollUntilStatus(() => signInAt(url, customer.email, current), 200, 'auth.locked');
  });

  it('refuses the right current password that comes after the limit of a password-change burst', async () => {
    const customer = await signUpCustomer();
    const change = (currentPassword: string) =>
      request(url)
        .post('/v1/auth/password')
        .set(bearer(customer.token))
        .send({ currentPassword, newPassword: strongPassword() });
    const { wrong, right } = await burstThenRight(
      Array.from({ length: 19 }, (_, i) => () => change(`${customer.password}-guess-${i}`)),
      () => change(customer.password),
    );
    expectRetryAfter(right, 'auth.locked', BURST.lockoutSeconds);
    const counts = tally(wrong);
    expect(counts.ok).toBe(0);
    expect(counts.wrong).toBeLessThanOrEqual(BURST.maxFailures - 1);
    // The password did not change: it signs in once the lock expires.
    await pollUntilStatus(
      () => signInAt(url, customer.email, customer.password),
      200,
      'auth.locked',
    );
  });
});

describe('passwords', () => {
  it('are stored as argon2id with the OWASP parameters', async () => {
    const customer = await signUpCustomer();
    const [user] = await dbRows<{ password_hash: string }>(
      'identity',
      `select "password_hash" from "user_account" where "email" = $1`,
      [customer.email],
    );
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  it('refuse a weak new password naming the failed rules', async () => {
    const customer = await signUpCustomer();
    const local = customer.email.split('@')[0];
    const response = await api('identity')
      .post('/v1/auth/password')
      .set(bearer(customer.token))
      .send({ currentPassword: customer.password, newPassword: `${local}!` });
    const body = expectApiError(response, 400, 'user.weak_password');
    expect((body.data[0] as { failedRules: string[] }).failedRules).toContain('contains_email');
    const common = await api('identity')
      .post('/v1/auth/password')
      .set(bearer(customer.token))
      .send({ currentPassword: customer.password, newPassword: 'Password2026!' });
    expect(
      (expectApiError(common, 400, 'user.weak_password').data[0] as { failedRules: string[] })
        .failedRules,
    ).toEqual(['common_password']);
  });
});
