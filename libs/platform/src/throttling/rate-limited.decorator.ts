import { SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import { RateLimitGuard } from './rate-limit.guard';
import {
  RATE_LIMITS_KEY,
  RateLimitDeclaration,
  RateLimitExemption,
  RateLimitTargets,
  RateLimitTierName,
} from './rate-limit.options';

/**
 * Declares a public route's rate limits: every request counts against its client address and
 * route, and (tier `public`) against each target it names at `targets` (the email it sends to,
 * the domain it claims, the token it spends) and route; over a limit it is answered 429
 * `request.throttled` with `Retry-After`. The service's module must import
 * `RateLimitsModule.forRoot(…)` (global). Example, a public route that emails `body.email`:
 *
 * ```ts
 * @Post('password-reset')
 * @Public()
 * @RateLimited('public', { body: ['email'] })
 * ```
 */
export function RateLimited(
  tier: RateLimitTierName,
  targets: RateLimitTargets = {},
): MethodDecorator & ClassDecorator {
  const declaration: RateLimitDeclaration = { tier, targets };
  return applyDecorators(SetMetadata(RATE_LIMITS_KEY, declaration), UseGuards(RateLimitGuard));
}

/**
 * Declares that a public route has no rate limit, and why (health probes, the JWKS). Every
 * `@Public()` route declares one or the other (test/unit/route-access.spec.ts).
 */
export function NotRateLimited(reason: string): MethodDecorator & ClassDecorator {
  const exemption: RateLimitExemption = { exempt: reason };
  return SetMetadata(RATE_LIMITS_KEY, exemption);
}
