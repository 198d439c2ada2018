import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors';
import {
  RATE_LIMITS_KEY,
  RATE_LIMIT_OPTIONS,
  RateLimitDeclaration,
  RateLimitExemption,
  RateLimitOptions,
  RateLimitTargets,
} from './rate-limit.options';
import { addressThrottleKey, normaliseTarget, targetThrottleKey } from './rate-limit-keys';
import { ThrottleStore } from './throttle-store';

/** Longest target value counted (longer strings are cut before hashing; validation refuses them). */
const MAX_TARGET_LENGTH = 1024;

/** The string at a dotted `path` of `source`, if there is one. */
function stringAt(source: unknown, path: string): string | undefined {
  let current: unknown = source;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return typeof current === 'string' ? current : undefined;
}

/**
 * The distinct, normalised targets a request names at the declared paths (empty strings and
 * missing or non-string fields are not targets).
 */
export function requestTargets(
  request: { body?: unknown; query?: unknown },
  targets: RateLimitTargets,
): string[] {
  const found = [
    ...(targets.body ?? []).map((path) => stringAt(request.body, path)),
    ...(targets.query ?? []).map((path) => stringAt(request.query, path)),
  ]
    .filter((value): value is string => value !== undefined)
    .map((value) => normaliseTarget(value.slice(0, MAX_TARGET_LENGTH)))
    .filter((value) => value !== '');
  return [...new Set(found)];
}

/** 429 `request.throttled` with `data.retryAfterSeconds` (the API error filter adds `Retry-After`). */
function throttled(description: string, retryAfterSeconds: number): DomainError {
  const seconds = Math.max(1, retryAfterSeconds);
  return new DomainError('request.throttled', 429, `${description}: retry in ${seconds} seconds.`, {
    retryAfterSeconds: seconds,
  });
}

/**
 * The guard behind `@RateLimited(tier, targets)`: counts the request against its client address
 * (Fastify's `request.ip`, which honours `TRUST_PROXY`) and route, then, if the address is within
 * its limit, against each target the request names (an email, a domain, a token) and route, in
 * the Redis store every instance shares. Over a limit: 429 `request.throttled` with
 * `data.retryAfterSeconds` and `Retry-After`. A request refused for its address is not counted
 * against its targets (one address cannot use up an email's allowance). The store being away
 * answers 503 `dependency.unavailable`. Routes without a declaration pass.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: ThrottleStore,
    @Inject(RATE_LIMIT_OPTIONS) private readonly options: RateLimitOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const declared = this.reflector.getAllAndOverride<
      RateLimitDeclaration | RateLimitExemption | undefined
    >(RATE_LIMITS_KEY, [context.getHandler(), context.getClass()]);
    if (!declared || 'exempt' in declared) return true;
    const route = `${context.getClass().name}.${context.getHandler().name}`;
    const tier = this.options.tiers[declared.tier];
    if (!tier) {
      throw new Error(`${route} declares the rate limit tier "${declared.tier}", not configured`);
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const windowMs = tier.windowSeconds * 1000;

    const address = await this.count(
      addressThrottleKey(route, request.ip),
      'address',
      tier.addressLimit,
      windowMs,
    );
    if (address.isBlocked) {
      throw throttled('Too many requests from your address', address.timeToBlockExpire);
    }
    const targetLimit = tier.targetLimit;
    if (targetLimit === undefined) return true;
    const counts = await Promise.all(
      requestTargets(request, declared.targets).map((target) =>
        this.count(targetThrottleKey(route, target), 'target', targetLimit, windowMs),
      ),
    );
    const blocked = counts.filter((count) => count.isBlocked);
    if (blocked.length > 0) {
      throw throttled(
        'Too many requests for the same email address, domain or link',
        Math.max(...blocked.map((count) => count.timeToBlockExpire)),
      );
    }
    return true;
  }

  private count(key: string, name: string, limit: number, windowMs: number) {
    return this.store.guarded(() =>
      this.store.storage.increment(key, windowMs, limit, windowMs, name),
    );
  }
}
