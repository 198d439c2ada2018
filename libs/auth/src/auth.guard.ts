import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  Optional,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, IS_PUBLIC_KEY, TenantRateLimiter } from '@app/platform';
import { AccessTokenRevokedError, AccessTokenVerifier } from './access-token.verifier';
import { Caller, PERMISSION_KEY, callerFromClaims } from './decorators';
import { PERMISSIONS, Permission, hasPermission } from './permissions';
import { RevocationsUnavailableError } from './token-revocations';

/** 401 `auth.unauthenticated` for a token that was revoked (issue 9 point 11). */
export const revokedToken = () =>
  new DomainError(
    'auth.unauthenticated',
    401,
    'The access token was revoked (signed out, or the account was changed, disabled or removed): sign in again.',
  );

/**
 * 503 `dependency.unavailable` when the revocation list cannot be read: a token that may have been
 * revoked is not let through (fail closed), and the client can retry.
 */
export const revocationsUnavailable = () =>
  new DomainError(
    'dependency.unavailable',
    503,
    'Access tokens cannot be checked for revocation at the moment. Retry later.',
  );

/**
 * The refusal of a token that `AccessTokenVerifier.verify` rejected: 401 revoked, 503 when the
 * revocation list is unavailable, 401 invalid or expired otherwise.
 */
export function tokenRefusal(error: unknown): DomainError {
  if (error instanceof AccessTokenRevokedError) return revokedToken();
  if (error instanceof RevocationsUnavailableError) return revocationsUnavailable();
  return new DomainError('auth.unauthenticated', 401, 'The access token is invalid or expired.');
}

/**
 * Global guard: a route is either `@Public()` or declares `@RequirePermission(p)`. It then needs a
 * valid bearer token that is not revoked (401 `auth.unauthenticated` otherwise; 503
 * `dependency.unavailable` while the revocation list cannot be read), a caller not held to a password change
 * (403 `auth.password_change_required`, except for `session` routes), and a role holding `p`
 * (403 `auth.forbidden`). A route that declares nothing is refused (fail closed). Every request
 * with a valid token counts against its tenant's rate limit (`TenantRateLimiter`, when the service
 * has `RateLimitsModule`): over it, 429 `request.throttled` with `Retry-After`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    @Inject(AccessTokenVerifier) private readonly verifier: AccessTokenVerifier,
    @Optional() private readonly tenantLimits?: TenantRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(
      PERMISSION_KEY,
      targets,
    );
    if (!permission) {
      this.logger.error(`route without a declared permission: ${context.getHandler().name}`);
      throw new DomainError('auth.forbidden', 403, 'This route declares no permission.');
    }
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; caller?: Caller }>();
    const header = request.headers['authorization'];
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header ?? '');
    if (!match) {
      throw new DomainError('auth.unauthenticated', 401, 'A bearer access token is required.');
    }
    let caller: Caller;
    try {
      caller = callerFromClaims(await this.verifier.verify(match[1]));
    } catch (error) {
      const refusal = tokenRefusal(error);
      if (refusal.status === 503) this.logger.warn((error as Error).message);
      throw refusal;
    }
    request.caller = caller;
    await this.tenantLimits?.count(caller.tenantId);
    if (caller.passwordChangeRequired && permission !== PERMISSIONS.session) {
      throw new DomainError(
        'auth.password_change_required',
        403,
        'You are signed in with a temporary password: change it first (POST /v1/auth/password).',
      );
    }
    if (!hasPermission(caller.tenantKind, caller.roles, permission)) {
      throw new DomainError(
        'auth.forbidden',
        403,
        `Your roles do not include the permission "${permission}".`,
        { permission },
      );
    }
    return true;
  }
}
