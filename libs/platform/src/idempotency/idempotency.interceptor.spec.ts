import { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { lastValueFrom, of, throwError } from 'rxjs';
import { DomainError } from '../errors';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IDEMPOTENT_KEY } from './idempotent.decorator';
import {
  IdempotencyClaim,
  IdempotentRequests,
  idempotentRequestRetentionRule,
  uuidFrom,
} from './idempotent-requests';

function handler(idempotent = true) {
  const fn = () => undefined;
  if (idempotent) Reflect.defineMetadata(IDEMPOTENT_KEY, true, fn);
  return fn;
}

function contextOf(fn: object, headers: Record<string, string>, body: unknown = { a: 1 }) {
  const request = {
    raw: { headers },
    method: 'POST',
    url: '/v1/customers?x=1',
    body,
    caller: { tenantId: 'tenant-1' },
  } as Record<string, unknown>;
  const context = {
    getType: () => 'http',
    getHandler: () => fn,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
  return { context, request };
}

function storeAnswering(claim: IdempotencyClaim) {
  const store = {
    claim: jest.fn().mockResolvedValue(claim),
    complete: jest.fn().mockResolvedValue(undefined),
    release: jest.fn().mockResolvedValue(undefined),
    call: jest.fn().mockReturnValue({ checkpoint: null }),
  };
  return {
    store,
    interceptor: new IdempotencyInterceptor(
      new Reflector(),
      store as unknown as IdempotentRequests,
    ),
  };
}

const next = (value: unknown): CallHandler => ({ handle: () => of(value) });

describe('IdempotencyInterceptor', () => {
  it('claims the key (tenant, method and path, the caller’s id), runs the handler and stores its answer with 201', async () => {
    const { store, interceptor } = storeAnswering({ kind: 'claimed', checkpoint: null });
    const { context, request } = contextOf(handler(), { 'ms-requestid': 'r-1' });
    const answer = await lastValueFrom(await interceptor.intercept(context, next({ id: 'c' })));
    expect(answer).toEqual({ id: 'c' });
    const key = { tenantId: 'tenant-1', route: 'POST /v1/customers', requestId: 'r-1' };
    expect(store.claim).toHaveBeenCalledWith(key, expect.any(String));
    expect(store.complete).toHaveBeenCalledWith(key, 201, { id: 'c' });
    expect(request.idempotentCall).toEqual({ checkpoint: null });
  });

  it('answers the stored answer without running the handler', async () => {
    const { store, interceptor } = storeAnswering({
      kind: 'replay',
      status: 201,
      body: { id: 'first' },
    });
    const { context } = contextOf(handler(), { 'ms-requestid': 'r-1' });
    const run = jest.fn(() => of({ id: 'second' }));
    const answer = await lastValueFrom(await interceptor.intercept(context, { handle: run }));
    expect(answer).toEqual({ id: 'first' });
    expect(run).not.toHaveBeenCalled();
    expect(store.complete).not.toHaveBeenCalled();
  });

  it.each<[IdempotencyClaim['kind'], string]>([
    ['in_progress', 'request.in_progress'],
    ['reused', 'request.id_reused'],
  ])('refuses a key %s with 409 %s', async (kind, code) => {
    const { interceptor } = storeAnswering({ kind } as IdempotencyClaim);
    const { context } = contextOf(handler(), { 'ms-requestid': 'r-1' });
    const refusal = interceptor.intercept(context, next({}));
    await expect(refusal).rejects.toBeInstanceOf(DomainError);
    await expect(refusal).rejects.toMatchObject({ code, status: 409 });
  });

  it('releases the claim when the handler fails, and rethrows', async () => {
    const { store, interceptor } = storeAnswering({ kind: 'claimed', checkpoint: 'kept' });
    const { context } = contextOf(handler(), { 'ms-requestid': 'r-1' });
    const failing: CallHandler = { handle: () => throwError(() => new Error('boom')) };
    await expect(lastValueFrom(await interceptor.intercept(context, failing))).rejects.toThrow(
      'boom',
    );
    expect(store.release).toHaveBeenCalled();
    expect(store.complete).not.toHaveBeenCalled();
  });

  it('records nothing for a request without the caller’s MS-RequestId, or a route not marked', async () => {
    const { store, interceptor } = storeAnswering({ kind: 'claimed', checkpoint: null });
    await lastValueFrom(await interceptor.intercept(contextOf(handler(), {}).context, next({})));
    await lastValueFrom(
      await interceptor.intercept(
        contextOf(handler(false), { 'ms-requestid': 'r' }).context,
        next({}),
      ),
    );
    expect(store.claim).not.toHaveBeenCalled();
  });
});

describe('idempotency helpers', () => {
  it('derives the same UUID from the same text, another from another', () => {
    const id = uuidFrom('a');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFrom('a')).toBe(id);
    expect(uuidFrom('b')).not.toBe(id);
  });

  it('purges records past the retention, in seconds', () => {
    expect(idempotentRequestRetentionRule(24)).toMatchObject({
      name: 'idempotent_request',
      retentionSeconds: 86_400,
    });
  });
});
