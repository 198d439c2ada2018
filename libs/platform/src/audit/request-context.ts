import { DynamicModule, ExecutionContext, Injectable, Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { ClsModule, ClsService } from 'nestjs-cls';
import { correlationIdOf, requestIdOf } from '../http/logging';

/** Who is signed in, as the auth guard put it on the request (a subset of `@app/auth`'s Caller). */
export interface ContextCaller {
  userId: string;
  tenantId: string;
}

/** What {@link RequestContext} knows about the request being served. */
export interface RequestContextState {
  /** `MS-RequestId` of the API request (echoed on its response); null outside an HTTP request. */
  requestId: string | null;
  /** `MS-CorrelationId` of the API request; null outside an HTTP request. */
  correlationId: string | null;
  /** The verified caller of an authenticated route; null on public routes and in jobs. */
  caller: ContextCaller | null;
}

const STATE_KEY = 'pcp:request-context';

function stateOf(context: ExecutionContext): RequestContextState {
  if (context.getType() !== 'http') return { requestId: null, correlationId: null, caller: null };
  const request = context
    .switchToHttp()
    .getRequest<{ raw?: IncomingMessage; caller?: ContextCaller }>();
  const raw = request.raw;
  return {
    requestId: raw ? requestIdOf(raw) : null,
    correlationId: raw ? correlationIdOf(raw) : null,
    caller: request.caller
      ? { userId: request.caller.userId, tenantId: request.caller.tenantId }
      : null,
  };
}

/**
 * The request being served, readable anywhere below a controller or message handler without
 * passing it down (used by the audit trail: who, request and correlation ids). Outside a request
 * (jobs, timers) every field is null.
 */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService) {}

  /** The current request's ids and caller; all null outside a request. */
  current(): RequestContextState {
    const state = this.cls.isActive()
      ? this.cls.get<RequestContextState | undefined>(STATE_KEY)
      : undefined;
    return state ?? { requestId: null, correlationId: null, caller: null };
  }
}

/**
 * The request context (nestjs-cls, async local storage) mounted as a global interceptor, so it runs
 * after the guards and sees the caller the auth guard verified; provides {@link RequestContext}.
 * A library module like the ORM's: import `RequestContextModule.forRoot()` once in each service's
 * root module.
 */
@Module({})
export class RequestContextModule {
  static forRoot(): DynamicModule {
    return {
      module: RequestContextModule,
      global: true,
      imports: [
        ClsModule.forRoot({
          global: true,
          interceptor: {
            mount: true,
            setup: (cls: ClsService, context: ExecutionContext) => {
              cls.set(STATE_KEY, stateOf(context));
            },
          },
        }),
      ],
      providers: [RequestContext],
      exports: [RequestContext],
    };
  }
}
