import { Controller, Get, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  MikroOrmHealthIndicator,
} from '@nestjs/terminus';
import Redis from 'ioredis';
import { redisOptionsFromUrl } from '../redis/redis-options';
import { Public } from '../http/public.decorator';
import { NotRateLimited } from '../throttling/rate-limited.decorator';
import { HEALTH_OPTIONS, HealthOptions } from './health.options';

const PROBE_TIMEOUT_MS = 1500;

/**
 * Redis as the readiness probe sees it: one connection for the life of the process (not one per
 * probe), which fails fast instead of queueing commands while Redis is away.
 */
@Injectable()
export class RedisProbe implements OnApplicationShutdown {
  private readonly redis: Redis;

  constructor(
    @Inject(HEALTH_OPTIONS) options: HealthOptions,
    private readonly indicators: HealthIndicatorService,
  ) {
    this.redis = new Redis({
      ...redisOptionsFromUrl(options.redisUrl),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: PROBE_TIMEOUT_MS,
    });
    this.redis.on('error', () => undefined);
  }

  /** `{ redis: { status: 'up' } }`, or down with the reason. */
  async check() {
    const indicator = this.indicators.check('redis');
    try {
      if (this.redis.status === 'wait') await this.redis.connect();
      await Promise.race([
        this.redis.ping(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS).unref(),
        ),
      ]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
    await Promise.resolve();
  }
}

/**
 * Health probes (terminus' `{ status, info, error, details }` body), public and not rate limited,
 * kept out of the request log:
 * - `GET /health/live`: liveness, 200 while the process serves HTTP (restart it otherwise);
 * - `GET /health/ready`: readiness, 200 when the service's database and Redis answer, 503
 *   otherwise (take it out of the load balancer meanwhile);
 * - `GET /health`: the same as readiness (compose's healthchecks and older probes).
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: MikroOrmHealthIndicator,
    private readonly redis: RedisProbe,
  ) {}

  @Get()
  @Public()
  @NotRateLimited('probes of orchestrators and load balancers, every few seconds')
  @HealthCheck()
  check() {
    return this.readiness();
  }

  @Get('ready')
  @Public()
  @NotRateLimited('probes of orchestrators and load balancers, every few seconds')
  @HealthCheck()
  ready() {
    return this.readiness();
  }

  @Get('live')
  @Public()
  @NotRateLimited('probes of orchestrators and load balancers, every few seconds')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  private readiness() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: PROBE_TIMEOUT_MS }),
      () => this.redis.check(),
    ]);
  }
}
