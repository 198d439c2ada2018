import { Body, Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Audited, Collection, ZodPipe } from '@app/platform';
import {
  PartnerRelationshipResponse,
  PartnerTenantParamSchema,
  RelationshipListQuery,
  RelationshipListQuerySchema,
  RemovePartnershipSchema,
} from './dto/relationship.dto';
import { PartnershipsService } from './partnerships.service';
import { parseRelationshipType } from './relationship-type';

/** The caller's partnerships as Partner Center partner relationships (seeds 002 and 004). */
@Controller('v1/relationships')
export class RelationshipsController {
  constructor(private readonly partnerships: PartnershipsService) {}

  /**
   * `GET /v1/relationships?relationship_type=IsIndirectResellerOf` (the provider's indirect
   * resellers) or `…=IsIndirectCloudSolutionProviderOf` (the reseller's indirect providers), with
   * optional `name` (substring), `size`, `seek` → Collection of PartnerRelationship
   * `{ id, name, relationshipType, state, mpnId, location, partnershipId, establishedAt }`.
   * Errors: 400 `relationship.type_invalid`.
   */
  @Get()
  @RequirePermission(PERMISSIONS.channelRead)
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(RelationshipListQuerySchema, 'query')) query: RelationshipListQuery,
  ): Promise<Collection<PartnerRelationshipResponse>> {
    const type = parseRelationshipType(query.relationship_type);
    return this.partnerships.list(caller, type, query);
  }

  /**
   * `DELETE /v1/relationships/{partnerTenantId}` `{ confirm: true }` → 204: removes the
   * partnership (either side). Customers and delegated admin privileges stay; the provider's
   * administrator access to the reseller ends, with the users it created there (issue 9 point 3);
   * no notice is sent. Errors: 400 `partnership.confirmation_required`, 404 `partnership.not_found`.
   */
  @Delete(':partnerTenantId')
  @Audited('partnership.removed')
  @HttpCode(204)
  @RequirePermission(PERMISSIONS.relationshipsManage)
  async remove(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(PartnerTenantParamSchema, 'path')) params: { partnerTenantId: string },
    @Body(new ZodPipe(RemovePartnershipSchema)) body: { confirm: unknown },
  ): Promise<void> {
    await this.partnerships.remove(caller, params.partnerTenantId, body.confirm);
  }
}
