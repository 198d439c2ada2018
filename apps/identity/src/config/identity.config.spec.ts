import { ConfigError } from '@app/platform';
import { Key256Schema, TrustProxySchema, loadIdentityConfig } from './identity.config';

const base = {
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/pcp_identity',
  PUBLIC_URL: 'http://localhost:3001',
  OPERATOR_EMAIL: 'operator@platform.example',
  OPERATOR_PASSWORD: 'Operator-dev-2026!',
  LINK_SEALING_KEY: 'a'.repeat(32),
  SIGNING_KEY_ENCRYPTION_KEY: '00'.repeat(32),
};

describe('identity configuration', () => {
  it('has short access tokens, 30-day refresh tokens and the sign-in limits by default', () => {
    expect(loadIdentityConfig(base)).toMatchObject({
      ACCESS_TOKEN_TTL_SECONDS: 300,
      REFRESH_TOKEN_TTL_DAYS: 30,
      TRUST_PROXY: false,
      AUTH_ADDRESS_LIMIT: 30,
      AUTH_ADDRESS_WINDOW_SECONDS: 60,
      SIGN_IN_MAX_FAILURES: 5,
      SIGN_IN_FAILURE_WINDOW_SECONDS: 900,
      SIGN_IN_LOCKOUT_SECONDS: 900,
      SIGNING_KEY_ROTATION_DAYS: 30,
    });
  });

  it('requires the signing-key encryption key, naming it', () => {
    try {
      loadIdentityConfig({ ...base, SIGNING_KEY_ENCRYPTION_KEY: undefined });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        expect.stringMatching(/^SIGNING_KEY_ENCRYPTION_KEY: /),
      ]);
    }
  });

  it.each([
    ['hex', 'ab'.repeat(32)],
    ['base64', Buffer.alloc(32, 7).toString('base64')],
    ['base64url', Buffer.alloc(32, 250).toString('base64url')],
  ])('reads a 32-byte key given as %s', (_form, value) => {
    const key = Key256Schema.parse(value);
    expect(key).toBeInstanceOf(Uint8Array);
    expect(key.length).toBe(32);
  });

  it.each(['', 'short', 'ab'.repeat(31), Buffer.alloc(16).toString('base64'), 'x'.repeat(64)])(
    'refuses %j as a 32-byte key',
    (value) => {
      expect(Key256Schema.safeParse(value).success).toBe(false);
    },
  );

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
});
