import { Body, Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { ApiResponse, Audited, Collection, ZodPipe } from '@app/platform';
import {
  PartnerRelationshipCollectionSchema,
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
   * `GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf` (a provider's
   * indirect resellers) or `…=IsIndirectResellerOf` (a reseller's indirect providers), Partner
   * Center's meaning ("Get indirect resellers"), with optional `name` (substring), `size`, `seek`
   * → Collection of PartnerRelationship `{ id, name, relationshipType
   * ('is_indirect_cloud_solution_provider_of' | 'is_indirect_reseller_of': the caller's role),
   * state, mpnId, location, partnershipId, establishedAt }`. A type that is not the caller's side
   * answers an empty list. Errors: 400 `relationship.type_invalid` (missing or unknown).
   */
  @Get()
  @ApiResponse(
    200,
    PartnerRelationshipCollectionSchema,
    "The caller's active partnerships on the side the relationship type names.",
  )
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
  @ApiResponse(204, undefined, 'The partnership is removed.')
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
