import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { IdempotentCall } from './idempotent-requests';

export const IDEMPOTENT_KEY = 'pcp:idempotent';

/** How a route marked {@link Idempotent} keeps its answer. */
export interface IdempotentOptions {
  /**
   * The create makes all its writes in one statement (or one transaction) and records its answer
   * there itself, with {@link IdempotentCall.recordSql}: the key is not claimed beforehand, so an
   * attempt cut off by a crash leaves nothing behind and a retry on another instance runs at once,
   * and an attempt that committed is always answered from its record (never run twice). Two
   * attempts at the same moment: the second waits on the first's record, then answers it. Default
   * false: claim, run, store (creates that call other services and keep checkpoints).
   */
  inStatement?: boolean;
}

/**
 * Makes a create idempotent by `MS-RequestId` (Partner Center "Headers": "used for idempotency: on
 * timeout retry with the same value"; README "Idempotent creates"): a repeat of the same id by the
 * same tenant on the same route answers the first attempt's answer, with its status, for
 * `IDEMPOTENT_REQUEST_RETENTION_HOURS`; a repeat while the first is running answers 409
 * `request.in_progress`; the same id with another body answers 409 `request.id_reused`. A request
 * without an `MS-RequestId` of the caller's is not recorded. Needs `IdempotencyModule.forRoot` in
 * the service and its `idempotent_request` table.
 */
export const Idempotent = (options: IdempotentOptions = {}) =>
  SetMetadata(IDEMPOTENT_KEY, { inStatement: options.inStatement ?? false });

/**
 * The handler's {@link IdempotentCall} (checkpoint, derived ids), or null when the request carries
 * no `MS-RequestId` of the caller's.
 */
export const CurrentIdempotentCall = createParamDecorator(
  (_data: unknown, context: ExecutionContext): IdempotentCall | null =>
    context.switchToHttp().getRequest<{ idempotentCall?: IdempotentCall }>().idempotentCall ?? null,
);
