import { PartnerType } from '@app/contracts';
import type { PartnerProfilePatch } from './dto/partner-profile.dto';

/**
 * The fields of a profile change that only the operator may make. Always: legal name, Partner ID
 * (MPN ID), country (also inside the address), cloud, partner type, and the verified primary
 * contact email. For an indirect provider also its directory listing, name and support contact
 * (seed 002 step 1: "To make changes to your company's indirect provider profile, contact your
 * Microsoft representative").
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
  if (patch.primaryContact?.email !== undefined) reserved.push('primaryContact.email');
  if (partnerType === 'indirect_provider' && patch.supportContact !== undefined) {
    reserved.push('supportContact');
  }
  return reserved;
}
