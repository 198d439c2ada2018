import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, Public, RequirePermission } from '@app/auth';
import { ApiResponse, Audited, DomainError, RateLimited, ZodPipe } from '@app/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { AuthService } from '../sign-in/auth.service';
import {
  ChangePasswordSchema,
  RefreshTokenSchema,
  SignInSchema,
  type AccessTokenResponse,
  type ChangePasswordInput,
  type SignInInput,
} from '../sign-in/dto/auth.dto';
import { CsrfGuard } from './csrf.guard';
import {
  CsrfTokenResponseSchema,
  PortalTokenResponseSchema,
  type PortalTokenResponse,
} from './dto/portal-session.dto';
import { REFRESH_COOKIE, REFRESH_COOKIE_OPTIONS } from './portal-session.cookies';

const invalidRefreshCookie = () =>
  new DomainError(
    'auth.invalid_refresh_token',
    401,
    'The session cookie is missing, expired or revoked: sign in again.',
  );

/**
 * The portal's cookie session (issue 12), beside the bearer API (`/v1/auth/token`, unchanged):
 * the refresh token lives only in the `pcp_refresh` cookie (HttpOnly, Secure, SameSite=Strict,
 * Path `/v1/auth/portal/session`), the page holds the access token in memory. Every write needs
 * the `X-CSRF-Token` header from `GET /v1/auth/portal/csrf` (403 `auth.csrf_invalid` without it).
 * Answers are `Cache-Control: no-store`. Rate limits: the `session` tier, as the bearer routes.
 */
@Controller('v1/auth/portal')
export class PortalSessionController {
  constructor(private readonly auth: AuthService) {}

  /**
   * `GET /v1/auth/portal/csrf` → 200 `{ csrfToken }`, setting the CSRF secret cookie (`pcp_csrf`,
   * HttpOnly, Secure, SameSite=Strict, Path `/v1/auth/portal`) when the browser has none.
   */
  @Get('csrf')
  @ApiResponse(200, CsrfTokenResponseSchema, 'The CSRF token (and its secret cookie).', [
    'Set-Cookie',
  ])
  @Public()
  @RateLimited('session')
  csrf(@Res({ passthrough: true }) reply: FastifyReply): { csrfToken: string } {
    void reply.header('cache-control', 'no-store');
    return { csrfToken: reply.generateCsrf() };
  }

  /**
   * `POST /v1/auth/portal/sign-in` `{ email, password, organization? }` (+ `X-CSRF-Token`) → 200
   * `{ accessToken, tokenType, expiresIn, passwordChangeRequired }` and the refresh cookie
   * (`Max-Age` the refresh token's lifetime). The errors of `POST /v1/auth/token`: 401
   * `auth.invalid_credentials`, 403 `auth.email_unverified`, 409 `auth.organization_required`
   * (`data` `[{ id, name }]`: sign in again naming one), 429 `auth.locked`; 403 `auth.csrf_invalid`.
   */
  @Post('sign-in')
  @ApiResponse(
    200,
    PortalTokenResponseSchema,
    'An access token; the refresh token in its cookie.',
    ['Set-Cookie'],
  )
  @HttpCode(200)
  @Public()
  @UseGuards(CsrfGuard)
  @Audited('user.signed_in', 'user.locked_out')
  @RateLimited('session')
  async signIn(
    @Body(new ZodPipe(SignInSchema, 'body')) body: SignInInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PortalTokenResponse> {
    return answer(reply, await this.auth.signIn(body));
  }

  /**
   * `POST /v1/auth/portal/session` (the refresh cookie + `X-CSRF-Token`, no body) → 200 a new
   * access token and the next refresh cookie; the presented refresh token is spent. 401
   * `auth.invalid_refresh_token` (no cookie, unknown, expired, revoked) or
   * `auth.refresh_token_reused` (spent already: the whole session is revoked), both clearing the
   * cookie; 403 `auth.csrf_invalid`.
   */
  @Post('session')
  @ApiResponse(200, PortalTokenResponseSchema, 'A new access token; the next refresh cookie.', [
    'Set-Cookie',
  ])
  @HttpCode(200)
  @Public()
  @UseGuards(CsrfGuard)
  @Audited('session.refreshed', 'session.revoked')
  @RateLimited('session')
  async refresh(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PortalTokenResponse> {
    const token = refreshCookieOf(req);
    try {
      if (!token) throw invalidRefreshCookie();
      return answer(reply, await this.auth.refresh(token));
    } catch (error) {
      void reply.header('cache-control', 'no-store').clearCookie(REFRESH_COOKIE, {
        ...REFRESH_COOKIE_OPTIONS,
      });
      throw error;
    }
  }

  /**
   * `DELETE /v1/auth/portal/session` (the refresh cookie + `X-CSRF-Token`) → 204: the session is
   * revoked (its access tokens too, on every service) and the cookie cleared. Idempotent: no
   * cookie, or an unknown one, is 204 as well. 403 `auth.csrf_invalid`.
   */
  @Delete('session')
  @ApiResponse(204, undefined, 'The session is revoked and its cookie cleared.', ['Set-Cookie'])
  @HttpCode(204)
  @Public()
  @UseGuards(CsrfGuard)
  @Audited('session.revoked')
  @RateLimited('session')
  async signOut(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const token = refreshCookieOf(req);
    if (token) await this.auth.signOut(token);
    void reply
      .header('cache-control', 'no-store')
      .clearCookie(REFRESH_COOKIE, { ...REFRESH_COOKIE_OPTIONS });
  }

  /**
   * `POST /v1/auth/portal/password` `{ currentPassword, newPassword }` (bearer + `X-CSRF-Token`)
   * → 200 a new access token (`passwordChangeRequired: false`) and a new refresh cookie; every
   * other session of the user is revoked. The errors of `POST /v1/auth/password` (401
   * `auth.invalid_credentials`, 400 `user.weak_password`, 400 `user.password_unchanged`, 429
   * `auth.locked`); 403 `auth.csrf_invalid`.
   */
  @Post('password')
  @ApiResponse(200, PortalTokenResponseSchema, 'A new access token; the new refresh cookie.', [
    'Set-Cookie',
  ])
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.session)
  @UseGuards(CsrfGuard)
  @Audited('user.password_changed', 'user.locked_out')
  async changePassword(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(ChangePasswordSchema, 'body')) body: ChangePasswordInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PortalTokenResponse> {
    return answer(reply, await this.auth.changePassword(caller.tenantId, caller.userId, body));
  }
}

/** The refresh token of the request's cookie, when it has the shape of one. */
function refreshCookieOf(req: FastifyRequest): string | undefined {
  const value = req.cookies[REFRESH_COOKIE];
  if (value === undefined) return undefined;
  const parsed = RefreshTokenSchema.safeParse({ refreshToken: value });
  return parsed.success ? parsed.data.refreshToken : undefined;
}

/** Puts the refresh token in its cookie and answers the rest (never the refresh token). */
function answer(reply: FastifyReply, tokens: AccessTokenResponse): PortalTokenResponse {
  void reply.header('cache-control', 'no-store').setCookie(REFRESH_COOKIE, tokens.refreshToken, {
    ...REFRESH_COOKIE_OPTIONS,
    maxAge: tokens.refreshExpiresIn,
  });
  return {
    accessToken: tokens.accessToken,
    tokenType: tokens.tokenType,
    expiresIn: tokens.expiresIn,
    passwordChangeRequired: tokens.passwordChangeRequired,
  };
}
