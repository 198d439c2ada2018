import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { EnrollmentsController } from './enrollments.controller';
import { EnrollmentsService } from './enrollments.service';
import { VerificationLinksService } from './verification-links.service';

/** Partner enrollment, verification links and operator review. */
@Module({
  imports: [UsersModule],
  controllers: [EnrollmentsController],
  providers: [EnrollmentsService, VerificationLinksService],
  exports: [VerificationLinksService],
})
export class EnrollmentsModule {}
