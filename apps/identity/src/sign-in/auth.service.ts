import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@app/platform';
import { TenantSnapshot } from '@app/contracts';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { Tenant } from '../organizations/tenant.entity';
import { toTenantSnapshot } from '../organizations/tenant-snapshot';
import { UserView, toUserView } from '../users/dto/user.dto';
import { PasswordHasher } from '../users/password-hasher.service';
import { assertPasswordPolicy } from '../users/password-policy';
import { User } from '../users/user.entity';
import { accessTokenClaims, signAccessToken } from './access-token-claims';
import { AccessTokenResponse, ChangePasswordInput, SignInInput } from './dto/auth.dto';
import { IssuedRefreshToken, RefreshTokensService } from './refresh-tokens.service';
import { SigningKeysService } from '../signing-keys/signing-keys.service';
import { SignInLockout } from './throttling/sign-in-lockout.service';

const invalidCredentials = () =>
  new DomainError('auth.invalid_credentials', 401, 'The email address or password is incorrect.');

/** 403 `auth.email_unverified`: the right password, but the sign-in address is not yet proved. */
const emailUnverified = () =>
  new DomainError(
    'auth.email_unverified',
    403,
    'Verify your email address first: follow the link we emailed to it. If the link has expired, ask for a password reset: its link verifies the address too.',
  );

/**
 * Sign-in, token refresh, sign-out and password change (seed 004: a user created with a temporary
 * password "is prompted to change their password" at first sign-in). One 401
 * `auth.invalid_credentials` for an unknown email, a wrong password and a disabled user, with the
 * same argon2 cost and the same failure count in every case, so no answer tells whether an email
 * has an account.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly keys: SigningKeysService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly lockout: SignInLockout,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /**
   * Check the password, count a failure against the email (`SignInLockout`) or reset the count on
   * success, and start a session: an access token and the first refresh token of a new family. A
   * hash made with older argon2 parameters is upgraded while the password is at hand.
   * @throws 401 `auth.invalid_credentials`, 429 `auth.locked` (locked now or by earlier failures),
   * 403 `auth.email_unverified` (the right password of a user who has not yet proved its address,
   * issue 9 point 7).
   */
  async signIn(input: SignInInput): Promise<AccessTokenResponse> {
    await this.lockout.assertNotLocked(input.email);
    const user = await this.em.findOne(User, { email: input.email });
    const ok = await this.hasher.verifyOrBurn(user?.passwordHash, input.password);
    const tenant = user && ok ? await this.em.findOne(Tenant, { id: user.tenantId }) : null;
    if (!user || !ok || user.disabled || !tenant) {
      await this.lockout.recordFailure(input.email);
      throw invalidCredentials();
    }
    // Only with the right password: a wrong one is the 401 above, so this tells a stranger nothing.
    if (!user.emailVerifiedAt) throw emailUnverified();
    await this.lockout.reset(input.email);
    const rehash = this.hasher.needsRehash(user.passwordHash)
      ? await this.hasher.hash(input.password)
      : undefined;
    const session = await this.em.transactional(async (tx) => {
      if (rehash) {
        await tx.nativeUpdate(User, { id: user.id }, { passwordHash: rehash });
      }
      return this.refreshTokens.start(tx, user);
    });
    return this.issue(user, tenant, session);
  }

  /**
   * Spend `refreshToken` and answer a new access token and refresh token of the same session. The
   * claims are read afresh (roles, `pwc` while the password is still temporary).
   * @throws 401 `auth.refresh_token_reused` (its session is revoked), 401
   * `auth.invalid_refresh_token`.
   */
  async refresh(refreshToken: string): Promise<AccessTokenResponse> {
    const session = await this.refreshTokens.rotate(refreshToken);
    return this.issue(session.user, session.tenant, session);
  }

  /** Revoke the session of `refreshToken`; idempotent, and silent for an unknown token. */
  signOut(refreshToken: string): Promise<void> {
    return this.refreshTokens.revokeFamilyOf(refreshToken);
  }

  /**
   * Change the caller's password, revoke every session of the user (`sessionsRevokedAt` = now and
   * every refresh token), and answer a new session without `pwc`. A wrong current password counts
   * as a failed sign-in of the account.
   * @throws 401 `auth.invalid_credentials` (wrong current password), 400 `user.weak_password`,
   * 400 `user.password_unchanged`, 429 `auth.locked`.
   */
  async changePassword(
    tenantId: string,
    userId: string,
    input: ChangePasswordInput,
  ): Promise<AccessTokenResponse> {
    const user = await this.em.findOne(User, { id: userId, tenantId });
    const tenant = await this.em.findOne(Tenant, { id: tenantId });
    if (!user || !tenant || user.disabled) throw invalidCredentials();
    await this.lockout.assertNotLocked(user.email);
    if (!(await this.hasher.verify(user.passwordHash, input.currentPassword))) {
      await this.lockout.recordFailure(user.email);
      throw invalidCredentials();
    }
    assertPasswordPolicy(input.newPassword, { email: user.email });
    if (input.newPassword === input.currentPassword) {
      throw new DomainError(
        'user.password_unchanged',
        400,
        'The new password must differ from the current one.',
      );
    }
    const passwordHash = await this.hasher.hash(input.newPassword);
    const { changed, session } = await this.em.transactional(async (tx) => {
      const locked = await tx.findOne(User, { id: userId, tenantId }, { refresh: true });
      if (!locked || locked.disabled) throw invalidCredentials();
      const now = new Date();
      locked.passwordHash = passwordHash;
      locked.passwordTemporary = false;
      locked.sessionsRevokedAt = now;
      await this.refreshTokens.revokeAllOf(tx, locked.id, now);
      return { changed: locked, session: this.refreshTokens.start(tx, locked, now) };
    });
    return this.issue(changed, tenant, session);
  }

  /** The caller's user and tenant. @throws 404 `user.not_found` when the user was removed. */
  async me(tenantId: string, userId: string): Promise<{ user: UserView; tenant: TenantSnapshot }> {
    const user = await this.em.findOne(User, { id: userId, tenantId });
    const tenant = await this.em.findOne(Tenant, { id: tenantId });
    if (!user || !tenant) throw new DomainError('user.not_found', 404, 'The user was not found.');
    return { user: toUserView(user), tenant: toTenantSnapshot(tenant) };
  }

  /** Sign an access token of `session` for `user` of `tenant` with the active signing key. */
  private async issue(
    user: User,
    tenant: Tenant,
    session: IssuedRefreshToken,
  ): Promise<AccessTokenResponse> {
    const ttl = this.config.ACCESS_TOKEN_TTL_SECONDS;
    const claims = accessTokenClaims({ user, tenant }, session.familyId);
    return {
      accessToken: await signAccessToken(claims, await this.keys.signingKey(), ttl),
      tokenType: 'Bearer',
      expiresIn: ttl,
      refreshToken: session.refreshToken,
      refreshExpiresIn: session.refreshExpiresIn,
      passwordChangeRequired: user.passwordTemporary,
    };
  }
}
