import { Module } from '@nestjs/common';
import { AuditEventsModule } from '../audit-events/audit-events.module';
import { SessionRevocationModule } from '../session-revocation/session-revocation.module';
import { SignInModule } from '../sign-in/sign-in.module';
import { DelegatedUsersService } from './delegated-users.service';

/**
 * The users partners create through delegations, disabled when the grant behind them ends (issue
 * 9 point 3), with their sessions.
 */
@Module({
  imports: [AuditEventsModule, SignInModule, SessionRevocationModule],
  providers: [DelegatedUsersService],
  exports: [DelegatedUsersService],
})
export class DelegatedUsersModule {}
