import {
  api,
  bearer,
  dbRows,
  expectApiError,
  expectStatus,
  signIn,
  signUpCustomer,
  startExtraInstance,
  strongPassword,
  uniqueEmail,
  type ExtraInstance,
  type HarnessSettings,
} from '../support';

/**
 * The platform operator is created once from `OPERATOR_EMAIL` / `OPERATOR_PASSWORD` at start-up
 * (issue 9 point 17): an operator who changed that first password keeps the new one across
 * restarts, and a disabled operator stays disabled; a restart never puts the configured password
 * back. Each "restart" is a new identity instance on the same database with the same settings (the
 * bootstrap runs at every start-up), so the harness's own operator is left alone.
 */

interface OperatorRow {
  disabled: boolean;
  roles: string[];
  password_hash: string;
}

const operatorRow = async (email: string): Promise<OperatorRow> => {
  const rows = await dbRows<OperatorRow>(
    'identity',
    `select u."disabled", u."roles", u."password_hash" from "user_account" u
       join "tenant" t on t."id" = u."tenant_id"
      where u."email" = $1 and t."kind" = 'platform'`,
    [email],
  );
  expect(rows).toHaveLength(1);
  return rows[0];
};

describe('operator bootstrap', () => {
  const email = uniqueEmail('operator', 'platform');
  const configured = strongPassword();
  const withOperator = (): Partial<HarnessSettings> => ({
    operator: { email, password: configured },
  });
  /** Starts identity with this operator's settings (the bootstrap runs), then stops it. */
  const restart = async () => {
    const instance: ExtraInstance = await startExtraInstance('identity', withOperator);
    await instance.stop();
  };

  it('creates the operator once; a changed password survives a restart and a disabled operator stays disabled', async () => {
    await restart();
    const first = await signIn(email, configured);
    expect(first.passwordChangeRequired).toBe(false);
    const roles = (await operatorRow(email)).roles;
    expect(roles).toEqual(['Operator']);

    // The operator changes the configured password; identity restarts with the same settings.
    const changed = strongPassword();
    expectStatus(
      await api('identity')
        .post('/v1/auth/password')
        .set(bearer(first.accessToken))
        .send({ currentPassword: configured, newPassword: changed }),
      200,
    );
    const hashAfterChange = (await operatorRow(email)).password_hash;
    await restart();
    expect((await operatorRow(email)).password_hash).toBe(hashAfterChange);
    const session = await signIn(email, changed);
    expectStatus(
      await api('identity').get('/v1/enrollments').set(bearer(session.accessToken)),
      200,
    );
    expectApiError(
      await api('identity').post('/v1/auth/token').send({ email, password: configured }),
      401,
      'auth.invalid_credentials',
    );

    // Disabled (by another operator's hand: in the database), it stays disabled after a restart.
    await dbRows(
      'identity',
      `update "user_account" set "disabled" = true, "sessions_revoked_at" = now() where "email" = $1`,
      [email],
    );
    await restart();
    expect(await operatorRow(email)).toMatchObject({ disabled: true, roles });
    for (const password of [changed, configured]) {
      expectApiError(
        await api('identity').post('/v1/auth/token').send({ email, password }),
        401,
        'auth.invalid_credentials',
      );
    }
  }, 180_000);

  it('creates the operator in the platform organisation even when another organisation already has a user of its address (sign-in names are per organisation, issue 9 point 9)', async () => {
    const shared = uniqueEmail('operator', 'platform');
    const customer = await signUpCustomer();
    const customerPassword = strongPassword();
    const added = expectStatus<{ user: { id: string }; temporaryPassword: string }>(
      await api('identity')
        .post('/v1/users')
        .set(bearer(customer.token))
        .send({ firstName: 'Op', lastName: 'Erator', email: shared, roles: ['BillingAdmin'] }),
      201,
    );
    const first = await signIn(shared, added.temporaryPassword, customer.tenantId);
    expectStatus(
      await api('identity')
        .post('/v1/auth/password')
        .set(bearer(first.accessToken))
        .send({ currentPassword: added.temporaryPassword, newPassword: customerPassword }),
      200,
    );
    const instance = await startExtraInstance('identity', () => ({
      operator: { email: shared, password: configured },
    }));
    await instance.stop();
    expect((await operatorRow(shared)).roles).toEqual(['Operator']);
    // Each signs in to its own account: the password picks it.
    const operator = await signIn(shared, configured);
    expectStatus(
      await api('identity').get('/v1/enrollments').set(bearer(operator.accessToken)),
      200,
    );
    const member = await signIn(shared, customerPassword);
    const me = expectStatus<{ user: { id: string } }>(
      await api('identity').get('/v1/me').set(bearer(member.accessToken)),
      200,
    );
    expect(me.user.id).toBe(added.user.id);
  }, 180_000);
});
