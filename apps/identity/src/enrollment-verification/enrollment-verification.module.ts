import { Module } from '@nestjs/common';
import { AuditEventsModule } from '../audit-events/audit-events.module';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { VerificationLinksModule } from '../verification-links/verification-links.module';
import { EnrollmentVerificationController } from './enrollment-verification.controller';
import { EnrollmentVerificationService } from './enrollment-verification.service';

/** Following a primary contact's verification link, its page, and the public resends. */
@Module({
  imports: [AuditEventsModule, EnrollmentsModule, VerificationLinksModule],
  controllers: [EnrollmentVerificationController],
  providers: [EnrollmentVerificationService],
})
export class EnrollmentVerificationModule {}
