import type { IncomingMessage } from 'node:http';
import { isProbe, loggerParams } from './logging';

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

/** Request lines are `info`: built only where that level is written. */
describe('loggerParams request lines', () => {
  const autoLoggingAt = (level: string) =>
    (loggerParams('relationships', level).pinoHttp as { autoLogging: unknown }).autoLogging;

  it.each(['info', 'debug', 'trace'])('logs requests (probes left out) at %s', (level) => {
    const autoLogging = autoLoggingAt(level) as {
      ignore: (req: IncomingMessage) => boolean;
    };
    expect(autoLogging.ignore({ url: '/health' } as IncomingMessage)).toBe(true);
    expect(autoLogging.ignore({ url: '/v1/customers' } as IncomingMessage)).toBe(false);
  });

  it.each(['warn', 'error', 'fatal', 'silent'])('builds no request line at %s', (level) => {
    expect(autoLoggingAt(level)).toBe(false);
  });
});
