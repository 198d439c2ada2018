import { PartnerType } from '@app/contracts';
import type { PartnerProfilePatch } from './dto/partner-profile.dto';

/**
 * The fields of a profile change that only the operator may make. Always: legal name, Partner ID
 * (MPN ID), country (also inside the address), cloud and partner type. For an indirect provider
 * also its directory listing, name and support contact (seed 002 step 1: "To make changes to your
 * company's indirect provider profile, contact your Microsoft representative"). The primary
 * contact email is the partner's to change: the new address is verified before it takes over.
 */
export function operatorReservedFields(
  partnerType: PartnerType | null,
  patch: PartnerProfilePatch,
): string[] {
  const reserved: string[] = [];
  for (const key of ['legalBusinessName', 'mpnId', 'country', 'cloud', 'partnerType'] as const) {
    if (patch[key] !== undefined) reserved.push(key);
  }
  if (patch.address?.country !== undefined) reserved.push('address.country');
  if (partnerType === 'indirect_provider' && patch.supportContact !== undefined) {
    reserved.push('supportContact');
  }
  return reserved;
}
