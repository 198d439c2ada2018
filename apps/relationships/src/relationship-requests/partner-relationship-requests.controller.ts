import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { ApiResponse, Audited, ZodPipe } from '@app/platform';
import {
  PartnerLinkQuery,
  PartnerLinkQuerySchema,
  PartnerRelationshipRequestSchema,
} from './dto/relationship-request.dto';
import {
  PartnerRelationshipLinks,
  RelationshipRequestUrl,
} from './partner-relationship-links.service';

/**
 * Partner Center's "Request a reseller relationship" (`/v1/customers/relationshiprequests`): the
 * partner's reusable link, beside the per-invitee requests of `/v1/customers/relationship-requests`.
 * A static path: it never reaches `/v1/customers/{id}`.
 */
@Controller('v1/customers/relationshiprequests')
export class PartnerRelationshipRequestsController {
  constructor(private readonly links: PartnerRelationshipLinks) {}

  /**
   * `GET /v1/customers/relationshiprequests?delegatedAdmin=true|false` (`relationshipsManage`) →
   * 200 `{ url, attributes: { objectType: 'RelationshipRequest' } }`: the same URL on every call
   * until rotated; any customer's Global admin accepts it on our page. `delegatedAdmin` (Partner
   * Center's `DAP`): default false (true in the us-gov and germany clouds). 403
   * `partner.not_active`; 422 `relationship_request.delegated_admin_required`.
   */
  @Get()
  @ApiResponse(200, PartnerRelationshipRequestSchema, "The partner's reusable relationship link.")
  @RequirePermission(PERMISSIONS.relationshipsManage)
  get(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(PartnerLinkQuerySchema, 'query')) query: PartnerLinkQuery,
  ): Promise<RelationshipRequestUrl> {
    return this.links.get(caller, query.delegatedAdmin);
  }

  /**
   * `POST /v1/customers/relationshiprequests/rotate?delegatedAdmin=` (`relationshipsManage`) → 200
   * the new link (both variants change; the old links are refused from now on: 404
   * `relationship_request.link_invalid` on the page). Relationships already established stay.
   */
  @Post('rotate')
  @Audited('relationship_request.link_rotated')
  @HttpCode(200)
  @ApiResponse(200, PartnerRelationshipRequestSchema, 'The new link; the old one is refused.')
  @RequirePermission(PERMISSIONS.relationshipsManage)
  rotate(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(PartnerLinkQuerySchema, 'query')) query: PartnerLinkQuery,
  ): Promise<RelationshipRequestUrl> {
    return this.links.rotate(caller, query.delegatedAdmin);
  }
}
