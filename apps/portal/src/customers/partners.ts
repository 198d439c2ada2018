import type { ApiClient } from '@app/api-client';
import { ok } from '../app/api-result';
import type { PartnerRelationship } from './api-types';

/**
 * The signed-in partner's channel partners, every page: an indirect provider's indirect resellers
 * (`IsIndirectCloudSolutionProviderOf`), an indirect reseller's indirect providers
 * (`IsIndirectResellerOf`). Used for the reseller filter, joint requests, the reseller of record
 * and the designated support contact.
 */
export async function loadChannelPartners(
  api: ApiClient,
  side: 'resellers' | 'providers',
): Promise<PartnerRelationship[]> {
  const relationshipType =
    side === 'resellers' ? 'IsIndirectCloudSolutionProviderOf' : 'IsIndirectResellerOf';
  const all: PartnerRelationship[] = [];
  let seek: string | undefined;
  do {
    const page = await ok(
      api.GET('/v1/relationships', {
        params: {
          query: { relationship_type: relationshipType, size: 500, ...(seek ? { seek } : {}) },
        },
      }),
    );
    all.push(...page.items);
    seek = page.continuationToken;
  } while (seek);
  return all;
}
