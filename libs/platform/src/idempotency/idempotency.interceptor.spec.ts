import { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { lastValueFrom, of, throwError } from 'rxjs';
import { DomainError } from '../errors';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IDEMPOTENT_KEY } from './idempotent.decorator';
import {
  IdempotencyClaim,
  IdempotencyLookup,
  IdempotentRequests,
  isIdempotentRecordConflict,
  idempotentRequestRetentionRule,
  uuidFrom,
} from './idempotent-requests';

function handler(idempotent = true, inStatement = false) {
  const fn = () => undefined;
  if (idempotent) Reflect.defineMetadata(IDEMPOTENT_KEY, { inStatement }, fn);
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

function storeAnswering(claim: IdempotencyClaim, lookups: IdempotencyLookup[] = []) {
  const lookup = jest.fn();
  for (const found of lookups) lookup.mockResolvedValueOnce(found);
  const statementCall = { recorded: false, inStatement: true };
  const store = {
    claim: jest.fn().mockResolvedValue(claim),
    lookup,
    record: jest.fn().mockResolvedValue(undefined),
    statementCall: jest.fn().mockReturnValue(statementCall),
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

describe('IdempotencyInterceptor, a route recording its answer in its own statement', () => {
  const key = { tenantId: 'tenant-1', route: 'POST /v1/customers', requestId: 'r-1' };
  const conflict = Object.assign(new Error('duplicate key'), {
    code: '23505',
    constraint: 'idempotent_request_pkey',
  });

  it('claims nothing, hands the handler a call that records in its statement, and records nothing more when it did', async () => {
    const { store, interceptor } = storeAnswering({ kind: 'in_progress' }, [{ kind: 'new' }]);
    const { context, request } = contextOf(handler(true, true), { 'ms-requestid': 'r-1' });
    const run: CallHandler = {
      handle: () => {
        (request.idempotentCall as { recorded: boolean }).recorded = true;
        return of({ id: 'c' });
      },
    };
    expect(await lastValueFrom(await interceptor.intercept(context, run))).toEqual({ id: 'c' });
    expect(store.claim).not.toHaveBeenCalled();
    expect(store.statementCall).toHaveBeenCalledWith(key, expect.any(String));
    expect(store.record).not.toHaveBeenCalled();
  });

  it('records the answer itself when the handler wrote it nowhere', async () => {
    const { store, interceptor } = storeAnswering({ kind: 'in_progress' }, [{ kind: 'new' }]);
    const { context } = contextOf(handler(true, true), { 'ms-requestid': 'r-1' });
    await lastValueFrom(await interceptor.intercept(context, next({ id: 'c' })));
    expect(store.record).toHaveBeenCalledWith(key, expect.any(String), 201, { id: 'c' });
  });

  it('answers the record of an attempt that committed first (its statement failed on the key: nothing of it was written)', async () => {
    const { interceptor } = storeAnswering({ kind: 'in_progress' }, [
      { kind: 'new' },
      { kind: 'replay', status: 201, body: { id: 'first' } },
    ]);
    const { context } = contextOf(handler(true, true), { 'ms-requestid': 'r-1' });
    const failing: CallHandler = { handle: () => throwError(() => ({ cause: conflict })) };
    expect(await lastValueFrom(await interceptor.intercept(context, failing))).toEqual({
      id: 'first',
    });
  });

  it('refuses the id with another body found after the conflict, and passes other failures on', async () => {
    const { interceptor } = storeAnswering({ kind: 'in_progress' }, [
      { kind: 'new' },
      { kind: 'reused' },
      { kind: 'new' },
    ]);
    const first = contextOf(handler(true, true), { 'ms-requestid': 'r-1' });
    await expect(
      lastValueFrom(
        await interceptor.intercept(first.context, { handle: () => throwError(() => conflict) }),
      ),
    ).rejects.toMatchObject({ code: 'request.id_reused', status: 409 });
    const second = contextOf(handler(true, true), { 'ms-requestid': 'r-1' });
    await expect(
      lastValueFrom(
        await interceptor.intercept(second.context, {
          handle: () => throwError(() => new Error('boom')),
        }),
      ),
    ).rejects.toThrow('boom');
  });

  it('recognises only the unique violation of the record’s own key', () => {
    expect(isIdempotentRecordConflict(conflict)).toBe(true);
    expect(isIdempotentRecordConflict({ cause: conflict })).toBe(true);
    expect(isIdempotentRecordConflict({ code: '23505', constraint: 'invitation_pkey' })).toBe(
      false,
    );
    expect(isIdempotentRecordConflict(new Error('x'))).toBe(false);
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
