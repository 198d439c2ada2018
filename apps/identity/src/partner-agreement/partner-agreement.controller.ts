import { Controller, Get, Query } from '@nestjs/common';
import { PERMISSIONS, RequirePermission } from '@app/auth';
import { ApiResponse, ZodPipe } from '@app/platform';
import {
  AgreementStatusQuery,
  AgreementStatusQuerySchema,
  AgreementStatusSchema,
} from './dto/agreement-status.dto';
import { PartnerAgreementService } from './partner-agreement.service';

/** Partner Center's compliance route for the Partner Agreement. */
@Controller('v1/compliance/csp/agreementstatus')
export class PartnerAgreementController {
  constructor(private readonly agreements: PartnerAgreementService) {}

  /**
   * `GET /v1/compliance/csp/agreementstatus?mpnId=|tenantId=` (`channelRead`) → 200
   * `{ isAgreementSigned }`: whether that partner accepted the Partner Agreement (at enrollment)
   * and is active. 400 with Partner Center's codes: 2001 neither given, 2000 both or malformed,
   * 2200 unknown Partner ID, 2205 no partner of that tenant id.
   */
  @Get()
  @ApiResponse(200, AgreementStatusSchema, "Whether the partner's agreement is signed.")
  @RequirePermission(PERMISSIONS.channelRead)
  status(
    @Query(new ZodPipe(AgreementStatusQuerySchema, 'query')) query: AgreementStatusQuery,
  ): Promise<{ isAgreementSigned: boolean }> {
    return this.agreements.status(query);
  }
}
