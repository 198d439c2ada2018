import {
  ConnectionException,
  DeadlockException,
  DriverException,
  LockWaitTimeoutException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { errorCodeOf } from '@app/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, errorDataArray, retryAfterSecondsOf } from '../errors';
import type { RouteMethods } from './route-methods';

/**
 * The API error body (Partner Center's error shape, "Partner Center REST error codes"): `code` the
 * number of the error's name in `ERROR_CODES`, `data` always an array (empty when the error has no
 * details), `source` the answering service.
 */
export interface ApiError {
  code: number;
  description: string;
  data: unknown[];
  source: string;
}

/**
 * The body of an error named `name` (`customer.not_found`): its number from `ERROR_CODES`, and
 * `data` as an array ({@link errorDataArray}). Every error answer is built here.
 */
export function apiErrorBody(
  name: string,
  description: string,
  data: unknown,
  source: string,
): ApiError {
  return { code: errorCodeOf(name), description, data: errorDataArray(data), source };
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

/** `retryAfterSeconds` of a 429 or 503's data, sent as `Retry-After` (RFC 9110 10.2.3). */
function retryAfterSeconds(status: number, data: unknown): number | undefined {
  if (status !== 429 && status !== 503) return undefined;
  return retryAfterSecondsOf(data);
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
 * Maps every error to `{ code, description, data, source }` (`code` the number of the error's
 * name in `ERROR_CODES`, `data` an array): domain errors keep their name and status, framework and parser errors (bad JSON, body too large, unknown route) become 4xx, and
 * a write that lost a race with a concurrent one (a unique constraint, a deadlock, a lock wait) is
 * 409 `request.conflict` (nothing of it was committed; retrying is safe), a database connection
 * lost under the request is 503 `dependency.unavailable`, and anything else is a 500 that says
 * nothing about internals (it is logged instead). A 429 or 503 whose `data` carries
 * `retryAfterSeconds` also answers a `Retry-After` header. The dotted name of the error stays in
 * the log line of a 5xx and in `toApiError`'s `name`. With the service's `routes`, a path that
 * exists but not for the request's method answers 405 `route.method_not_allowed` with `Allow`
 * listing its methods (a path that exists for no method stays 404 `route.not_found`).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');
  constructor(
    private readonly source: string,
    private readonly routes?: RouteMethods,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof NotFoundException && this.routes) {
      const request = host.switchToHttp().getRequest<FastifyRequest | undefined>();
      const allowed = request?.url ? this.routes.allowed(request.url) : [];
      if (allowed.length > 0) {
        const { body } = this.answer(
          405,
          'route.method_not_allowed',
          `${request?.method ?? 'This method'} is not allowed here; allowed: ${allowed.join(', ')}.`,
          allowed,
        );
        void reply
          .status(405)
          .header('allow', allowed.join(', '))
          .header('content-type', 'application/json')
          .send(body);
        return;
      }
    }
    const { status, body } = this.toApiError(exception);
    if (status >= 500) this.logger.error(describeForLog(exception));
    const retryAfter = retryAfterSeconds(status, body.data);
    if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
    void reply.status(status).header('content-type', 'application/json').send(body);
  }

  toApiError(exception: unknown): { status: number; body: ApiError; name: string } {
    if (exception instanceof DomainError) {
      return this.answer(exception.status, exception.code, exception.message, exception.data);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return this.answer(
        status,
        HTTP_CODES[status] ?? (status >= 500 ? 'internal' : 'request.rejected'),
        status >= 500 ? 'Internal error.' : exception.message,
      );
    }
    if (
      exception instanceof UniqueConstraintViolationException ||
      exception instanceof DeadlockException ||
      exception instanceof LockWaitTimeoutException
    ) {
      return this.answer(
        409,
        'request.conflict',
        'A concurrent request changed the same data; nothing was written. Retry.',
      );
    }
    if (isDatabaseUnavailable(exception)) {
      return this.answer(
        503,
        'dependency.unavailable',
        'The database connection was lost while answering. Check whether the change was made, then retry.',
        { retryAfterSeconds: 1 },
      );
    }
    const statusCode = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return this.answer(
        statusCode,
        HTTP_CODES[statusCode] ?? 'request.malformed',
        (exception as Error).message || 'The request is malformed.',
      );
    }
    return this.answer(500, 'internal', 'Internal error.');
  }

  private answer(
    status: number,
    name: string,
    description: string,
    data?: unknown,
  ): { status: number; body: ApiError; name: string } {
    return { status, name, body: apiErrorBody(name, description, data, this.source) };
  }
}
