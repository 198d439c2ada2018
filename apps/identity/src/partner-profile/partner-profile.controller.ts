import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { ZodPipe } from '@app/platform';
import { Uuid } from '@app/contracts';
import { PartnerProfilePatch, PartnerProfilePatchSchema } from './dto/partner-profile.dto';
import { PartnerProfileService } from './partner-profile.service';

/** A partner's legal business profile and the operator's edit of it. */
@Controller('v1')
export class PartnerProfileController {
  constructor(private readonly profiles: PartnerProfileService) {}

  /**
   * `GET /v1/partner-profile` → `{ tenantId, legalBusinessName, partnerType, mpnId, status,
   * country, cloud, locale, address, primaryContact, supportContact, version }`.
   */
  @Get('partner-profile')
  @RequirePermission(PERMISSIONS.channelRead)
  get(@CurrentUser() caller: Caller) {
    return this.profiles.get(caller.tenantId);
  }

  /**
   * `PATCH /v1/partner-profile` `{ address?, primaryContact? { name?, email?, phone? },
   * supportContact?, locale? }` → the profile. A new primary contact email is verified first: the
   * answer keeps the current `primaryContact.email` and shows `pendingPrimaryContact { email,
   * verificationPending: true }` until the new address follows the link it receives (sending the
   * current address again withdraws the change). Legal name, MPN ID, country, cloud, partner
   * type, and an indirect provider's support contact: 400 `partner_profile.operator_reserved`;
   * a web mail address: 400 `enrollment.webmail_primary_contact`.
   */
  @Patch('partner-profile')
  @RequirePermission(PERMISSIONS.partnerProfileManage)
  update(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(PartnerProfilePatchSchema, 'body')) body: PartnerProfilePatch,
  ) {
    return this.profiles.update(caller.tenantId, body, false);
  }

  /**
   * Operator: `PATCH /v1/partners/{tenantId}/profile` (any field; a new primary contact email is
   * verified the same way) → the profile.
   * 404 `partner_profile.not_found`, 409 `enrollment.mpn_id_taken`.
   */
  @Patch('partners/:tenantId/profile')
  @RequirePermission(PERMISSIONS.platformOperate)
  updateByOperator(
    @Param('tenantId', new ZodPipe(Uuid, 'tenant id')) tenantId: string,
    @Body(new ZodPipe(PartnerProfilePatchSchema, 'body')) body: PartnerProfilePatch,
  ) {
    return this.profiles.update(tenantId, body, true);
  }
}
