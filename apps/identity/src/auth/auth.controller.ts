import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
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

/** Sign-in, password change and the caller's own account. */
@Controller('v1')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /**
   * `POST /v1/auth/token` `{ email, password }` → 200 `{ accessToken, tokenType: 'Bearer',
   * expiresIn (seconds), passwordChangeRequired }`. While the password is temporary the token only
   * opens `session` routes (403 `auth.password_change_required` elsewhere). 401
   * `auth.invalid_credentials` for any wrong email or password.
   */
  @Post('auth/token')
  @HttpCode(200)
  @Public()
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
