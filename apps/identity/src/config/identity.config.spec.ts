import { ConfigError } from '@app/platform';
import { Key256Schema, loadIdentityConfig } from './identity.config';

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
  it('has short access tokens, 30-day refresh tokens, the sign-in and public-route limits and one public hash at a time by default', () => {
    expect(loadIdentityConfig(base)).toMatchObject({
      ACCESS_TOKEN_TTL_SECONDS: 300,
      REFRESH_TOKEN_TTL_DAYS: 30,
      TRUST_PROXY: false,
      AUTH_ADDRESS_LIMIT: 30,
      PUBLIC_ADDRESS_LIMIT: 20,
      PUBLIC_TARGET_LIMIT: 5,
      PUBLIC_LIMIT_WINDOW_SECONDS: 900,
      PUBLIC_HASHING_CONCURRENCY: 1,
      PUBLIC_HASHING_QUEUE: 16,
      AUTH_ADDRESS_WINDOW_SECONDS: 60,
      SIGN_IN_MAX_FAILURES: 5,
      SIGN_IN_FAILURE_WINDOW_SECONDS: 900,
      SIGN_IN_LOCKOUT_SECONDS: 900,
      SIGNING_KEY_ROTATION_DAYS: 30,
    });
  });

  it('expires unverified enrollments and sign-ups after 7 days and reset links after an hour by default, and refuses nonsense (issue 9 points 7, 8)', () => {
    expect(loadIdentityConfig(base)).toMatchObject({
      UNVERIFIED_ACCOUNT_TTL_HOURS: 168,
      UNVERIFIED_SWEEP_SECONDS: 3600,
      PASSWORD_RESET_TTL_MINUTES: 60,
    });
    expect(() => loadIdentityConfig({ ...base, UNVERIFIED_ACCOUNT_TTL_HOURS: '0' })).toThrow(
      ConfigError,
    );
    expect(() => loadIdentityConfig({ ...base, PASSWORD_RESET_TTL_MINUTES: 'soon' })).toThrow(
      ConfigError,
    );
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
});
