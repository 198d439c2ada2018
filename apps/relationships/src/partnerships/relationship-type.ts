import { DomainError } from '@app/platform';

/**
 * Partner Center's `relationship_type` of `GET /v1/relationships` (PartnerRelationshipType, "Get
 * indirect resellers" / "Retrieve a list of indirect providers"); it names the caller's own role:
 * - `IsIndirectCloudSolutionProviderOf`: the caller is an indirect provider listing its indirect
 *   resellers;
 * - `IsIndirectResellerOf`: the caller is an indirect reseller listing its indirect providers.
 */
export const RELATIONSHIP_TYPES = [
  'IsIndirectCloudSolutionProviderOf',
  'IsIndirectResellerOf',
] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

/** The enum as Partner Center writes it in answers (`relationshipType`, lower snake_case). */
export const RELATIONSHIP_TYPE_WIRE = {
  IsIndirectCloudSolutionProviderOf: 'is_indirect_cloud_solution_provider_of',
  IsIndirectResellerOf: 'is_indirect_reseller_of',
} as const satisfies Record<RelationshipType, string>;
export type RelationshipTypeWire = (typeof RELATIONSHIP_TYPE_WIRE)[RelationshipType];

/** The member name with underscores removed and lower-cased, the way the SDK's enum reader matches. */
const normalized = (value: string) => value.replace(/_/g, '').toLowerCase();

/**
 * Parse the `relationship_type` query value. As Partner Center's enum reader does, PascalCase,
 * camelCase and snake_case spellings are accepted (`IsIndirectResellerOf`,
 * `is_indirect_reseller_of`); but where Partner Center turns an unknown value into member 0, we
 * refuse it.
 * @throws 400 `relationship.type_invalid` when missing or not one of `RELATIONSHIP_TYPES`.
 */
export function parseRelationshipType(value: unknown): RelationshipType {
  const found =
    typeof value === 'string' && value.length <= 100
      ? RELATIONSHIP_TYPES.find((type) => normalized(type) === normalized(value))
      : undefined;
  if (!found) {
    throw new DomainError(
      'relationship.type_invalid',
      400,
      `relationship_type must be one of ${RELATIONSHIP_TYPES.join(', ')}.`,
      { allowed: RELATIONSHIP_TYPES },
    );
  }
  return found;
}

/** Which side of the partnership the caller is on when listing with `type`. */
export function callerSide(type: RelationshipType): 'provider' | 'reseller' {
  switch (type) {
    case 'IsIndirectCloudSolutionProviderOf':
      return 'provider';
    case 'IsIndirectResellerOf':
      return 'reseller';
  }
}

/** The relationship type of a partnership seen from `side`: the caller's own role in it. */
export function relationshipTypeOf(side: 'provider' | 'reseller'): RelationshipTypeWire {
  return side === 'provider'
    ? RELATIONSHIP_TYPE_WIRE.IsIndirectCloudSolutionProviderOf
    : RELATIONSHIP_TYPE_WIRE.IsIndirectResellerOf;
}
