import { RateLimitEnvSchema, TrustProxySchema, publicRateLimitTier } from './rate-limit.config';

describe('rate limit configuration', () => {
  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.0/8, 192.168.1.1', ['10.0.0.0/8', '192.168.1.1']],
    ['::1,fd00::/8', ['::1', 'fd00::/8']],
  ])('reads TRUST_PROXY=%j', (value, expected) => {
    expect(TrustProxySchema.parse(value)).toEqual(expected);
  });

  it.each(['yes', '10.0.0.0/33', 'proxy.example', '10.0.0.1/8/2'])(
    'refuses TRUST_PROXY=%j',
    (value) => {
      expect(TrustProxySchema.safeParse(value).success).toBe(false);
    },
  );

  it('trusts no proxy and allows 20 requests per address, 5 per target per 15 minutes by default', () => {
    const config = RateLimitEnvSchema.parse({});
    expect(config.TRUST_PROXY).toBe(false);
    expect(publicRateLimitTier(config)).toEqual({
      addressLimit: 20,
      targetLimit: 5,
      windowSeconds: 900,
    });
  });

  it.each([
    ['PUBLIC_ADDRESS_LIMIT', '0'],
    ['PUBLIC_TARGET_LIMIT', 'many'],
    ['PUBLIC_LIMIT_WINDOW_SECONDS', '86401'],
  ])('refuses %s=%j', (name, value) => {
    const result = RateLimitEnvSchema.safeParse({ [name]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0])).toEqual([name]);
  });
});
