import { Module } from '@nestjs/common';
import { AuditEventsModule } from '../audit-events/audit-events.module';
import { VerificationLinksModule } from '../verification-links/verification-links.module';
import { PartnerProfileController } from './partner-profile.controller';
import { PartnerProfileService } from './partner-profile.service';

/** A partner's legal business profile. */
@Module({
  imports: [AuditEventsModule, VerificationLinksModule],
  controllers: [PartnerProfileController],
  providers: [PartnerProfileService],
})
export class PartnerProfileModule {}
