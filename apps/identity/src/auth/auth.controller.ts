import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, Public, RequirePermission } from '@app/auth';
import { ZodPipe } from '@app/common';
import { AuthService } from './auth.service';
import {
  AccessTokenResponse,
  ChangePasswordInput,
  ChangePasswordSchema,
  SignInInput,
  SignInSchema,
} from './dto/auth.dto';
import { AddressThrottlerGuard } from './throttling/address-throttler.guard';

/** Sign-in, password change and the caller's own account. */
@Controller('v1')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /**
   * `POST /v1/auth/token` `{ email, password }` → 200 `{ accessToken, tokenType: 'Bearer',
   * expiresIn (seconds), passwordChangeRequired }`. While the password is temporary the token only
   * opens `session` routes (403 `auth.password_change_required` elsewhere). 401
   * `auth.invalid_credentials` for any wrong email or password; 429 `auth.locked` (with
   * `Retry-After` and `data.retryAfterSeconds`) once `SIGN_IN_MAX_FAILURES` sign-ins of the email
   * failed, until the lock expires; 429 `request.throttled` when the client address made too many
   * requests to this route.
   */
  @Post('auth/token')
  @HttpCode(200)
  @Public()
  @UseGuards(AddressThrottlerGuard)
  signIn(@Body(new ZodPipe(SignInSchema, 'body')) body: SignInInput): Promise<AccessTokenResponse> {
    return this.auth.signIn(body);
  }

  /**
   * `POST /v1/auth/password` `{ currentPassword, newPassword }` → 200 a fresh token (same shape,
   * `passwordChangeRequired: false`). 401 `auth.invalid_credentials`, 400 `user.weak_password`,
   * 400 `user.password_unchanged`.
   */
  @Post('auth/password')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.session)
  changePassword(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(ChangePasswordSchema, 'body')) body: ChangePasswordInput,
  ): Promise<AccessTokenResponse> {
    return this.auth.changePassword(caller.tenantId, caller.userId, body);
  }

  /** `GET /v1/me` → `{ user, tenant }` (tenant as a `TenantSnapshot`). */
  @Get('me')
  @RequirePermission(PERMISSIONS.session)
  me(@CurrentUser() caller: Caller) {
    return this.auth.me(caller.tenantId, caller.userId);
  }
}
