import { DomainError } from '@app/platform';
import {
  assertDelegatedAdminRule,
  assertNewCustomerRules,
  assertPartnershipLocation,
  assertSameCloudAndMarket,
  assertSameMarket,
  locationMismatch,
  requiresDelegatedAdmin,
} from './relationship-rules';

function codeOf(fn: () => unknown): { code: string; status: number } | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, status: error.status };
    throw error;
  }
}

describe('delegated admin rule (seed 001)', () => {
  it('is required in us-gov and germany only', () => {
    expect(requiresDelegatedAdmin('public')).toBe(false);
    expect(requiresDelegatedAdmin('us-gov')).toBe(true);
    expect(requiresDelegatedAdmin('germany')).toBe(true);
  });

  it('lets a public-cloud partner request without delegated admin', () => {
    expect(codeOf(() => assertDelegatedAdminRule('public', false))).toBeNull();
    expect(codeOf(() => assertDelegatedAdminRule('public', true))).toBeNull();
  });

  it.each(['us-gov', 'germany'] as const)(
    'refuses a %s request without delegated admin',
    (cloud) => {
      expect(codeOf(() => assertDelegatedAdminRule(cloud, false))).toEqual({
        code: 'relationship_request.delegated_admin_required',
        status: 422,
      });
      expect(codeOf(() => assertDelegatedAdminRule(cloud, true))).toBeNull();
    },
  );
});

describe('cloud and market rule', () => {
  it('accepts the same cloud and market', () => {
    expect(
      codeOf(() =>
        assertSameCloudAndMarket(
          { cloud: 'public', country: 'US' },
          { cloud: 'public', country: 'CA' },
        ),
      ),
    ).toBeNull();
  });

  it('refuses another cloud first', () => {
    expect(
      codeOf(() =>
        assertSameCloudAndMarket(
          { cloud: 'us-gov', country: 'US' },
          { cloud: 'public', country: 'US' },
        ),
      ),
    ).toEqual({ code: 'relationship_request.cloud_mismatch', status: 403 });
  });

  it('refuses another region', () => {
    expect(
      codeOf(() =>
        assertSameCloudAndMarket(
          { cloud: 'public', country: 'US' },
          { cloud: 'public', country: 'DE' },
        ),
      ),
    ).toEqual({ code: 'relationship_request.region_mismatch', status: 403 });
    expect(codeOf(() => assertSameMarket('FR', 'GB'))).toBeNull();
  });
});

describe('one location comparison for every door', () => {
  const us = { cloud: 'public', country: 'US' } as const;

  it('names the cloud first, then the region, else nothing', () => {
    expect(locationMismatch(us, { cloud: 'public', country: 'CA' })).toBeNull();
    expect(locationMismatch(us, { cloud: 'public', country: 'JP' })).toBe('region');
    expect(locationMismatch(us, { cloud: 'us-gov', country: 'US' })).toBe('cloud');
    expect(locationMismatch(us, { cloud: 'germany', country: 'DE' })).toBe('cloud');
  });

  it('keeps a partnership within one cloud and one market region', () => {
    expect(
      codeOf(() => assertPartnershipLocation(us, { cloud: 'public', country: 'CA' })),
    ).toBeNull();
    expect(codeOf(() => assertPartnershipLocation(us, { cloud: 'public', country: 'JP' }))).toEqual(
      {
        code: 'partnership.region_mismatch',
        status: 403,
      },
    );
    expect(codeOf(() => assertPartnershipLocation(us, { cloud: 'us-gov', country: 'US' }))).toEqual(
      {
        code: 'partnership.cloud_mismatch',
        status: 403,
      },
    );
  });

  it('checks every partner of a new customer: market, cloud and the delegated admin rule', () => {
    const jp = { cloud: 'public', country: 'JP' } as const;
    const gov = { cloud: 'us-gov', country: 'US' } as const;
    expect(
      codeOf(() => assertNewCustomerRules(us, [{ partner: us, delegatedAdmin: true }])),
    ).toBeNull();
    expect(
      codeOf(() =>
        assertNewCustomerRules(us, [
          { partner: us, delegatedAdmin: true },
          { partner: jp, delegatedAdmin: true },
        ]),
      ),
    ).toEqual({ code: 'relationship_request.region_mismatch', status: 403 });
    expect(
      codeOf(() =>
        assertNewCustomerRules(us, [
          { partner: us, delegatedAdmin: true },
          { partner: gov, delegatedAdmin: true },
        ]),
      ),
    ).toEqual({ code: 'relationship_request.cloud_mismatch', status: 403 });
    expect(
      codeOf(() => assertNewCustomerRules(gov, [{ partner: gov, delegatedAdmin: false }])),
    ).toEqual({ code: 'relationship_request.delegated_admin_required', status: 422 });
  });
});
