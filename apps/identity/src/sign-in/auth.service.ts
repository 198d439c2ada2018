import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@app/platform';
import { TenantSnapshot } from '@app/contracts';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { IdentityAudit, anonymousActor, userActor } from '../audit-events/identity-audit.service';
import { Tenant } from '../organizations/tenant.entity';
import { toTenantSnapshot } from '../organizations/tenant-snapshot';
import { UserView, toUserView } from '../users/dto/user.dto';
import { PasswordHasher } from '../users/password-hasher.service';
import { assertPasswordPolicy } from '../users/password-policy';
import { User } from '../users/user.entity';
import { accessTokenClaims, signAccessToken } from './access-token-claims';
import { AccessTokenResponse, ChangePasswordInput, SignInInput } from './dto/auth.dto';
import {
  IssuedRefreshToken,
  RefreshTokensService,
  invalidRefreshToken,
  sessionStillValid,
} from './refresh-tokens.service';
import { SessionRevocationService } from '../session-revocation/session-revocation.service';
import { SigningKeysService } from '../signing-keys/signing-keys.service';
import { SignInCandidates } from './sign-in-candidates.service';
import {
  AccountLockedError,
  CountedAttempt,
  SignInLockout,
} from './throttling/sign-in-lockout.service';

/** Accounts a lockout records at most (one sign-in name may have accounts in several organisations). */
const MAX_LOCKED_ACCOUNTS = 20;

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
 * `auth.invalid_credentials` for an unknown email, an unknown organisation, a wrong password and a
 * disabled user, with an argon2 cost and the same failure count in every case, so no answer tells
 * whether an email has an account.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly keys: SigningKeysService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly lockout: SignInLockout,
    private readonly candidates: SignInCandidates,
    private readonly revocation: SessionRevocationService,
    private readonly audit: IdentityAudit,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /**
   * Count the attempt against the email before checking the password (`SignInLockout`: past the
   * limit it is refused unverified), then find the account the name and password sign in to
   * (`SignInCandidates`: within `organization` when named; sign-in names are per organisation) and
   * start a session: an access token and the first refresh token of a new family. A hash made with
   * older argon2 parameters is upgraded while the password is at hand. A session started is
   * recorded (`user.signed_in`, the user as actor: its password proved who it is), in the
   * transaction that starts it; so is the attempt that locks the sign-in name (`user.locked_out`,
   * see `countAttempt`). A failed sign-in records nothing (nothing changed, and nothing may tell
   * whether the address has an account).
   * @throws 401 `auth.invalid_credentials`, 403 `auth.email_unverified` (the right password of a
   * user who has not yet proved its address, issue 9 point 7), 409 `auth.organization_required` (the password is
   * right in several organisations: name one), 429 `auth.locked` (locked, or locked by this
   * attempt).
   */
  async signIn(input: SignInInput): Promise<AccessTokenResponse> {
    const attempt = await this.countAttempt(input.email, () => this.lockout.begin(input.email));
    const match = await this.candidates.match(input.email, input.password, input.organization);
    if (!match) {
      await this.countAttempt(input.email, () => this.lockout.failed(attempt));
      throw invalidCredentials();
    }
    const { user, tenant } = match;
    // Only with the right password: a wrong one is the 401 above, so this tells a stranger nothing.
    if (!user.emailVerifiedAt) {
      await this.lockout.succeeded(attempt);
      throw emailUnverified();
    }
    await this.lockout.succeeded(attempt);
    const rehash = this.hasher.needsRehash(user.passwordHash)
      ? await this.hasher.hash(input.password)
      : undefined;
    const startedAt = new Date();
    const session = await this.em.transactional(async (tx) => {
      if (rehash) {
        await tx.nativeUpdate(User, { id: user.id }, { passwordHash: rehash });
      }
      const started = this.refreshTokens.start(tx, user, startedAt);
      await this.audit.record(tx, {
        type: 'user.signed_in',
        actor: userActor(user.id, user.tenantId),
        tenantIds: [user.tenantId],
        resource: { type: 'user', id: user.id },
        after: { sessionId: started.familyId, passwordTemporary: user.passwordTemporary },
      });
      return started;
    });
    return this.issue(user, tenant, session, startedAt, invalidCredentials);
  }

  /**
   * Spend `refreshToken` and answer a new access token and refresh token of the same session. The
   * claims are read afresh (roles, `pwc` while the password is still temporary).
   * @throws 401 `auth.refresh_token_reused` (its session is revoked), 401
   * `auth.invalid_refresh_token`.
   */
  async refresh(refreshToken: string): Promise<AccessTokenResponse> {
    const session = await this.refreshTokens.rotate(refreshToken);
    return this.issue(
      session.user,
      session.tenant,
      session,
      session.sessionStartedAt,
      invalidRefreshToken,
    );
  }

  /**
   * Revoke the session of `refreshToken`, its access tokens included on every service (issue 9
   * point 11); idempotent, and silent for an unknown token.
   */
  async signOut(refreshToken: string): Promise<void> {
    const sessionId = await this.refreshTokens.revokeFamilyOf(refreshToken);
    if (sessionId) await this.revocation.revokeSession(sessionId);
  }

  /**
   * Change the caller's password, revoke every session of the user (`sessionsRevokedAt` = now,
   * every refresh token, and every access token on every service), and answer a new session
   * without `pwc`. The current password is an attempt on the account like a sign-in
   * (`SignInLockout`: counted before it is verified, refused unverified past the limit).
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
    const attempt = await this.countAttempt(user.email, () => this.lockout.begin(user.email));
    if (!(await this.hasher.verify(user.passwordHash, input.currentPassword))) {
      await this.countAttempt(user.email, () => this.lockout.failed(attempt));
      throw invalidCredentials();
    }
    await this.lockout.succeeded(attempt);
    assertPasswordPolicy(input.newPassword, { email: user.email });
    if (input.newPassword === input.currentPassword) {
      throw new DomainError(
        'user.password_unchanged',
        400,
        'The new password must differ from the current one.',
      );
    }
    const passwordHash = await this.hasher.hash(input.newPassword);
    const now = new Date();
    const { changed, session } = await this.em.transactional(async (tx) => {
      const locked = await tx.findOne(User, { id: userId, tenantId }, { refresh: true });
      if (!locked || locked.disabled) throw invalidCredentials();
      const before = { passwordTemporary: locked.passwordTemporary };
      locked.passwordHash = passwordHash;
      locked.passwordTemporary = false;
      locked.sessionsRevokedAt = now;
      await this.refreshTokens.revokeAllOf(tx, locked.id, now);
      const started = this.refreshTokens.start(tx, locked, now);
      await this.audit.record(tx, {
        type: 'user.password_changed',
        tenantIds: [locked.tenantId],
        resource: { type: 'user', id: locked.id },
        before,
        after: { passwordTemporary: false, sessionsRevoked: true, sessionId: started.familyId },
      });
      return { changed: locked, session: started };
    });
    const revokedAt = await this.revocation.revokeUsers([changed.id]);
    return this.issue(changed, tenant, session, now, invalidCredentials, revokedAt);
  }

  /**
   * A step of `SignInLockout` on `email`'s attempts (`begin` or `failed`). When the step locks the
   * sign-in name now (not while an earlier lock runs), the lockout is recorded before the 429 is
   * thrown: `user.locked_out` for each account with that sign-in name (in its own organisation's
   * trail only; none for an address without an account), actor anonymous (whoever tried), in a
   * transaction of its own (the lock itself lives in Redis). The answer is the same either way.
   * @throws 429 `auth.locked` as the step does.
   */
  private async countAttempt<T extends CountedAttempt | void>(
    email: string,
    step: () => Promise<T>,
  ): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof AccountLockedError && error.lockedNow) {
        await this.recordLockout(email, error.retryAfterSeconds);
      }
      throw error;
    }
  }

  private async recordLockout(email: string, lockedForSeconds: number): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      const users = await tx.find(
        User,
        { email },
        { limit: MAX_LOCKED_ACCOUNTS, orderBy: { createdAt: 'asc' } },
      );
      for (const user of users) {
        await this.audit.record(tx, {
          type: 'user.locked_out',
          actor: anonymousActor(),
          tenantIds: [user.tenantId],
          resource: { type: 'user', id: user.id },
          after: { lockedForSeconds },
        });
      }
    });
  }

  /** The caller's user and tenant. @throws 404 `user.not_found` when the user was removed. */
  async me(tenantId: string, userId: string): Promise<{ user: UserView; tenant: TenantSnapshot }> {
    const user = await this.em.findOne(User, { id: userId, tenantId });
    const tenant = await this.em.findOne(Tenant, { id: tenantId });
    if (!user || !tenant) throw new DomainError('user.not_found', 404, 'The user was not found.');
    return { user: toUserView(user), tenant: toTenantSnapshot(tenant) };
  }

  /**
   * Sign an access token of `session` (started at `startedAt`) for `user` of `tenant` with the
   * active signing key, issued after `after` (a revocation this request made), then read the user
   * again: a user disabled, removed or signed out everywhere meanwhile gets `refusal()`, a user
   * whose claims changed meanwhile (roles, temporary password) a token signed again. The user was
   * read before the change committed, so its revocation (written after the commit, at a later time)
   * refuses the token signed before this second read, and a change committed before that read is
   * seen by it: no token escapes a revocation by racing it.
   */
  private async issue(
    user: User,
    tenant: Tenant,
    session: IssuedRefreshToken,
    startedAt: Date,
    refusal: () => DomainError,
    after?: Date,
  ): Promise<AccessTokenResponse> {
    const ttl = this.config.ACCESS_TOKEN_TTL_SECONDS;
    // Issued after the revocation list's epoch (set now if Redis lost its data), never refused by it.
    const epoch = await this.revocation.listEpoch();
    let subject = user;
    for (let signing = 1; ; signing += 1) {
      const claims = accessTokenClaims({ user: subject, tenant }, session.familyId);
      const issuedAt = new Date(Math.max(Date.now(), epoch + 1, (after?.getTime() ?? 0) + 1));
      const accessToken = await signAccessToken(
        claims,
        await this.keys.signingKey(),
        ttl,
        issuedAt,
      );
      const current = await this.em
        .fork()
        .findOne(User, { id: subject.id, tenantId: subject.tenantId });
      if (!current || current.disabled || !sessionStillValid(startedAt, current)) throw refusal();
      const again = accessTokenClaims({ user: current, tenant }, session.familyId);
      if (JSON.stringify(again) === JSON.stringify(claims)) {
        return {
          accessToken,
          tokenType: 'Bearer',
          expiresIn: ttl,
          refreshToken: session.refreshToken,
          refreshExpiresIn: session.refreshExpiresIn,
          passwordChangeRequired: current.passwordTemporary,
        };
      }
      if (signing >= 3) throw refusal();
      subject = current;
    }
  }
}
