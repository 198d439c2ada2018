import { Controller, ExecutionContext, Get, Query } from '@nestjs/common';
import { firstValueFrom, of } from 'rxjs';
import { DomainError } from '../errors';
import { PagingInterceptor } from './paging.interceptor';

@Controller()
class Routes {
  @Get('things')
  list(@Query() query: unknown): unknown {
    return query;
  }

  @Get('one')
  one(): string {
    return 'one';
  }
}

function contextOf(
  handler: keyof Routes,
  url: string,
  query: Record<string, unknown>,
  headers: Record<string, string> = {},
): ExecutionContext {
  return {
    getType: () => 'http',
    getClass: () => Routes,
    getHandler: () => Routes.prototype[handler],
    switchToHttp: () => ({ getRequest: () => ({ url, query, headers }) }),
  } as unknown as ExecutionContext;
}

const COLLECTION = {
  totalCount: 0,
  items: [],
  links: {},
  attributes: { objectType: 'Collection' },
};

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('PagingInterceptor', () => {
  const interceptor = new PagingInterceptor();

  it('turns seekOperation=Next with MS-ContinuationToken into the seek cursor, and links self to the request', async () => {
    const query: Record<string, unknown> = { size: '1', seekOperation: 'Next' };
    const url = '/v1/things?size=1&seekOperation=Next';
    const answer = await firstValueFrom(
      interceptor.intercept(contextOf('list', url, query, { 'ms-continuationtoken': 'abc' }), {
        handle: () => of(COLLECTION),
      }),
    );
    expect(query).toEqual({ size: '1', seek: 'abc' });
    expect(answer).toEqual({
      ...COLLECTION,
      links: {
        self: { uri: url, method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: 'abc' }] },
      },
    });
  });

  it('links self without headers on a first page, and leaves other bodies alone', async () => {
    const first = await firstValueFrom(
      interceptor.intercept(contextOf('list', '/v1/things', {}), { handle: () => of(COLLECTION) }),
    );
    expect(first).toMatchObject({ links: { self: { uri: '/v1/things', headers: [] } } });
    const other = await firstValueFrom(
      interceptor.intercept(contextOf('list', '/v1/things', {}), { handle: () => of({ id: 'x' }) }),
    );
    expect(other).toEqual({ id: 'x' });
  });

  it.each(['Previous', 'First', 'Last', 'PageIndex', 'sideways'])(
    'refuses seekOperation=%s with 400 naming seekOperation',
    (operation) => {
      const error = refusal(() =>
        interceptor.intercept(
          contextOf(
            'list',
            '/v1/things',
            { seekOperation: operation },
            { 'ms-continuationtoken': 'a' },
          ),
          { handle: () => of(COLLECTION) },
        ),
      );
      expect(error).toMatchObject({ code: 'request.invalid', status: 400 });
      expect(error.message).toContain('seekOperation');
    },
  );

  it('refuses seekOperation=Next without the token header, or with seek as well', () => {
    const missing = refusal(() =>
      interceptor.intercept(contextOf('list', '/v1/things', { seekOperation: 'Next' }), {
        handle: () => of(COLLECTION),
      }),
    );
    expect(missing.message).toContain('MS-ContinuationToken');
    const twice = refusal(() =>
      interceptor.intercept(
        contextOf(
          'list',
          '/v1/things',
          { seekOperation: 'Next', seek: 'b' },
          { 'ms-continuationtoken': 'a' },
        ),
        { handle: () => of(COLLECTION) },
      ),
    );
    expect(twice.message).toContain('seek');
  });
});
