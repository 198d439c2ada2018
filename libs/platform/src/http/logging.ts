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

/** Requests whose `MS-RequestId` this service generated (the caller sent none, or a malformed one). */
const generatedRequestIds = new WeakSet<IncomingMessage>();

/** The request id: the caller's `MS-RequestId` when well formed, else a new UUID. Stored back on the request. */
export function requestIdOf(req: IncomingMessage): string {
  const sent = header(req, REQUEST_ID_HEADER);
  if (sent) return sent;
  const id = randomUUID();
  generatedRequestIds.add(req);
  req.headers[REQUEST_ID_HEADER] = id;
  return id;
}

/**
 * Whether the caller sent the request's `MS-RequestId` (well formed) rather than this service
 * generating one: only a caller's own id can come back on a retry (idempotent creates).
 */
export function requestIdWasSent(req: IncomingMessage): boolean {
  requestIdOf(req);
  return !generatedRequestIds.has(req);
}

/** The correlation id: the caller's `MS-CorrelationId` when well formed, else the request id. */
export function correlationIdOf(req: IncomingMessage): string {
  const id = header(req, CORRELATION_ID_HEADER) ?? requestIdOf(req);
  req.headers[CORRELATION_ID_HEADER] = id;
  return id;
}

/** Query parameters whose values are secrets: any name containing `token` (invitation links). */
const SECRET_QUERY_NAME = /token/i;

/**
 * A request URL fit for a log line: the value of every query parameter whose (decoded) name
 * contains `token` becomes `[redacted]`, e.g. `/invitations/partnership?token=…` →
 * `/invitations/partnership?token=[redacted]`. The path and other parameters are kept.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const query = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals < 0 ? pair : pair.slice(0, equals);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the name as written.
      }
      return SECRET_QUERY_NAME.test(name) ? `${rawName}=[redacted]` : pair;
    });
  return `${url.slice(0, start)}?${query.join('&')}`;
}

/**
 * Paths of log objects whose values are secrets, redacted wherever a log line carries them (pino
 * `redact`): credentials, tokens, links (they carry tokens) and sealed links.
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  '*.headers.authorization',
  'authorization',
  '*.authorization',
  'password',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.temporaryPassword',
  'token',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  'link',
  '*.link',
  '*.sealedLink',
  '*.*.sealedLink',
  '*.*.link',
  '*.*.token',
];

/** Paths of probes and scrapes, which every few seconds would drown the request log. */
const PROBE_PATHS = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/**
 * Whether a request is a probe or a scrape. Under Fastify the logger runs as middleware, where
 * `url` may have lost its mount prefix; `originalUrl` has it. The query string is ignored.
 */
export function isProbe(req: IncomingMessage & { originalUrl?: string }): boolean {
  const url = req.originalUrl ?? req.url ?? '';
  const path = url.split('?')[0].replace(/\/+$/, '');
  return PROBE_PATHS.has(path === '' ? '/' : path);
}

/** The levels at which pino-http's request lines (`info`) are written. */
const REQUEST_LINE_LEVELS = new Set(['info', 'debug', 'trace']);

/**
 * pino logging (nestjs-pino) with the request and correlation ids on every line and secrets,
 * tokens, links and passwords redacted: request lines carry only id, method and the URL with
 * `token` query values redacted (never headers or bodies), and `REDACTED_LOG_PATHS` are censored
 * in every logged object.
 */
export function loggerParams(service: string, level: string): Params {
  return {
    pinoHttp: {
      level,
      name: service,
      genReqId: (req) => requestIdOf(req),
      customProps: (req) => ({ correlationId: correlationIdOf(req) }),
      // Request lines are logged at `info`: under a higher level pino would build each one only to
      // drop it, so they are not built at all.
      autoLogging: REQUEST_LINE_LEVELS.has(level) ? { ignore: (req) => isProbe(req) } : false,
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
        }),
      },
    },
  };
}
