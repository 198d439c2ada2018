import { Module } from '@nestjs/common';
import { PartnerProfileController } from './partner-profile.controller';
import { PartnerProfileService } from './partner-profile.service';

/** A partner's legal business profile. */
@Module({ controllers: [PartnerProfileController], providers: [PartnerProfileService] })
export class PartnerProfileModule {}
