import { Module } from '@nestjs/common';
import { AuditEventsModule } from '../audit-events/audit-events.module';
import { SessionRevocationModule } from '../session-revocation/session-revocation.module';
import { SignInModule } from '../sign-in/sign-in.module';
import { UsersModule } from '../users/users.module';
import { VerificationLinksModule } from '../verification-links/verification-links.module';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetService } from './password-reset.service';

/** Forgotten password: the public request, the link's page and its form (issue 9 point 8). */
@Module({
  imports: [
    AuditEventsModule,
    SignInModule,
    UsersModule,
    VerificationLinksModule,
    SessionRevocationModule,
  ],
  controllers: [PasswordResetController],
  providers: [PasswordResetService],
})
export class PasswordResetModule {}
