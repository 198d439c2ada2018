import { CallHandler, ExecutionContext, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CLS_CTX, ClsService } from 'nestjs-cls';
import { Observable, firstValueFrom, of } from 'rxjs';
import { RequestContext, RequestContextInterceptor, RequestContextModule } from './request-context';

function httpContext(headers: Record<string, string>, caller?: object): ExecutionContext {
  const request = { raw: { headers }, caller };
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('RequestContextInterceptor', () => {
  let cls: ClsService;
  let context: RequestContext;
  let interceptor: RequestContextInterceptor;
  let app: INestApplicationContext;

  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(RequestContextModule.forRoot(), {
      logger: false,
    });
    cls = app.get(ClsService);
    context = app.get(RequestContext);
    interceptor = new RequestContextInterceptor(cls);
  });

  afterAll(() => app.close());

  it('runs the handler inside a store with the request’s ids, caller and execution context', async () => {
    const execution = httpContext(
      { 'ms-requestid': 'request-1', 'ms-correlationid': 'correlation-1' },
      { userId: 'user-1', tenantId: 'tenant-1', roles: ['admin'] },
    );
    const handler: CallHandler = {
      handle: () => of({ state: context.current(), ctx: cls.get<unknown>(CLS_CTX) }),
    };
    const seen = await firstValueFrom(interceptor.intercept(execution, handler));
    expect(seen).toEqual({
      state: {
        requestId: 'request-1',
        correlationId: 'correlation-1',
        caller: { userId: 'user-1', tenantId: 'tenant-1' },
      },
      ctx: execution,
    });
    // Outside the request nothing is left behind.
    expect(cls.isActive()).toBe(false);
    expect(context.current()).toEqual({ requestId: null, correlationId: null, caller: null });
  });

  it('gives each request a store of its own, also across their awaits', async () => {
    const handlerFor = (): CallHandler => ({
      handle: () =>
        new Observable((subscriber) => {
          setTimeout(() => {
            subscriber.next(context.current().requestId);
            subscriber.complete();
          }, 5);
        }),
    });
    const [a, b] = await Promise.all([
      firstValueFrom(interceptor.intercept(httpContext({ 'ms-requestid': 'a' }), handlerFor())),
      firstValueFrom(interceptor.intercept(httpContext({ 'ms-requestid': 'b' }), handlerFor())),
    ]);
    expect([a, b]).toEqual(['a', 'b']);
  });

  it('answers null ids and caller for a message handler', async () => {
    const rpc = { getType: () => 'rpc' } as unknown as ExecutionContext;
    const seen = await firstValueFrom(
      interceptor.intercept(rpc, { handle: () => of(context.current()) }),
    );
    expect(seen).toEqual({ requestId: null, correlationId: null, caller: null });
  });

  it('passes the handler’s error on and unsubscribes it when the caller does', async () => {
    const failing: CallHandler = {
      handle: () => new Observable((subscriber) => subscriber.error(new Error('refused'))),
    };
    await expect(firstValueFrom(interceptor.intercept(httpContext({}), failing))).rejects.toThrow(
      'refused',
    );

    let tornDown = false;
    const endless: CallHandler = {
      handle: () =>
        new Observable(() => () => {
          tornDown = true;
        }),
    };
    interceptor.intercept(httpContext({}), endless).subscribe().unsubscribe();
    expect(tornDown).toBe(true);
  });
});
