import { DeadlockException, EntityManager } from '@mikro-orm/postgresql';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { AuditActor } from '@app/contracts';
import { DomainError, hashToken } from '@app/platform';
import { randomBytes, randomUUID } from 'node:crypto';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { IdentityAudit, anonymousActor, userActor } from '../audit-events/identity-audit.service';
import { Tenant } from '../organizations/tenant.entity';
import { User } from '../users/user.entity';
import { SessionRevocationService } from '../session-revocation/session-revocation.service';
import { RefreshToken } from './refresh-token.entity';

/** How often expired refresh tokens are deleted (each instance; the delete is idempotent). */
const PURGE_INTERVAL_MS = 60 * 60_000;
/** Expired refresh tokens are kept this long (a late reuse still reads as reuse meanwhile). */
const PURGE_AFTER_EXPIRY_MS = 24 * 60 * 60_000;

/** 401 `auth.invalid_refresh_token`: unknown, expired or revoked, or its session no longer valid. */
export const invalidRefreshToken = () =>
  new DomainError(
    'auth.invalid_refresh_token',
    401,
    'The refresh token is invalid, expired or revoked: sign in again.',
  );

/** Attempts of one rotation that PostgreSQL aborts for a deadlock or a serialization failure. */
const ROTATION_ATTEMPTS = 3;

/**
 * `decide` again when PostgreSQL aborted it for a deadlock or a serialization failure (40P01,
 * 40001): nothing of the aborted attempt remains, and the next one decides from what the others
 * committed (concurrent uses of one token: one success, the others `auth.refresh_token_reused`).
 * A fresh-clone CI run once answered one of four concurrent uses 409 `request.conflict`.
 */
export async function againOnConflict<T>(decide: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await decide();
    } catch (error) {
      if (!(error instanceof DeadlockException) || attempt >= ROTATION_ATTEMPTS) throw error;
    }
  }
}

/** 401 `auth.refresh_token_reused`: the token was spent already; its session is now revoked. */
export const refreshTokenReused = () =>
  new DomainError(
    'auth.refresh_token_reused',
    401,
    'This refresh token was already used: the session is revoked for safety. Sign in again.',
  );

/** A refresh token as handed to the client, once. */
export interface IssuedRefreshToken {
  refreshToken: string;
  /** Seconds until it expires. */
  refreshExpiresIn: number;
  /** Its family: the session id (`sid`) of the access tokens issued with it. */
  familyId: string;
}

/** The outcome of `rotate`: the session's user and tenant, when it started, the successor token. */
export interface RotatedSession extends IssuedRefreshToken {
  user: User;
  tenant: Tenant;
  sessionStartedAt: Date;
}

type RotateOutcome =
  | { kind: 'rotated'; session: RotatedSession }
  | { kind: 'reused'; familyId: string }
  | { kind: 'invalid' };

interface SpentRow {
  id: string;
  family_id: string;
  user_id: string;
  tenant_id: string;
  session_started_at: Date;
}

/** True when a session started at `startedAt` survives the user's `sessionsRevokedAt`. */
export function sessionStillValid(startedAt: Date, user: Pick<User, 'sessionsRevokedAt'>): boolean {
  return user.sessionsRevokedAt === null || startedAt.getTime() >= user.sessionsRevokedAt.getTime();
}

/**
 * Refresh tokens: opaque (256 random bits, base64url), stored only as SHA-256, valid
 * `REFRESH_TOKEN_TTL_DAYS` from issue, rotated on every use. Spending is one conditional update
 * (`… where used_at is null … returning`), so two concurrent uses of one token give one success;
 * presenting a spent token revokes its whole family (OAuth 2.0 Security BCP, RFC 9700 4.14.2:
 * refresh token rotation with reuse detection).
 */
@Injectable()
export class RefreshTokensService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RefreshTokensService.name);
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly em: EntityManager,
    private readonly revocation: SessionRevocationService,
    private readonly audit: IdentityAudit,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.purgeTimer = setInterval(() => void this.purgeExpired(), PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.purgeTimer);
  }

  private get ttlSeconds(): number {
    return this.config.REFRESH_TOKEN_TTL_DAYS * 86_400;
  }

  /** Persist (in `tx`) a new token of `familyId`, started at `sessionStartedAt`. */
  private add(
    tx: EntityManager,
    owner: { userId: string; tenantId: string },
    familyId: string,
    sessionStartedAt: Date,
    now: Date,
  ): { row: RefreshToken; token: IssuedRefreshToken } {
    const refreshToken = randomBytes(32).toString('base64url');
    const row = tx.create(RefreshToken, {
      id: randomUUID(),
      familyId,
      userId: owner.userId,
      tenantId: owner.tenantId,
      tokenHash: hashToken(refreshToken),
      sessionStartedAt,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000),
      usedAt: null,
      revokedAt: null,
      replacedBy: null,
    });
    tx.persist(row);
    return { row, token: { refreshToken, refreshExpiresIn: this.ttlSeconds, familyId } };
  }

  /** Start a session (a new family) for `user` in `tx`; flushed with the caller's unit of work. */
  start(tx: EntityManager, user: User, now: Date = new Date()): IssuedRefreshToken {
    return this.add(tx, { userId: user.id, tenantId: user.tenantId }, randomUUID(), now, now).token;
  }

  /**
   * Spend `refreshToken` and issue its successor in the same family, for a user still enabled
   * whose sessions were not revoked since the family started.
   * @throws 401 `auth.refresh_token_reused` (the token was spent already: its family is now
   * revoked, its access tokens too on every service), 401 `auth.invalid_refresh_token` (unknown,
   * expired, revoked, or its user removed, disabled, unverified (issue 9 point 7) or signed out
   * everywhere since: the family is revoked). Each outcome that changes something is recorded
   * in its transaction: `session.refreshed` (the user as actor: the refresh token proves who it
   * is), or `session.revoked` with `reason` `refresh_token_reused` (actor anonymous: whoever
   * presented the spent token) or `user_cannot_sign_in`.
   */
  async rotate(refreshToken: string): Promise<RotatedSession> {
    const tokenHash = hashToken(refreshToken);
    const now = new Date();
    // Decide in the transaction, throw after it commits: a revocation must stick.
    const outcome = await againOnConflict(() =>
      this.em.fork().transactional(async (tx): Promise<RotateOutcome> => {
        const [spent] = await tx.execute<SpentRow[]>(
          `update "refresh_token" set "used_at" = ?
          where "token_hash" = ? and "used_at" is null and "revoked_at" is null and "expires_at" > ?
          returning "id", "family_id", "user_id", "tenant_id", "session_started_at"`,
          [now, tokenHash, now],
        );
        if (!spent) {
          const known = await tx.findOne(RefreshToken, { tokenHash });
          if (known?.usedAt) {
            if ((await this.revokeFamily(tx, known.familyId, now)) > 0) {
              await this.recordRevoked(
                tx,
                known,
                'refresh_token_reused',
                anonymousActor(known.userId, known.tenantId),
              );
            }
            this.logger.warn(`refresh token reuse: revoked session ${known.familyId}`);
            return { kind: 'reused', familyId: known.familyId };
          }
          return { kind: 'invalid' };
        }
        const user = await tx.findOne(User, { id: spent.user_id, tenantId: spent.tenant_id });
        const tenant = user ? await tx.findOne(Tenant, { id: user.tenantId }) : null;
        const startedAt = new Date(spent.session_started_at);
        if (
          !user ||
          !tenant ||
          user.disabled ||
          !user.emailVerifiedAt ||
          !sessionStillValid(startedAt, user)
        ) {
          await this.revokeFamily(tx, spent.family_id, now);
          await this.recordRevoked(
            tx,
            { familyId: spent.family_id, userId: spent.user_id, tenantId: spent.tenant_id },
            'user_cannot_sign_in',
            anonymousActor(spent.user_id, spent.tenant_id),
          );
          return { kind: 'invalid' };
        }
        const owner = { userId: user.id, tenantId: user.tenantId };
        const next = this.add(tx, owner, spent.family_id, startedAt, now);
        await tx.flush();
        await tx.nativeUpdate(RefreshToken, { id: spent.id }, { replacedBy: next.row.id });
        await this.audit.record(tx, {
          type: 'session.refreshed',
          actor: userActor(user.id, user.tenantId),
          tenantIds: [user.tenantId],
          resource: { type: 'session', id: spent.family_id },
          after: { userId: user.id, expiresAt: next.row.expiresAt },
        });
        return {
          kind: 'rotated',
          session: { ...next.token, user, tenant, sessionStartedAt: startedAt },
        };
      }),
    );
    switch (outcome.kind) {
      case 'rotated':
        return outcome.session;
      case 'reused':
        await this.revocation.revokeSession(outcome.familyId);
        throw refreshTokenReused();
      case 'invalid':
        throw invalidRefreshToken();
    }
  }

  /**
   * Revoke the family of `refreshToken` (sign-out) and answer its id (the session id), or null for
   * an unknown token. Idempotent (a revoked family answers its id again, so the caller can write
   * its revocation again). A family that still had live tokens is recorded as `session.revoked`
   * (`reason: 'signed_out'`, the session's user as actor: the refresh token proves who it is) in
   * the same transaction; a repeated sign-out changes and records nothing.
   */
  async revokeFamilyOf(refreshToken: string): Promise<string | null> {
    return this.em.fork().transactional(async (tx) => {
      const [row] = await tx.execute<{ family_id: string; user_id: string; tenant_id: string }[]>(
        `select "family_id", "user_id", "tenant_id" from "refresh_token" where "token_hash" = ?`,
        [hashToken(refreshToken)],
      );
      if (!row) return null;
      if ((await this.revokeFamily(tx, row.family_id, new Date())) > 0) {
        await this.recordRevoked(
          tx,
          { familyId: row.family_id, userId: row.user_id, tenantId: row.tenant_id },
          'signed_out',
          userActor(row.user_id, row.tenant_id),
        );
      }
      return row.family_id;
    });
  }

  /** Revoke every session of `userId` (in `tx`), e.g. on a password change. */
  async revokeAllOf(tx: EntityManager, userId: string, now: Date = new Date()): Promise<void> {
    await tx.nativeUpdate(RefreshToken, { userId, revokedAt: null }, { revokedAt: now });
  }

  /** Revoke the live tokens of a family in `tx`; answers how many were live. */
  private revokeFamily(tx: EntityManager, familyId: string, now: Date): Promise<number> {
    return tx.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: now });
  }

  /** Record in `tx` that the session `familyId` of a user was revoked, and why. */
  private async recordRevoked(
    tx: EntityManager,
    session: { familyId: string; userId: string; tenantId: string },
    reason: 'signed_out' | 'refresh_token_reused' | 'user_cannot_sign_in',
    actor: AuditActor,
  ): Promise<void> {
    await this.audit.record(tx, {
      type: 'session.revoked',
      actor,
      tenantIds: [session.tenantId],
      resource: { type: 'session', id: session.familyId },
      after: { userId: session.userId, reason },
    });
  }

  /** Delete refresh tokens expired for more than a day. */
  async purgeExpired(): Promise<void> {
    try {
      const cutoff = new Date(Date.now() - PURGE_AFTER_EXPIRY_MS);
      const deleted = await this.em
        .fork()
        .nativeDelete(RefreshToken, { expiresAt: { $lt: cutoff } });
      if (deleted > 0) this.logger.log(`deleted ${deleted} expired refresh tokens`);
    } catch (error) {
      this.logger.warn(`purging expired refresh tokens failed: ${(error as Error).message}`);
    }
  }
}
