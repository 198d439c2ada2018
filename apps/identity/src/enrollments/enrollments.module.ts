import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { VerificationLinksModule } from '../verification-links/verification-links.module';
import { EnrollmentStatusService } from './enrollment-status.service';
import { EnrollmentsController } from './enrollments.controller';
import { EnrollmentsService } from './enrollments.service';

/** Partner enrollment, its status and the operator's review. */
@Module({
  imports: [UsersModule, VerificationLinksModule],
  controllers: [EnrollmentsController],
  providers: [EnrollmentsService, EnrollmentStatusService],
  exports: [EnrollmentStatusService],
})
export class EnrollmentsModule {}
