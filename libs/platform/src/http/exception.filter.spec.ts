import {
  ConnectionException,
  DriverException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { NotFoundException } from '@nestjs/common';
import { DomainError } from '../errors';
import { ApiExceptionFilter } from './exception.filter';

describe('ApiExceptionFilter', () => {
  const filter = new ApiExceptionFilter('relationships');

  it('keeps a domain error’s code and status', () => {
    expect(filter.toApiError(new DomainError('partnership.not_found', 404, 'Gone.'))).toEqual({
      status: 404,
      body: {
        code: 'partnership.not_found',
        description: 'Gone.',
        data: null,
        source: 'relationships',
      },
    });
  });

  it('maps an unknown route to 404 route.not_found', () => {
    expect(filter.toApiError(new NotFoundException()).body.code).toBe('route.not_found');
  });

  it('maps a write that lost a race on a unique constraint to 409, not 500', () => {
    const error = new UniqueConstraintViolationException(new Error('duplicate key value'));
    expect(filter.toApiError(error)).toMatchObject({
      status: 409,
      body: { code: 'request.conflict' },
    });
  });

  it('maps a parser error with a 4xx status (bad JSON, body too large) to that status', () => {
    const error = Object.assign(new Error('Body is too large'), { statusCode: 413 });
    expect(filter.toApiError(error)).toMatchObject({
      status: 413,
      body: { code: 'request.too_large' },
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
        body: { code: 'dependency.unavailable', data: { retryAfterSeconds: 1 } },
      });
    }
    expect(filter.toApiError(new Error('something else')).status).toBe(500);
  });
});
