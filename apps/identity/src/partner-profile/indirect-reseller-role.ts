import type { EnrollmentStatus, PartnerType } from '@app/contracts';
import { DomainError } from '@app/platform';

/**
 * The one change of partner type a partner makes itself (seed 004 "Enroll as an indirect reseller":
 * "If you are already enrolled in CSP, you may need to provide only customer support contact
 * information"). The platform keeps one `partnerType` per account, and an indirect reseller holds
 * every capability of a direct partner (its own customers, relationship requests, new customers,
 * subscriptions) plus the indirect reseller's (authorize indirect providers, joint requests). So
 * adding the role is the transition `direct` → `indirect_reseller`, keeping everything the partner
 * has (customers, relationships, subscriptions, users). Only an `active` partner makes it. An
 * indirect provider cannot: its account is the distributor's, and a provider that is also a
 * reseller of its own would be its own partner; it enrolls a separate reseller account. Any other
 * change of type stays the operator's (`operatorReservedFields`).
 *
 * @throws 403 `partner.not_active` (enrollment not active), 409
 *   `partner_profile.already_indirect_reseller`, 409 `partner_profile.indirect_provider`.
 */
export function assertMayAddIndirectResellerRole(partner: {
  partnerType: PartnerType | null;
  partnerStatus: EnrollmentStatus | null;
}): void {
  if (partner.partnerStatus !== 'active') {
    throw new DomainError(
      'partner.not_active',
      403,
      'Only partners whose enrollment is active can do this.',
      { status: partner.partnerStatus },
    );
  }
  if (partner.partnerType === 'indirect_reseller') {
    throw new DomainError(
      'partner_profile.already_indirect_reseller',
      409,
      'Your account already has the indirect reseller role.',
      { partnerType: partner.partnerType },
    );
  }
  if (partner.partnerType !== 'direct') {
    throw new DomainError(
      'partner_profile.indirect_provider',
      409,
      'An indirect provider cannot add the indirect reseller role to its account. Enroll a separate account as an indirect reseller.',
      { partnerType: partner.partnerType },
    );
  }
}
