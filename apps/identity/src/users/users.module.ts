import { Module } from '@nestjs/common';
import { AuditEventsModule } from '../audit-events/audit-events.module';
import { SessionRevocationModule } from '../session-revocation/session-revocation.module';
import { VerificationLinksModule } from '../verification-links/verification-links.module';
import { PasswordHasher } from './password-hasher.service';
import { UsersController } from './users.controller';
import { UserLinksService } from './user-links.service';
import { UsersService } from './users.service';

/** Users of an organisation: management routes, password hashing. */
@Module({
  imports: [AuditEventsModule, SessionRevocationModule, VerificationLinksModule],
  controllers: [UsersController],
  providers: [UsersService, PasswordHasher, UserLinksService],
  exports: [UsersService, PasswordHasher, UserLinksService],
})
export class UsersModule {}
