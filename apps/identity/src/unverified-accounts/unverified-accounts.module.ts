import { Module } from '@nestjs/common';
import { AuditEventsModule } from '../audit-events/audit-events.module';
import { UnverifiedAccountsSweeper } from './unverified-accounts.sweeper';

/** The expiry of unverified enrollments and customer sign-ups (issue 9 point 7). */
@Module({ imports: [AuditEventsModule], providers: [UnverifiedAccountsSweeper] })
export class UnverifiedAccountsModule {}
