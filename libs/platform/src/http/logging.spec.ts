import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACTED_LOG_PATHS, redactUrl } from './logging';

describe('redactUrl', () => {
  it.each([
    ['/invitations/partnership?token=abc123', '/invitations/partnership?token=[redacted]'],
    [
      '/v1/enrollments/verify?token=a-b_c&lang=en',
      '/v1/enrollments/verify?token=[redacted]&lang=en',
    ],
    ['/x?lang=en&token=secret', '/x?lang=en&token=[redacted]'],
    [
      '/x?refresh_token=secret&access_token=s2',
      '/x?refresh_token=[redacted]&access_token=[redacted]',
    ],
    ['/x?%74oken=secret', '/x?%74oken=[redacted]'],
    ['/x?TOKEN=secret', '/x?TOKEN=[redacted]'],
    ['/x?token', '/x?token=[redacted]'],
    ['/x?%zz=1&token=secret', '/x?%zz=1&token=[redacted]'],
  ])('redacts %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('keeps URLs without a token as they are', () => {
    expect(redactUrl('/v1/customers?size=10&seek=abc')).toBe('/v1/customers?size=10&seek=abc');
    expect(redactUrl('/v1/customers')).toBe('/v1/customers');
  });
});

describe('REDACTED_LOG_PATHS', () => {
  it('censors credentials, tokens and links in logged objects', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } }, sink);
    logger.info(
      {
        req: { headers: { authorization: 'Bearer secret-1' } },
        body: { password: 'secret-2', token: 'secret-3', newPassword: 'secret-4' },
        job: { data: { sealedLink: 'secret-5', link: 'secret-6' } },
        token: 'secret-7',
      },
      'something happened',
    );
    expect(lines.join('')).not.toMatch(/secret-\d/);
    expect(lines.join('')).toContain('[redacted]');
  });
});
