import {
  ConnectionException,
  DeadlockException,
  DriverException,
  LockWaitTimeoutException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../errors';

/** The API error body (Partner Center's error shape). */
export interface ApiError {
  code: string;
  description: string;
  data: unknown;
  source: string;
}

const HTTP_CODES: Record<number, string> = {
  400: 'request.invalid',
  401: 'auth.unauthenticated',
  403: 'auth.forbidden',
  404: 'route.not_found',
  405: 'route.method_not_allowed',
  413: 'request.too_large',
  414: 'request.uri_too_long',
  415: 'request.unsupported_media_type',
  429: 'request.throttled',
};

/** `data.retryAfterSeconds` of a 429 or 503, sent as `Retry-After` (RFC 9110 10.2.3). */
function retryAfterSeconds(status: number, data: unknown): number | undefined {
  if (status !== 429 && status !== 503) return undefined;
  const value = (data as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Whether `error` is the database connection failing under the request (PostgreSQL restarted, the
 * connection terminated by an operator: SQLSTATE class 08 or 57P01-57P03, a socket closed or
 * refused) rather than the request itself.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ConnectionException) return true;
  if (!(error instanceof DriverException) && !(error instanceof Error)) return false;
  const { code, sqlState } = error as { code?: unknown; sqlState?: unknown };
  const state = typeof sqlState === 'string' ? sqlState : typeof code === 'string' ? code : '';
  if (/^08/.test(state) || /^57P0[123]$/.test(state)) return true;
  if (state === 'ECONNREFUSED' || state === 'ECONNRESET' || state === 'EPIPE') return true;
  return /Connection terminated|connection error|Connection is closed|not queryable/i.test(
    error.message,
  );
}

/**
 * What the log says of an error answered 5xx: its stack, but for a database driver error only its
 * name, SQLSTATE and the server's message, never the statement (it carries the request's data).
 */
function describeForLog(error: unknown): unknown {
  if (error instanceof DriverException) {
    const { sqlState, code } = error as { sqlState?: unknown; code?: unknown };
    const state = typeof sqlState === 'string' ? sqlState : typeof code === 'string' ? code : '';
    const message = error.message.split('\n')[0].split(' - ').pop() ?? '';
    return `${error.name}${state ? ` ${state}` : ''}: ${message}`;
  }
  return error instanceof Error ? error.stack : error;
}

/**
 * Maps every error to `{ code, description, data, source }`: domain errors keep their code and
 * status, framework and parser errors (bad JSON, body too large, unknown route) become 4xx, and
 * a write that lost a race with a concurrent one (a unique constraint, a deadlock, a lock wait) is
 * 409 `request.conflict` (nothing of it was committed; retrying is safe), a database connection
 * lost under the request is 503 `dependency.unavailable`, and anything else is a 500 that says
 * nothing about internals (it is logged instead). A 429 or 503 whose `data` carries
 * `retryAfterSeconds` also answers a `Retry-After` header.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');
  constructor(private readonly source: string) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = this.toApiError(exception);
    if (status >= 500) this.logger.error(describeForLog(exception));
    const retryAfter = retryAfterSeconds(status, body.data);
    if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
    void reply.status(status).header('content-type', 'application/json').send(body);
  }

  toApiError(exception: unknown): { status: number; body: ApiError } {
    if (exception instanceof DomainError) {
      return {
        status: exception.status,
        body: {
          code: exception.code,
          description: exception.message,
          data: exception.data ?? null,
          source: this.source,
        },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return {
        status,
        body: {
          code: HTTP_CODES[status] ?? (status >= 500 ? 'internal' : 'request.rejected'),
          description: status >= 500 ? 'Internal error.' : exception.message,
          data: null,
          source: this.source,
        },
      };
    }
    if (
      exception instanceof UniqueConstraintViolationException ||
      exception instanceof DeadlockException ||
      exception instanceof LockWaitTimeoutException
    ) {
      return {
        status: 409,
        body: {
          code: 'request.conflict',
          description: 'A concurrent request changed the same data; nothing was written. Retry.',
          data: null,
          source: this.source,
        },
      };
    }
    if (isDatabaseUnavailable(exception)) {
      return {
        status: 503,
        body: {
          code: 'dependency.unavailable',
          description:
            'The database connection was lost while answering. Check whether the change was made, then retry.',
          data: { retryAfterSeconds: 1 },
          source: this.source,
        },
      };
    }
    const statusCode = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return {
        status: statusCode,
        body: {
          code: HTTP_CODES[statusCode] ?? 'request.malformed',
          description: (exception as Error).message || 'The request is malformed.',
          data: null,
          source: this.source,
        },
      };
    }
    return {
      status: 500,
      body: { code: 'internal', description: 'Internal error.', data: null, source: this.source },
    };
  }
}
