import { DomainError } from '@app/platform';
import { assertMayAddIndirectResellerRole } from './indirect-reseller-role';

function refusal(partner: Parameters<typeof assertMayAddIndirectResellerRole>[0]) {
  try {
    assertMayAddIndirectResellerRole(partner);
  } catch (error) {
    const e = error as DomainError;
    return { code: e.code, status: e.status };
  }
  return null;
}

describe('adding the indirect reseller role (seed 004 "already enrolled in CSP")', () => {
  it('lets an active direct partner become an indirect reseller', () => {
    expect(refusal({ partnerType: 'direct', partnerStatus: 'active' })).toBeNull();
  });

  it('refuses an indirect reseller (409) and an indirect provider (409)', () => {
    expect(refusal({ partnerType: 'indirect_reseller', partnerStatus: 'active' })).toEqual({
      code: 'partner_profile.already_indirect_reseller',
      status: 409,
    });
    expect(refusal({ partnerType: 'indirect_provider', partnerStatus: 'active' })).toEqual({
      code: 'partner_profile.indirect_provider',
      status: 409,
    });
  });

  it.each(['pending_verification', 'in_review', 'rejected'] as const)(
    'refuses a direct partner whose enrollment is %s (403)',
    (partnerStatus) => {
      expect(refusal({ partnerType: 'direct', partnerStatus })).toEqual({
        code: 'partner.not_active',
        status: 403,
      });
    },
  );
});
