import { ExecutionContext, HttpException, Injectable, Logger } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import { DomainError } from '@app/platform';
import { addressThrottleKey } from './throttle-keys';

/** Name of the per-address throttler (see `SignInThrottlingModule`). */
export const ADDRESS_THROTTLER = 'address';

/**
 * `@nestjs/throttler`'s guard on the public sign-in, refresh and sign-out routes: at most
 * `AUTH_ADDRESS_LIMIT` requests per client address (Fastify's `request.ip`, which honours
 * `TRUST_PROXY`) and route within `AUTH_ADDRESS_WINDOW_SECONDS`, counted in the Redis store every
 * instance shares. Over the limit: 429 `request.throttled` with `data.retryAfterSeconds` and a
 * `Retry-After` header (set by the API error filter). The store being away answers 503
 * `dependency.unavailable`.
 */
@Injectable()
export class AddressThrottlerGuard extends ThrottlerGuard {
  private readonly log = new Logger(AddressThrottlerGuard.name);

  protected override generateKey(context: ExecutionContext, tracker: string): string {
    return addressThrottleKey(`${context.getClass().name}.${context.getHandler().name}`, tracker);
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(request);
    } catch (error) {
      if (error instanceof DomainError || error instanceof HttpException) throw error;
      this.log.warn(`throttle store: ${(error as Error)?.message ?? String(error)}`);
      throw new DomainError(
        'dependency.unavailable',
        503,
        'Sign-in is unavailable for a moment: its rate limits cannot be checked. Retry later.',
      );
    }
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfterSeconds = Math.max(1, detail.timeToBlockExpire);
    throw new DomainError(
      'request.throttled',
      429,
      `Too many requests from your address: retry in ${retryAfterSeconds} seconds.`,
      { retryAfterSeconds },
    );
  }
}
