import {
  CLOCK_SKEW_SECONDS,
  KeyLifecycle,
  isDueForRetirement,
  isDueForRotation,
  isVerifying,
  retireAfterFor,
} from './signing-key-lifecycle';

const at = (iso: string) => new Date(iso);
const key = (over: Partial<KeyLifecycle>): KeyLifecycle => ({
  status: 'active',
  createdAt: at('2026-01-01T00:00:00Z'),
  retireAfter: null,
  ...over,
});

describe('signing key lifecycle', () => {
  it('retires a replaced key after the access-token TTL plus the clock skew', () => {
    expect(retireAfterFor(at('2026-03-01T12:00:00Z'), 300)).toEqual(
      new Date(at('2026-03-01T12:00:00Z').getTime() + (300 + CLOCK_SKEW_SECONDS) * 1000),
    );
    expect(CLOCK_SKEW_SECONDS).toBe(60);
  });

  it('lets the active key verify, a previous one until retireAfter, a retired one never', () => {
    const now = at('2026-03-01T12:00:00Z');
    expect(isVerifying(key({}), now)).toBe(true);
    const previous = key({ status: 'previous', retireAfter: at('2026-03-01T12:06:00Z') });
    expect(isVerifying(previous, now)).toBe(true);
    expect(isDueForRetirement(previous, now)).toBe(false);
    expect(isVerifying(previous, at('2026-03-01T12:06:00Z'))).toBe(false);
    expect(isDueForRetirement(previous, at('2026-03-01T12:06:00Z'))).toBe(true);
    expect(isVerifying(key({ status: 'retired' }), now)).toBe(false);
    expect(isDueForRetirement(key({ status: 'retired' }), now)).toBe(false);
    // A previous key without retireAfter is not trusted.
    expect(isVerifying(key({ status: 'previous' }), now)).toBe(false);
  });

  it('rotates the active key once it is SIGNING_KEY_ROTATION_DAYS old, and only the active key', () => {
    const created = at('2026-01-01T00:00:00Z');
    expect(isDueForRotation(key({ createdAt: created }), at('2026-01-30T23:59:59Z'), 30)).toBe(
      false,
    );
    expect(isDueForRotation(key({ createdAt: created }), at('2026-01-31T00:00:00Z'), 30)).toBe(
      true,
    );
    expect(
      isDueForRotation(
        key({ status: 'previous', createdAt: created, retireAfter: at('2026-02-01T00:00:00Z') }),
        at('2026-06-01T00:00:00Z'),
        30,
      ),
    ).toBe(false);
  });
});
