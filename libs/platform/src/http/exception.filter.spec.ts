import {
  ConnectionException,
  DriverException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { ERROR_CODES } from '@app/contracts';
import { NotFoundException } from '@nestjs/common';
import { DomainError } from '../errors';
import { ApiExceptionFilter } from './exception.filter';

describe('ApiExceptionFilter', () => {
  const filter = new ApiExceptionFilter('relationships');

  it('keeps a domain error’s status and renders its name as its number, with data an array', () => {
    expect(filter.toApiError(new DomainError('partnership.not_found', 404, 'Gone.'))).toEqual({
      status: 404,
      name: 'partnership.not_found',
      body: {
        code: ERROR_CODES['partnership.not_found'],
        description: 'Gone.',
        data: [],
        source: 'relationships',
      },
    });
  });

  it('renders Partner Center’s documented numbers for its cases', () => {
    const code = (name: string, status: number) =>
      filter.toApiError(new DomainError(name, status, 'x')).body.code;
    expect(code('subscription.not_found', 404)).toBe(20003);
    expect(code('request.etag_mismatch', 412)).toBe(2055);
    expect(code('customer_agreement.confirmation_required', 403)).toBe(13605);
    expect(code('request.invalid', 400)).toBe(3000);
    expect(typeof code('customer.not_found', 404)).toBe('number');
  });

  it('answers a list as data, and a record of named facts as a one-element array', () => {
    const list = new DomainError('request.invalid', 400, 'Bad.', [{ path: 'a', message: 'm' }]);
    expect(filter.toApiError(list).body.data).toEqual([{ path: 'a', message: 'm' }]);
    const record = new DomainError('auth.forbidden', 403, 'No.', { permission: 'x' });
    expect(filter.toApiError(record).body.data).toEqual([{ permission: 'x' }]);
  });

  it('sends Retry-After for a 429 whose data carries retryAfterSeconds', () => {
    const headers: Record<string, string> = {};
    let sent: unknown;
    const reply = {
      header: (name: string, value: string) => ((headers[name] = value), reply),
      status: () => reply,
      send: (body: unknown) => ((sent = body), reply),
    };
    const host = { switchToHttp: () => ({ getResponse: () => reply }) };
    filter.catch(
      new DomainError('request.throttled', 429, 'Slow down.', { retryAfterSeconds: 7 }),
      host as never,
    );
    expect(headers['retry-after']).toBe('7');
    expect(sent).toMatchObject({
      code: ERROR_CODES['request.throttled'],
      data: [{ retryAfterSeconds: 7 }],
    });
  });

  it('maps an unknown route to 404 route.not_found (Partner Center 1000)', () => {
    expect(filter.toApiError(new NotFoundException())).toMatchObject({
      name: 'route.not_found',
      body: { code: 1000 },
    });
  });

  it('maps a write that lost a race on a unique constraint to 409, not 500', () => {
    const error = new UniqueConstraintViolationException(new Error('duplicate key value'));
    expect(filter.toApiError(error)).toMatchObject({
      status: 409,
      name: 'request.conflict',
      body: { code: ERROR_CODES['request.conflict'] },
    });
  });

  it('maps a parser error with a 4xx status (bad JSON, body too large) to that status', () => {
    const error = Object.assign(new Error('Body is too large'), { statusCode: 413 });
    expect(filter.toApiError(error)).toMatchObject({
      status: 413,
      name: 'request.too_large',
      body: { code: ERROR_CODES['request.too_large'] },
    });
  });

  it('hides internals of anything else behind a 500', () => {
    const { status, body } = filter.toApiError(new Error('connection string postgres://secret'));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('secret');
  });

  it('maps a database connection lost under the request to 503 dependency.unavailable, not 500', () => {
    const terminated = Object.assign(
      new Error('terminating connection due to administrator command'),
      { code: '57P01' },
    );
    for (const error of [
      new DriverException(terminated),
      new ConnectionException(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
      new DriverException(new Error('Connection terminated unexpectedly')),
      new Error('Client has encountered a connection error and is not queryable'),
    ]) {
      expect(filter.toApiError(error)).toMatchObject({
        status: 503,
        name: 'dependency.unavailable',
        body: { code: ERROR_CODES['dependency.unavailable'], data: [{ retryAfterSeconds: 1 }] },
      });
    }
    expect(filter.toApiError(new Error('something else')).status).toBe(500);
  });
});
