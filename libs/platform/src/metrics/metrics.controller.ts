import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/public.decorator';
import { NotRateLimited } from '../throttling/rate-limited.decorator';
import { MetricsRegistry } from './metrics.registry';

/**
 * `GET /metrics`: the process's Prometheus metrics in the text exposition format (see
 * `MetricsRegistry`). Public like `/health`: it is scraped on the service's own port from the
 * operator's network and carries no organisation's data (counts and latencies only); an edge in
 * front of the API must not route it.
 */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @Public()
  @NotRateLimited('scraped by Prometheus every few seconds from the operator network')
  @Header('cache-control', 'no-store')
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const body = await this.metrics.exposition();
    await reply.header('content-type', this.metrics.contentType).send(body);
  }
}
