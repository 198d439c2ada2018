import { Module } from '@nestjs/common';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { PartnerProfileController } from './partner-profile.controller';
import { PartnerProfileService } from './partner-profile.service';

/** A partner's legal business profile. */
@Module({
  imports: [EnrollmentsModule],
  controllers: [PartnerProfileController],
  providers: [PartnerProfileService],
})
export class PartnerProfileModule {}
