import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwksController } from './jwks.controller';
import { RefreshTokensService } from './refresh-tokens.service';
import { SigningKeysController } from './signing-keys.controller';
import { SigningKeysModule } from './signing-keys.module';
import { SignInThrottlingModule } from './throttling/sign-in-throttling.module';

/**
 * Sign-in and its throttles, refresh, sign-out, password change, `GET /v1/me`, the JWKS and the
 * operator's signing-key rotation.
 */
@Module({
  imports: [UsersModule, SigningKeysModule, SignInThrottlingModule],
  controllers: [AuthController, JwksController, SigningKeysController],
  providers: [AuthService, RefreshTokensService],
  exports: [AuthService],
})
export class SignInModule {}
