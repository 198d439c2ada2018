import { Module } from '@nestjs/common';
import { AuditEventsModule } from '../audit-events/audit-events.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { RefreshTokensService } from './refresh-tokens.service';
import { SignInCandidates } from './sign-in-candidates.service';
import { SignInThrottlingModule } from './throttling/sign-in-throttling.module';
import { SessionRevocationModule } from '../session-revocation/session-revocation.module';

/**
 * Sign-in and its throttles, sessions (refresh tokens: refresh, sign-out), password change and
 * `GET /v1/me`; access tokens are signed with the active key of `SigningKeysModule`.
 */
@Module({
  imports: [
    AuditEventsModule,
    UsersModule,
    SigningKeysModule,
    SignInThrottlingModule,
    SessionRevocationModule,
  ],
  controllers: [AuthController],
  providers: [AuthService, RefreshTokensService, SignInCandidates],
  exports: [RefreshTokensService, AuthService],
})
export class SignInModule {}
