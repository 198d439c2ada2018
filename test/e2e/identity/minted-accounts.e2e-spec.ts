import { randomUUID } from 'node:crypto';
import { runToExit } from '../../../scripts/lib/system';
import {
  addActiveUser,
  api,
  bearer,
  dbRows,
  enrollPartner,
  expectStatus,
  harnessSettings,
  refresh,
  signInPair,
  uniqueName,
  type EnrolledPartner,
} from '../support';

/**
 * Issue 10: the accounts an indirect provider minted in a reseller's organisation under the old
 * administrator access (`delegation.kind` `admin_access`) are retired by identity's `migrate` step:
 * disabled, their sessions revoked (refresh tokens and access tokens), and listed in its output
 * (tenant, user id, email). Idempotent: a second run lists and changes nothing, and an account the
 * reseller enabled again stays enabled. The minted account is made the old way: a user row of the
 * reseller marked as created through the provider's grant.
 */

/** `node dist/apps/identity/main.js migrate` against the test system; its output. */
async function migrateIdentity(): Promise<string> {
  const run = await runToExit('identity', ['migrate'], harnessSettings(), 60_000);
  expect({ code: run.code, output: run.output }).toMatchObject({ code: 0 });
  return run.output;
}

describe('accounts minted under the old administrator access are retired by migrate (issue 10)', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;

  beforeAll(async () => {
    [provider, reseller] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
    ]);
  }, 120_000);

  it('disables them, revokes their sessions, lists them; a second run changes nothing', async () => {
    const minted = await addActiveUser(reseller.token, ['SalesAgent'], { company: 'fabrikam' });
    const own = await addActiveUser(reseller.token, ['SalesAgent'], { company: 'fabrikam' });
    await dbRows(
      'identity',
      `update user_account set delegation_kind = 'admin_access', delegated_by_tenant_id = $2,
              delegation_grant_id = $3 where id = $1`,
      [minted.user.id, provider.tenantId, randomUUID()],
    );
    const session = await signInPair(minted.user.email, minted.password);
    expectStatus(await api('identity').get('/v1/me').set(bearer(minted.token)), 200);

    const output = await migrateIdentity();
    const line = `tenant ${reseller.tenantId} user ${minted.user.id} ${minted.user.email} minted by ${provider.tenantId}`;
    expect(output).toContain(line);
    expect(output).not.toContain(own.user.id);

    const [row] = await dbRows<{ disabled: boolean; sessions_revoked_at: Date | null }>(
      'identity',
      'select disabled, sessions_revoked_at from user_account where id = $1',
      [minted.user.id],
    );
    expect(row.disabled).toBe(true);
    expect(row.sessions_revoked_at).not.toBeNull();
    expect(
      await dbRows(
        'identity',
        'select id from refresh_token where user_id = $1 and revoked_at is null',
        [minted.user.id],
      ),
    ).toEqual([]);
    // Every session refused: access tokens on every service, the refresh token, a new sign-in.
    expect((await api('identity').get('/v1/me').set(bearer(minted.token))).status).toBe(401);
    expect(
      (await api('relationships').get('/v1/relationships').set(bearer(session.accessToken))).status,
    ).toBe(401);
    expect((await refresh(session.refreshToken)).status).toBe(401);
    expect(
      (
        await api('identity')
          .post('/v1/auth/token')
          .send({ email: minted.user.email, password: minted.password })
      ).status,
    ).toBe(401);
    // The reseller's own user is untouched.
    expectStatus(await api('identity').get('/v1/me').set(bearer(own.token)), 200);

    // Idempotent: nothing listed again; an account the reseller enabled again stays enabled.
    expectStatus(
      await api('identity').post(`/v1/users/${minted.user.id}/enable`).set(bearer(reseller.token)),
      200,
    );
    const again = await migrateIdentity();
    expect(again).not.toContain(minted.user.id);
    const [after] = await dbRows<{ disabled: boolean }>(
      'identity',
      'select disabled from user_account where id = $1',
      [minted.user.id],
    );
    expect(after.disabled).toBe(false);
    expect(
      await dbRows('identity', 'select user_id from retired_minted_account where user_id = $1', [
        minted.user.id,
      ]),
    ).toHaveLength(1);
  });
});
