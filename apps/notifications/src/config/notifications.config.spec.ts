import { ConfigError } from '@app/platform';
import { loadNotificationsConfig } from './notifications.config';

const ENV = {
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/pcp_notifications',
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: '1025',
  MAIL_FROM: '"Partner Channel" <no-reply@partners.example>',
  MESSAGE_ID_DOMAIN: 'partners.example',
  LINK_SEALING_KEY: 'x'.repeat(32),
  IDENTITY_JWKS_URL: 'http://127.0.0.1:3001/.well-known/jwks.json',
};

describe('loadNotificationsConfig', () => {
  it('applies the safe defaults', () => {
    const config = loadNotificationsConfig(ENV);
    expect(config).toMatchObject({
      PORT: 3003,
      SMTP_PORT: 1025,
      SMTP_SECURE: false,
      SMTP_REQUIRE_TLS: false,
      WORKER_CONCURRENCY: 100,
      SMTP_MAX_CONNECTIONS: 5,
      SMTP_MAX_MESSAGES: 1000,
      DATABASE_POOL_SIZE: 4,
      BULLMQ_PREFIX: 'pcp',
    });
    expect(config.SMTP_USER).toBeUndefined();
  });

  it('treats empty SMTP credentials as unset', () => {
    expect(loadNotificationsConfig({ ...ENV, SMTP_USER: '', SMTP_PASSWORD: '' }).SMTP_USER).toBe(
      undefined,
    );
  });

  it('names every missing or malformed variable', () => {
    const call = () =>
      loadNotificationsConfig({
        ...ENV,
        SMTP_HOST: undefined,
        MAIL_FROM: 'Partner Channel',
        LINK_SEALING_KEY: 'short',
      });
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(/SMTP_HOST/);
    expect(call).toThrow(/MAIL_FROM/);
    expect(call).toThrow(/LINK_SEALING_KEY/);
  });

  it('keeps settled delivery records 30 days and refuses a retention shorter than failed jobs stay', () => {
    expect(loadNotificationsConfig(ENV)).toMatchObject({
      DELIVERY_RECORD_RETENTION_HOURS: 720,
      FAILED_JOB_RETENTION_HOURS: 336,
    });
    expect(() =>
      loadNotificationsConfig({
        ...ENV,
        DELIVERY_RECORD_RETENTION_HOURS: '24',
        FAILED_JOB_RETENTION_HOURS: '48',
      }),
    ).toThrow(/DELIVERY_RECORD_RETENTION_HOURS/);
  });

  it('requires SMTP_USER and SMTP_PASSWORD together', () => {
    expect(() => loadNotificationsConfig({ ...ENV, SMTP_USER: 'mailer' })).toThrow(/SMTP_PASSWORD/);
  });

  it('refuses SMTP credentials without TLS in production, and takes them with either form of TLS', () => {
    const relay = {
      ...ENV,
      NODE_ENV: 'production',
      LINK_SEALING_KEY: 'an-own-link-sealing-key-9c4e1f7a2b6d8e3c',
      SMTP_HOST: 'smtp.relay.example',
      SMTP_PORT: '587',
      SMTP_USER: 'mailer',
      SMTP_PASSWORD: 'relay-password',
    };
    expect(() => loadNotificationsConfig(relay)).toThrow(/SMTP_REQUIRE_TLS: .*in clear/);
    expect(loadNotificationsConfig({ ...relay, SMTP_REQUIRE_TLS: 'true' }).SMTP_REQUIRE_TLS).toBe(
      true,
    );
    expect(
      loadNotificationsConfig({ ...relay, SMTP_PORT: '465', SMTP_SECURE: 'true' }),
    ).toMatchObject({ SMTP_SECURE: true, SMTP_USER: 'mailer' });
    // Without credentials (a relay that trusts the network) nothing is refused.
    expect(() =>
      loadNotificationsConfig({ ...relay, SMTP_USER: '', SMTP_PASSWORD: '' }),
    ).not.toThrow();
  });
});
