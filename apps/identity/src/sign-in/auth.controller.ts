import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, Public, RequirePermission } from '@app/auth';
import { Audited, RateLimited, ZodPipe, ApiResponse } from '@app/platform';
import { AuthService } from './auth.service';
import {
  AccessTokenResponse,
  ChangePasswordInput,
  ChangePasswordSchema,
  RefreshTokenInput,
  RefreshTokenSchema,
  SignInInput,
  SignInSchema,
  AccessTokenResponseSchema,
  MeResponseSchema,
} from './dto/auth.dto';

/**
 * Sign-in, refresh, sign-out, password change and the caller's own account. The public routes
 * are limited per client address and route (`@RateLimited('session')`: `AUTH_ADDRESS_LIMIT` per
 * `AUTH_ADDRESS_WINDOW_SECONDS`; 429 `request.throttled` with `Retry-After`).
 */
@Controller('v1')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /**
   * `POST /v1/auth/token` `{ email, password, organization? }` → 200 `{ accessToken, tokenType:
   * 'Bearer', expiresIn (seconds), refreshToken, refreshExpiresIn (seconds),
   * passwordChangeRequired }`. Sign-in names are per organisation: `organization` (tenant id,
   * Partner ID or customer default domain) picks the account; without it the password picks it
   * among the address's accounts. While the password is temporary the token only opens `session`
   * routes (403 `auth.password_change_required` elsewhere). 401 `auth.invalid_credentials` for any
   * wrong email, organisation or password; 403 `auth.email_unverified` for the right password of a
   * user who has not yet followed its verification link (issue 9 point 7); 409 `auth.organization_required` (`data.organizations`
   * `[{ id, name }]`) when the password is right in several organisations and none was named; 429
   * `auth.locked` (with `Retry-After` and `data.retryAfterSeconds`) once `SIGN_IN_MAX_FAILURES`
   * sign-ins of the email failed, until the lock expires, and at once for an attempt beyond
   * `SIGN_IN_MAX_FAILURES` in the window (counted before verifying: a parallel burst gets no more
   * guesses, issue 9 point 10).
   */
  @Post('auth/token')
  @ApiResponse(200, AccessTokenResponseSchema, 'An access token and a refresh token.')
  @HttpCode(200)
  @Public()
  @Audited('user.signed_in', 'user.locked_out')
  @RateLimited('session')
  signIn(@Body(new ZodPipe(SignInSchema, 'body')) body: SignInInput): Promise<AccessTokenResponse> {
    return this.auth.signIn(body);
  }

  /**
   * `POST /v1/auth/refresh` `{ refreshToken }` → 200 a new pair (same shape as sign-in); the
   * presented refresh token is spent. 401 `auth.refresh_token_reused` when it was spent already
   * (the whole session is revoked), 401 `auth.invalid_refresh_token` when unknown, expired,
   * revoked, or its user was disabled, removed or had their sessions revoked.
   */
  @Post('auth/refresh')
  @ApiResponse(200, AccessTokenResponseSchema, 'A new access token and the next refresh token.')
  @HttpCode(200)
  @Public()
  @Audited('session.refreshed', 'session.revoked')
  @RateLimited('session')
  refresh(
    @Body(new ZodPipe(RefreshTokenSchema, 'body')) body: RefreshTokenInput,
  ): Promise<AccessTokenResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  /**
   * `POST /v1/auth/sign-out` `{ refreshToken }` → 204: the session of the refresh token is revoked,
   * its access tokens too, on every service at once (401 `auth.unauthenticated`, issue 9 point 11).
   * Idempotent; an unknown token is 204 as well.
   */
  @Post('auth/sign-out')
  @ApiResponse(204, undefined, 'The refresh token is revoked.')
  @HttpCode(204)
  @Public()
  @Audited('session.revoked')
  @RateLimited('session')
  async signOut(
    @Body(new ZodPipe(RefreshTokenSchema, 'body')) body: RefreshTokenInput,
  ): Promise<void> {
    await this.auth.signOut(body.refreshToken);
  }

  /**
   * `POST /v1/auth/password` `{ currentPassword, newPassword }` → 200 a new session (same shape
   * as sign-in, `passwordChangeRequired: false`); every other session of the user is revoked, and
   * every earlier access token on every service. The current password counts as a sign-in attempt
   * (`SignInLockout`). 401
   * `auth.invalid_credentials`, 400 `user.weak_password` (`data.failedRules`), 400
   * `user.password_unchanged`, 429 `auth.locked`.
   */
  @Post('auth/password')
  @ApiResponse(200, AccessTokenResponseSchema, 'New tokens (the other sessions are revoked).')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.session)
  @Audited('user.password_changed', 'user.locked_out')
  changePassword(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(ChangePasswordSchema, 'body')) body: ChangePasswordInput,
  ): Promise<AccessTokenResponse> {
    return this.auth.changePassword(caller.tenantId, caller.userId, body);
  }

  /** `GET /v1/me` → `{ user, tenant }` (tenant as a `TenantSnapshot`). */
  @Get('me')
  @ApiResponse(200, MeResponseSchema, 'The caller and its organisation.')
  @RequirePermission(PERMISSIONS.session)
  me(@CurrentUser() caller: Caller) {
    return this.auth.me(caller.tenantId, caller.userId);
  }
}
