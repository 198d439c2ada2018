import { Module } from '@nestjs/common';
import { PartnerAgreementController } from './partner-agreement.controller';
import { PartnerAgreementService } from './partner-agreement.service';

/**
 * The Partner Agreement a partner accepts at enrollment, as Partner Center's compliance route
 * answers it (issue 11).
 */
@Module({
  controllers: [PartnerAgreementController],
  providers: [PartnerAgreementService],
})
export class PartnerAgreementModule {}
