import { Module } from '@nestjs/common';
import { AuditEventsModule } from '../audit-events/audit-events.module';
import { UsersModule } from '../users/users.module';
import { VerificationLinksModule } from '../verification-links/verification-links.module';
import { EnrollmentStatusService } from './enrollment-status.service';
import { EnrollmentsController } from './enrollments.controller';
import { EnrollmentsService } from './enrollments.service';

/** Partner enrollment, its status and the operator's review. */
@Module({
  imports: [AuditEventsModule, UsersModule, VerificationLinksModule],
  controllers: [EnrollmentsController],
  providers: [EnrollmentsService, EnrollmentStatusService],
  exports: [EnrollmentStatusService],
})
export class EnrollmentsModule {}
