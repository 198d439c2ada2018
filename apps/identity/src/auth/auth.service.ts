import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, badRequest, notFound } from '@app/common';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { Tenant } from '../tenants/tenant.entity';
import { TenantSnapshot } from '@app/contracts';
import { toTenantSnapshot } from '../tenants/tenant-snapshot';
import { UserView, toUserView } from '../users/dto/user.dto';
import { PasswordHasher } from '../users/password-hasher.service';
import { assertPasswordPolicy } from '../users/password-policy';
import { User } from '../users/user.entity';
import { accessTokenClaims, signAccessToken } from './access-token-claims';
import { AccessTokenResponse, ChangePasswordInput, SignInInput } from './dto/auth.dto';
import { SigningKeysService } from './signing-keys.service';
import { SignInLockout } from './throttling/sign-in-lockout.service';

const invalidCredentials = () =>
  new DomainError('auth.invalid_credentials', 401, 'The email address or password is incorrect.');

/**
 * Sign-in and password change (seed 004: a user created with a temporary password "is prompted to
 * change their password" at first sign-in). One 401 `auth.invalid_credentials` for an unknown
 * email, a wrong password and a disabled user, with the same argon2 cost in every case.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly keys: SigningKeysService,
    private readonly lockout: SignInLockout,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /**
   * Check the password (the same argon2 cost for an unknown email), count a failure against the
   * email (`SignInLockout`), and reset the count on success.
   * @throws 401 `auth.invalid_credentials`, 429 `auth.locked` (locked now or by earlier failures).
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
    await this.lockout.reset(input.email);
    if (this.hasher.needsRehash(user.passwordHash)) {
      // Upgrade a hash made with older parameters while the password is at hand.
      user.passwordHash = await this.hasher.hash(input.password);
      await this.em.flush();
    }
    return this.issue(user, tenant);
  }

  /**
   * Change the caller's password and answer a fresh token without `pwc`. A wrong current password
   * counts as a failed sign-in of the account.
   * @throws 401 `auth.invalid_credentials` (wrong current password), 400 `user.weak_password`,
   * 400 `user.password_unchanged`, 429 `auth.locked`.
   */
  async changePassword(
    tenantId: string,
    userId: string,
    input: ChangePasswordInput,
  ): Promise<AccessTokenResponse> {
    return this.em.transactional(async (tx) => {
      const user = await tx.findOne(User, { id: userId, tenantId });
      const tenant = await tx.findOne(Tenant, { id: tenantId });
      if (!user || !tenant || user.disabled) throw invalidCredentials();
      await this.lockout.assertNotLocked(user.email);
      if (!(await this.hasher.verify(user.passwordHash, input.currentPassword))) {
        await this.lockout.recordFailure(user.email);
        throw invalidCredentials();
      }
      assertPasswordPolicy(input.newPassword, { email: user.email });
      if (input.newPassword === input.currentPassword) {
        throw badRequest(
          'user.password_unchanged',
          'The new password must differ from the current one.',
        );
      }
      user.passwordHash = await this.hasher.hash(input.newPassword);
      user.passwordTemporary = false;
      await tx.flush();
      return this.issue(user, tenant);
    });
  }

  /** The caller's user and tenant. @throws 404 `user.not_found` when the user was removed. */
  async me(tenantId: string, userId: string): Promise<{ user: UserView; tenant: TenantSnapshot }> {
    const user = await this.em.findOne(User, { id: userId, tenantId });
    const tenant = await this.em.findOne(Tenant, { id: tenantId });
    if (!user || !tenant) throw notFound('user.not_found', 'The user');
    return { user: toUserView(user), tenant: toTenantSnapshot(tenant) };
  }

  /** Sign an access token for `user` of `tenant` with the newest signing key. */
  async issue(user: User, tenant: Tenant): Promise<AccessTokenResponse> {
    const ttl = this.config.ACCESS_TOKEN_TTL_SECONDS;
    const claims = accessTokenClaims({ user, tenant });
    return {
      accessToken: await signAccessToken(claims, await this.keys.signingKey(), ttl),
      tokenType: 'Bearer',
      expiresIn: ttl,
      passwordChangeRequired: user.passwordTemporary,
    };
  }
}
