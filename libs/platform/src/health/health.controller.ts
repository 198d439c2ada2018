import { Controller, Get, Inject } from '@nestjs/common';
import { Transport } from '@nestjs/microservices';
import {
  HealthCheck,
  HealthCheckService,
  MicroserviceHealthIndicator,
  MikroOrmHealthIndicator,
} from '@nestjs/terminus';
import { redisOptionsFromUrl } from '../redis/redis-options';
import { Public } from '../http/public.decorator';
import { NotRateLimited } from '../throttling/rate-limited.decorator';
import { HEALTH_OPTIONS, HealthOptions } from './health.options';

/**
 * `GET /health`: 200 when the service's database and Redis answer, 503 otherwise
 * (terminus' `{ status, info, error, details }` body). Public: no token needed.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: MikroOrmHealthIndicator,
    private readonly microservice: MicroserviceHealthIndicator,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
  ) {}

  @Get()
  @Public()
  @NotRateLimited('probes of orchestrators and load balancers, every few seconds')
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 1500 }),
      () =>
        this.microservice.pingCheck('redis', {
          transport: Transport.REDIS,
          options: redisOptionsFromUrl(this.options.redisUrl),
          timeout: 1500,
        }),
    ]);
  }
}
