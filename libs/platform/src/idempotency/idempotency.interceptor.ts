import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
  RequestMethod,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { catchError, from, mergeMap, Observable, of, throwError } from 'rxjs';
import { DomainError } from '../errors';
import { requestIdOf, requestIdWasSent } from '../http/logging';
import { IDEMPOTENT_KEY } from './idempotent.decorator';
import {
  bodyHashOf,
  IdempotencyKey,
  IdempotentCall,
  IdempotentRequests,
} from './idempotent-requests';

interface IdempotentHttpRequest {
  raw?: IncomingMessage;
  method: string;
  url: string;
  body?: unknown;
  caller?: { tenantId: string };
  idempotentCall?: IdempotentCall;
}

/**
 * Runs the routes marked {@link Idempotent}: claims the key before the handler (one statement),
 * stores the answer after it (one statement), answers a repeat from the store. Other routes pass
 * through untouched. Mounted by `IdempotencyModule` after the guards, so it knows the caller.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotentRequests,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const handler = context.getHandler();
    if (!this.reflector.get<boolean>(IDEMPOTENT_KEY, handler)) return next.handle();
    const request = context.switchToHttp().getRequest<IdempotentHttpRequest>();
    if (!request.caller || !request.raw || !requestIdWasSent(request.raw)) return next.handle();
    const key: IdempotencyKey = {
      tenantId: request.caller.tenantId,
      route: `${request.method} ${request.url.split('?')[0]}`,
      requestId: requestIdOf(request.raw),
    };
    const claim = await this.store.claim(key, bodyHashOf(request.body));
    if (claim.kind === 'replay') {
      context
        .switchToHttp()
        .getResponse<{ status?: (code: number) => unknown }>()
        .status?.(claim.status);
      return of(claim.body);
    }
    if (claim.kind === 'in_progress') {
      throw new DomainError(
        'request.in_progress',
        409,
        'A request with this MS-RequestId is still being processed. Retry it in a few seconds with the same MS-RequestId.',
      );
    }
    if (claim.kind === 'reused') {
      throw new DomainError(
        'request.id_reused',
        409,
        'This MS-RequestId was already used for a request with another body. Send a new MS-RequestId.',
      );
    }
    request.idempotentCall = this.store.call(key, claim.checkpoint);
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler) ??
      (request.method === RequestMethod[RequestMethod.POST] ? HttpStatus.CREATED : HttpStatus.OK);
    return next.handle().pipe(
      mergeMap((body: unknown) => from(this.store.complete(key, status, body).then(() => body))),
      catchError((error: unknown) =>
        from(this.store.release(key)).pipe(mergeMap(() => throwError(() => error))),
      ),
    );
  }
}
