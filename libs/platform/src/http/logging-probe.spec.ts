import type { IncomingMessage } from 'node:http';
import { isProbe } from './logging';

/** Probes and scrapes stay out of the request log, whatever form their URL takes under Fastify. */
describe('isProbe', () => {
  const req = (url: string, originalUrl?: string) =>
    ({ url, originalUrl }) as unknown as IncomingMessage & { originalUrl?: string };

  it.each(['/health', '/health/live', '/health/ready', '/metrics', '/health?x=1', '/health/'])(
    'recognises %s',
    (url) => {
      expect(isProbe(req(url))).toBe(true);
    },
  );

  it('reads the original URL when middleware stripped the mount prefix', () => {
    expect(isProbe(req('/', '/health/ready'))).toBe(true);
    expect(isProbe(req('/health', '/v1/customers'))).toBe(false);
  });

  it('logs every other request', () => {
    expect(isProbe(req('/v1/customers'))).toBe(false);
    expect(isProbe(req('/healthz'))).toBe(false);
    expect(isProbe(req('/'))).toBe(false);
  });
});
