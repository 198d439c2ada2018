import { Module } from '@nestjs/common';
import { AuditEventsModule } from '../audit-events/audit-events.module';
import { UsersModule } from '../users/users.module';
import { OperatorBootstrap } from './operator-bootstrap.service';

/** The platform operator's tenant and account, upserted at start-up. */
@Module({ imports: [AuditEventsModule, UsersModule], providers: [OperatorBootstrap] })
export class PlatformOperatorModule {}
