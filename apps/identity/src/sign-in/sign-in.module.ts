import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { RefreshTokensService } from './refresh-tokens.service';
import { SignInThrottlingModule } from './throttling/sign-in-throttling.module';

/**
 * Sign-in and its throttles, sessions (refresh tokens: refresh, sign-out), password change and
 * `GET /v1/me`; access tokens are signed with the active key of `SigningKeysModule`.
 */
@Module({
  imports: [UsersModule, SigningKeysModule, SignInThrottlingModule],
  controllers: [AuthController],
  providers: [AuthService, RefreshTokensService],
  exports: [RefreshTokensService],
})
export class SignInModule {}
