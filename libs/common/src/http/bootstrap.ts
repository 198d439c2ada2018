import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import { NamespacedRedisServer, redisOptionsFromUrl } from '../rpc/namespaced-redis.transport';
import { ApiExceptionFilter } from './exception.filter';
import { CORRELATION_ID_HEADER, REQUEST_ID_HEADER, correlationIdOf, requestIdOf } from './logging';

export interface HttpServiceOptions {
  /** Service name: the `source` of its errors and the name in its logs. */
  name: string;
  module: Type<unknown> | DynamicModule;
  port: number;
  host?: string;
  /** Largest accepted body, in bytes. */
  bodyLimit?: number;
  /**
   * Fastify `trustProxy`: which proxies' `X-Forwarded-For` sets `request.ip` (default `false`: the
   * socket's peer).
   */
  trustProxy?: boolean | number | string[];
  /** Serve request/response messages over Redis too. */
  microservice?: { redisUrl: string; namespace: string };
}

/**
 * Create, configure and start a service: Fastify, pino logs, the API error filter, request and
 * correlation ids echoed as `MS-RequestId` / `MS-CorrelationId`, graceful shutdown on SIGTERM.
 */
export async function startHttpService(options: HttpServiceOptions): Promise<INestApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    trustProxy: options.trustProxy ?? false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger));
  app.useGlobalFilters(new ApiExceptionFilter(options.name));
  app.enableShutdownHooks();
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (req, reply, done) => {
      reply.header(REQUEST_ID_HEADER, requestIdOf(req.raw));
      reply.header(CORRELATION_ID_HEADER, correlationIdOf(req.raw));
      done();
    });
  if (options.microservice) {
    app.connectMicroservice(
      {
        strategy: new NamespacedRedisServer(
          redisOptionsFromUrl(options.microservice.redisUrl) as never,
          options.microservice.namespace,
        ),
      },
      { inheritAppConfig: true },
    );
    await app.startAllMicroservices();
  }
  await app.listen(options.port, options.host ?? '0.0.0.0');
  return app;
}

/**
 * Run a service's entry point: a `ConfigError` (or any boot failure) prints one clear message to
 * stderr and exits with status 1 instead of a stack trace.
 */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  });
}
