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
import { IDEMPOTENT_KEY, IdempotentOptions } from './idempotent.decorator';
import {
  bodyHashOf,
  IdempotencyClaim,
  IdempotencyKey,
  IdempotentCall,
  IdempotentRequests,
  isIdempotentRecordConflict,
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
 * Runs the routes marked {@link Idempotent}. A claiming route: claims the key before the handler
 * (one statement), stores the answer after it (one statement), answers a repeat from the store. A
 * route recording in its statement: looks the key up (one statement), runs the handler, whose
 * statement records the answer with its writes; when another attempt recorded first, answers that
 * record. Other routes pass through untouched. Mounted by `IdempotencyModule` after the guards, so
 * it knows the caller.
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
    const options = this.reflector.get<IdempotentOptions | undefined>(IDEMPOTENT_KEY, handler);
    if (!options) return next.handle();
    const request = context.switchToHttp().getRequest<IdempotentHttpRequest>();
    if (!request.caller || !request.raw || !requestIdWasSent(request.raw)) return next.handle();
    const key: IdempotencyKey = {
      tenantId: request.caller.tenantId,
      route: `${request.method} ${request.url.split('?')[0]}`,
      requestId: requestIdOf(request.raw),
    };
    const bodyHash = bodyHashOf(request.body);
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler) ??
      (request.method === RequestMethod[RequestMethod.POST] ? HttpStatus.CREATED : HttpStatus.OK);
    if (options.inStatement) return this.inStatement(context, next, key, bodyHash, status);

    const claim = await this.store.claim(key, bodyHash);
    if (claim.kind !== 'claimed') return this.answer(context, claim);
    request.idempotentCall = this.store.call(key, claim.checkpoint);
    return next.handle().pipe(
      mergeMap((body: unknown) => from(this.store.complete(key, status, body).then(() => body))),
      catchError((error: unknown) =>
        from(this.store.release(key)).pipe(mergeMap(() => throwError(() => error))),
      ),
    );
  }

  /** A route that records its answer in its own statement (`@Idempotent({ inStatement: true })`). */
  private async inStatement(
    context: ExecutionContext,
    next: CallHandler,
    key: IdempotencyKey,
    bodyHash: string,
    status: number,
  ): Promise<Observable<unknown>> {
    const found = await this.store.lookup(key, bodyHash);
    if (found.kind !== 'new') return this.answer(context, found);
    const call = this.store.statementCall(key, bodyHash);
    context.switchToHttp().getRequest<IdempotentHttpRequest>().idempotentCall = call;
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        call.recorded
          ? of(body)
          : from(this.store.record(key, bodyHash, status, body).then(() => body)),
      ),
      catchError((error: unknown) => {
        if (!isIdempotentRecordConflict(error)) return throwError(() => error);
        // Another attempt with this MS-RequestId committed first: nothing of this one was written.
        return from(this.store.lookup(key, bodyHash)).pipe(
          mergeMap((again) =>
            again.kind === 'new' ? throwError(() => error) : this.answer(context, again),
          ),
        );
      }),
    );
  }

  /**
   * The answer for a key that is not this attempt's to run: the stored answer with its status.
   * @throws 409 `request.in_progress` (an attempt still running), 409 `request.id_reused` (the key
   *   first came with another body).
   */
  private answer(
    context: ExecutionContext,
    found: Exclude<IdempotencyClaim, { kind: 'claimed' }>,
  ): Observable<unknown> {
    if (found.kind === 'replay') {
      context
        .switchToHttp()
        .getResponse<{ status?: (code: number) => unknown }>()
        .status?.(found.status);
      return of(found.body);
    }
    if (found.kind === 'in_progress') {
      throw new DomainError(
        'request.in_progress',
        409,
        'A request with this MS-RequestId is still being processed. Retry it in a few seconds with the same MS-RequestId.',
      );
    }
    throw new DomainError(
      'request.id_reused',
      409,
      'This MS-RequestId was already used for a request with another body. Send a new MS-RequestId.',
    );
  }
}
