import { Controller, Get, Query } from '@nestjs/common';
import { ExecutionContext } from '@nestjs/common';
import { of } from 'rxjs';
import { DomainError } from '../errors';
import { QueryParametersInterceptor } from './query-parameters.interceptor';

@Controller()
class Routes {
  @Get('none')
  none(): string {
    return 'none';
  }

  @Get('whole')
  whole(@Query() query: unknown): unknown {
    return query;
  }

  @Get('one')
  one(@Query('token') token: unknown): unknown {
    return token;
  }
}

function contextOf(handler: keyof Routes, query: Record<string, unknown>): ExecutionContext {
  return {
    getType: () => 'http',
    getClass: () => Routes,
    getHandler: () => Routes.prototype[handler],
    switchToHttp: () => ({ getRequest: () => ({ query }) }),
  } as unknown as ExecutionContext;
}

describe('QueryParametersInterceptor', () => {
  const interceptor = new QueryParametersInterceptor();
  const next = { handle: () => of('handled') };

  it('refuses a query string on a route that declares no @Query: 400 request.invalid naming them', () => {
    let thrown: unknown;
    try {
      interceptor.intercept(contextOf('none', { tenantId: 'x', a: '1' }), next);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({
      code: 'request.invalid',
      status: 400,
      data: ['a', 'tenantId'],
    });
  });

  it('lets a route without @Query through when there is no query', () => {
    expect(() => interceptor.intercept(contextOf('none', {}), next)).not.toThrow();
  });

  it('leaves the query to a route that reads it, whole or one key', () => {
    expect(() => interceptor.intercept(contextOf('whole', { any: '1' }), next)).not.toThrow();
    expect(() => interceptor.intercept(contextOf('one', { token: 't' }), next)).not.toThrow();
  });
});
