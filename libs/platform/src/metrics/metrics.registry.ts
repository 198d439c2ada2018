import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { redisOptionsFromUrl } from '../redis/redis-options';
import { rpcCallsTotal, rpcHandledTotal } from '../rpc/rpc-metrics';

/** What a service's metrics cover besides HTTP and the process. */
export interface MetricsOptions {
  /** `service` label on every series (identity, relationships, notifications). */
  service: string;
  /** BullMQ queues whose depth the service exports (the queues it consumes). */
  queues: { redisUrl: string; prefix: string; names: string[] };
}

export const METRICS_OPTIONS = Symbol('METRICS_OPTIONS');

/** Upper bounds of the HTTP latency histogram, in seconds (1 ms to 10 s). */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The Prometheus metrics of one process (issue 13 goal 5 "Observable"), in prom-client's registry:
 * Node's default process metrics, `http_request_duration_seconds{method,route,status_code}` (the
 * route as registered, e.g. `/v1/customers/:customerId`, never the raw URL), whatever the
 * service's features register (outbox backlog and relay lag, emails delivered/failed/skipped),
 * request/response calls made and handled (`rpc_calls_total`, `rpc_handled_total`), and BullMQ's
 * own Prometheus export of the queues the service consumes (jobs by state). Every series carries
 * `service`.
 */
@Injectable()
export class MetricsRegistry implements OnApplicationShutdown {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly queues: Queue[];

  constructor(private readonly options: MetricsOptions) {
    this.registry.setDefaultLabels({ service: options.service });
    collectDefaultMetrics({ register: this.registry });
    this.registry.registerMetric(rpcHandledTotal);
    this.registry.registerMetric(rpcCallsTotal);
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route, from the request to the end of the response, in seconds.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: HTTP_BUCKETS,
      registers: [this.registry],
    });
    this.queues = options.queues.names.map(
      (name) =>
        new Queue(name, {
          connection: { ...redisOptionsFromUrl(options.queues.redisUrl), maxRetriesPerRequest: 1 },
          prefix: options.queues.prefix,
        }),
    );
    for (const queue of this.queues) queue.on('error', () => undefined);
  }

  /** Record one HTTP request: `route` is the registered pattern (`unmatched` for a 404 path). */
  observeHttp(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  /** The exposition text: the registry's series, then BullMQ's for each queue. */
  async exposition(): Promise<string> {
    const own = await this.registry.metrics();
    const queues = await Promise.all(
      this.queues.map((queue) =>
        queue.exportPrometheusMetrics({ service: this.options.service }).catch(() => ''),
      ),
    );
    return [own, ...queues.filter((text) => text.length > 0)].join('\n');
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close().catch(() => undefined)));
  }
}
