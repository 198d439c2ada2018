import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Audited, ZodPipe, ApiResponse } from '@app/platform';
import { Uuid } from '@app/contracts';
import {
  IndirectResellerRoleInput,
  IndirectResellerRoleSchema,
  PartnerProfilePatch,
  PartnerProfilePatchSchema,
  PartnerProfileViewSchema,
} from './dto/partner-profile.dto';
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
  @ApiResponse(200, PartnerProfileViewSchema, "The partner's legal business profile.")
  @RequirePermission(PERMISSIONS.channelRead)
  get(@CurrentUser() caller: Caller) {
    return this.profiles.get(caller.tenantId);
  }

  /**
   * `PATCH /v1/partner-profile` `{ address?, primaryContact? { name?, email?, phone? },
   * supportContact? { name?, email?, phone?, website? (https) }, locale? }` → the profile. A new primary contact email is verified first: the
   * answer keeps the current `primaryContact.email` and shows `pendingPrimaryContact { email,
   * verificationPending: true }` until the new address follows the link it receives (sending the
   * current address again withdraws the change). Legal name, MPN ID, country, cloud, partner
   * type, and an indirect provider's support contact: 400 `partner_profile.operator_reserved`;
   * a web mail address: 400 `enrollment.webmail_primary_contact`.
   */
  @Patch('partner-profile')
  @ApiResponse(200, PartnerProfileViewSchema, 'The updated profile.')
  @RequirePermission(PERMISSIONS.partnerProfileManage)
  @Audited('partner_profile.updated')
  update(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(PartnerProfilePatchSchema, 'body')) body: PartnerProfilePatch,
  ) {
    return this.profiles.update(caller.tenantId, body, false);
  }

  /**
   * `POST /v1/partner-profile/indirect-reseller` `{ supportContact: { email, phone, name?,
   * website? } }` (`partnerProgramsEnroll`: Global admin) → 200 the profile, now with
   * `partnerType: 'indirect_reseller'` and that support contact. Seed 004: a partner already in
   * CSP adds the indirect reseller role by giving only its customer support contact; a direct
   * partner becomes an indirect reseller and keeps its customers. An action of its own rather than
   * a `partnerType` in the PATCH: the type stays operator-reserved there, and this transition has
   * its own rules and permission. 400 `request.invalid`, 403 `partner.not_active`, 409
   * `partner_profile.already_indirect_reseller`, 409 `partner_profile.indirect_provider`.
   */
  @Post('partner-profile/indirect-reseller')
  @ApiResponse(200, PartnerProfileViewSchema, 'The profile with the indirect reseller role.')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.partnerProgramsEnroll)
  @Audited('partner.indirect_reseller_enrolled')
  addIndirectResellerRole(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(IndirectResellerRoleSchema, 'body')) body: IndirectResellerRoleInput,
  ) {
    return this.profiles.addIndirectResellerRole(caller.tenantId, body);
  }

  /**
   * Operator: `PATCH /v1/partners/{tenantId}/profile` (any field; a new primary contact email is
   * verified the same way) → the profile.
   * 404 `partner_profile.not_found`, 409 `enrollment.mpn_id_taken`.
   */
  @Patch('partners/:tenantId/profile')
  @ApiResponse(200, PartnerProfileViewSchema, 'The updated profile.')
  @RequirePermission(PERMISSIONS.platformOperate)
  @Audited('partner_profile.updated')
  updateByOperator(
    @Param('tenantId', new ZodPipe(Uuid, 'tenant id')) tenantId: string,
    @Body(new ZodPipe(PartnerProfilePatchSchema, 'body')) body: PartnerProfilePatch,
  ) {
    return this.profiles.update(tenantId, body, true);
  }
}
