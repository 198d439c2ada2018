import { DomainError } from '@app/platform';

/**
 * Partner Center's `relationship_type` of `GET /v1/relationships`:
 * - `IsIndirectResellerOf`: the caller is an indirect provider listing its indirect resellers;
 * - `IsIndirectCloudSolutionProviderOf`: the caller is an indirect reseller listing its indirect
 *   providers.
 */
export const RELATIONSHIP_TYPES = [
  'IsIndirectResellerOf',
  'IsIndirectCloudSolutionProviderOf',
] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

/**
 * Parse the `relationship_type` query value (exact, case-sensitive as in Partner Center).
 * @throws 400 `relationship.type_invalid` when missing or not one of `RELATIONSHIP_TYPES`.
 */
export function parseRelationshipType(value: unknown): RelationshipType {
  const found = RELATIONSHIP_TYPES.find((type) => type === value);
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
    case 'IsIndirectResellerOf':
      return 'provider';
    case 'IsIndirectCloudSolutionProviderOf':
      return 'reseller';
  }
}
