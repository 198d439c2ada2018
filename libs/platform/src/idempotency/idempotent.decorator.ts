import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { IdempotentCall } from './idempotent-requests';

export const IDEMPOTENT_KEY = 'pcp:idempotent';

/**
 * Makes a create idempotent by `MS-RequestId` (Partner Center "Headers": "used for idempotency: on
 * timeout retry with the same value"; README "Idempotent creates"): a repeat of the same id by the
 * same tenant on the same route answers the first attempt's answer, with its status, for
 * `IDEMPOTENT_REQUEST_RETENTION_HOURS`; a repeat while the first is running answers 409
 * `request.in_progress`; the same id with another body answers 409 `request.id_reused`. A request
 * without an `MS-RequestId` of the caller's is not recorded. Needs `IdempotencyModule.forRoot` in
 * the service and its `idempotent_request` table.
 */
export const Idempotent = () => SetMetadata(IDEMPOTENT_KEY, true);

/**
 * The handler's {@link IdempotentCall} (checkpoint, derived ids), or null when the request carries
 * no `MS-RequestId` of the caller's.
 */
export const CurrentIdempotentCall = createParamDecorator(
  (_data: unknown, context: ExecutionContext): IdempotentCall | null =>
    context.switchToHttp().getRequest<{ idempotentCall?: IdempotentCall }>().idempotentCall ?? null,
);
