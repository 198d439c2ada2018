import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';

export const REQUEST_ID_HEADER = 'ms-requestid';
export const CORRELATION_ID_HEADER = 'ms-correlationid';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first && /^[A-Za-z0-9._:-]{1,128}$/.test(first) ? first : undefined;
}

/** The request id: the caller's `MS-RequestId` when well formed, else a new UUID. Stored back on the request. */
export function requestIdOf(req: IncomingMessage): string {
  const id = header(req, REQUEST_ID_HEADER) ?? randomUUID();
  req.headers[REQUEST_ID_HEADER] = id;
  return id;
}

/** The correlation id: the caller's `MS-CorrelationId` when well formed, else the request id. */
export function correlationIdOf(req: IncomingMessage): string {
  const id = header(req, CORRELATION_ID_HEADER) ?? requestIdOf(req);
  req.headers[CORRELATION_ID_HEADER] = id;
  return id;
}

/**
 * pino logging (nestjs-pino) with the request and correlation ids on every line and secrets,
 * tokens and passwords redacted.
 */
export function loggerParams(service: string, level: string): Params {
  return {
    pinoHttp: {
      level,
      name: service,
      genReqId: (req) => requestIdOf(req),
      customProps: (req) => ({ correlationId: correlationIdOf(req) }),
      autoLogging: { ignore: (req) => req.url === '/health' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.password',
          '*.temporaryPassword',
          '*.token',
          '*.link',
          '*.sealedLink',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.replace(/token=[^&]+/g, 'token=[redacted]'),
        }),
      },
    },
  };
}
