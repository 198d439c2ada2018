import { PageQuerySchema, Timestamp, collectionSchema, objectAttributes } from '@app/platform';
import { z } from 'zod';
import { Partnership } from '../partnership.entity';
import { RELATIONSHIP_TYPE_WIRE, relationshipTypeOf } from '../relationship-type';

/** `GET /v1/relationships?relationship_type=&name=&size=&seek=`. */
export const RelationshipListQuerySchema = PageQuerySchema.extend({
  relationship_type: z.unknown().optional(),
  name: z.string().trim().min(1).max(200).optional(),
});
export type RelationshipListQuery = z.infer<typeof RelationshipListQuerySchema>;

/** `DELETE /v1/relationships/{partnerTenantId}` path. */
export const PartnerTenantParamSchema = z.object({ partnerTenantId: z.uuid() });

/**
 * `DELETE /v1/relationships/{partnerTenantId}` body: `{ confirm: true }` (seed 002 "A message will
 * appear that asks for confirmation"); anything else answers 400
 * `partnership.confirmation_required`, checked by the service.
 */
export const RemovePartnershipSchema = z
  .strictObject({ confirm: z.unknown().optional() })
  .optional()
  .transform((body) => ({ confirm: body?.confirm }));

/**
 * Partner Center's PartnerRelationship, seen from the caller: the other party of a partnership.
 * `relationshipType` names the caller's own role (`is_indirect_cloud_solution_provider_of` for a
 * provider's indirect reseller, `is_indirect_reseller_of` for a reseller's indirect provider).
 */
export const PartnerRelationshipSchema = z.object({
  /** The other party's tenant id. */
  id: z.uuid(),
  name: z.string(),
  relationshipType: z.enum([
    RELATIONSHIP_TYPE_WIRE.IsIndirectCloudSolutionProviderOf,
    RELATIONSHIP_TYPE_WIRE.IsIndirectResellerOf,
  ]),
  state: z.literal('Active'),
  /** The other party's Partner ID (MPN ID). */
  mpnId: z.string(),
  /** The other party's country (ISO 3166-1 alpha-2). */
  location: z.string(),
  partnershipId: z.uuid(),
  establishedAt: Timestamp,
  attributes: objectAttributes('PartnerRelationship'),
});
export type PartnerRelationshipResponse = z.infer<typeof PartnerRelationshipSchema>;

/** A page of partner relationships. */
export const PartnerRelationshipCollectionSchema = collectionSchema(PartnerRelationshipSchema);

/** Map a partnership to the PartnerRelationship the caller on `side` sees. */
export function toPartnerRelationship(
  partnership: Partnership,
  side: 'provider' | 'reseller',
): PartnerRelationshipResponse {
  const other =
    side === 'provider'
      ? {
          id: partnership.resellerTenantId,
          name: partnership.resellerName,
          mpnId: partnership.resellerMpnId,
          location: partnership.resellerCountry,
        }
      : {
          id: partnership.providerTenantId,
          name: partnership.providerName,
          mpnId: partnership.providerMpnId,
          location: partnership.providerCountry,
        };
  return {
    ...other,
    relationshipType: relationshipTypeOf(side),
    state: 'Active',
    partnershipId: partnership.id,
    establishedAt: partnership.establishedAt.toISOString(),
    attributes: { objectType: 'PartnerRelationship' },
  };
}
