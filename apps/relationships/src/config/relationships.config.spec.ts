import { ConfigError } from '@app/platform';
import { loadRelationshipsConfig } from './relationships.config';

const env = {
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/pcp_relationships',
  LINK_SEALING_KEY: 'x'.repeat(32),
  IDENTITY_JWKS_URL: 'http://localhost:3001/.well-known/jwks.json',
  PUBLIC_URL: 'http://localhost:3002/',
};

describe('loadRelationshipsConfig', () => {
  it('applies the defaults', () => {
    const config = loadRelationshipsConfig(env);
    expect(config).toMatchObject({
      PORT: 3002,
      PUBLIC_URL: 'http://localhost:3002',
      PARTNER_PORTAL_URL: 'http://localhost:3002',
      IDENTITY_PUBLIC_URL: 'http://localhost:3001',
      CUSTOMER_ACCEPT_URL_PUBLIC: 'http://localhost:3002/invitations/reseller-relationship',
      CUSTOMER_ACCEPT_URL_US_GOV: 'http://localhost:3002/invitations/reseller-relationship',
      CUSTOMER_ACCEPT_URL_GERMANY: 'http://localhost:3002/invitations/reseller-relationship',
      INVITATION_TTL_HOURS: 168,
      INVITATION_EMAILS_PER_PARTNER_PER_HOUR: 100,
      INVITATION_EMAILS_PER_RECIPIENT_PER_DAY: 5,
      TRUST_PROXY: false,
      PUBLIC_ADDRESS_LIMIT: 20,
      PUBLIC_TARGET_LIMIT: 5,
      PUBLIC_LIMIT_WINDOW_SECONDS: 900,
    });
  });

  it('reads the invitation email caps and refuses a cap below 1', () => {
    const config = loadRelationshipsConfig({
      ...env,
      INVITATION_EMAILS_PER_PARTNER_PER_HOUR: '3',
      INVITATION_EMAILS_PER_RECIPIENT_PER_DAY: '2',
    });
    expect(config.INVITATION_EMAILS_PER_PARTNER_PER_HOUR).toBe(3);
    expect(config.INVITATION_EMAILS_PER_RECIPIENT_PER_DAY).toBe(2);
    expect(() =>
      loadRelationshipsConfig({ ...env, INVITATION_EMAILS_PER_RECIPIENT_PER_DAY: '0' }),
    ).toThrow(/INVITATION_EMAILS_PER_RECIPIENT_PER_DAY/);
  });

  it('treats an empty optional URL as unset and keeps a given one', () => {
    const config = loadRelationshipsConfig({
      ...env,
      PARTNER_PORTAL_URL: '',
      CUSTOMER_ACCEPT_URL_US_GOV: 'https://portal.gov.example/accept',
    });
    expect(config.PARTNER_PORTAL_URL).toBe('http://localhost:3002');
    expect(config.CUSTOMER_ACCEPT_URL_US_GOV).toBe('https://portal.gov.example/accept');
  });

  it('names every missing or malformed variable', () => {
    expect(() =>
      loadRelationshipsConfig({ ...env, LINK_SEALING_KEY: 'short', PUBLIC_URL: undefined }),
    ).toThrow(ConfigError);
    try {
      loadRelationshipsConfig({ ...env, LINK_SEALING_KEY: 'short', PUBLIC_URL: undefined });
    } catch (error) {
      expect((error as ConfigError).message).toMatch(/LINK_SEALING_KEY/);
      expect((error as ConfigError).message).toMatch(/PUBLIC_URL/);
    }
  });

  it('applies the webhook defaults: retries over more than a day, 10 s timeout, disabled after 72 h', () => {
    expect(loadRelationshipsConfig(env)).toMatchObject({
      WEBHOOK_RETRY_BASE_MS: 5000,
      WEBHOOK_RETRY_MAX_DELAY_MS: 3_600_000,
      WEBHOOK_MAX_ATTEMPTS: 36,
      WEBHOOK_TIMEOUT_MS: 10_000,
      WEBHOOK_DISABLE_AFTER_HOURS: 72,
      WEBHOOK_SECRET_OVERLAP_HOURS: 24,
      WEBHOOK_DELIVERY_RETENTION_DAYS: 30,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: false,
    });
  });

  it('refuses webhooks to private networks in production, and allows them elsewhere', () => {
    expect(
      loadRelationshipsConfig({ ...env, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' })
        .WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    ).toBe(true);
    expect(() =>
      loadRelationshipsConfig({
        ...env,
        NODE_ENV: 'production',
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      }),
    ).toThrow(/WEBHOOK_ALLOW_PRIVATE_NETWORKS: refused with NODE_ENV=production/);
  });
});
