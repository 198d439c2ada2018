import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import { DEFAULT_BODY_LIMIT_BYTES } from '../config';
import { MigrationList, databaseOptions, runMigrations } from '../db/database';
import { assertRedisKeepsQueueKeys } from '../redis/eviction-policy';
import { NamespacedNatsServer } from '../rpc/namespaced-nats.transport';
import { installAsyncResourceBind } from './async-resource-bind';
import { ApiExceptionFilter, apiErrorBody } from './exception.filter';
import { PagingInterceptor } from './paging.interceptor';
import { QueryParametersInterceptor } from './query-parameters.interceptor';
import { RouteMethods } from './route-methods';
import { CORRELATION_ID_HEADER, REQUEST_ID_HEADER, correlationIdOf, requestIdOf } from './logging';
import { MetricsRegistry } from '../metrics/metrics.registry';

export interface HttpServiceOptions {
  /** Service name: the `source` of its errors and the name in its logs. */
  name: string;
  module: Type<unknown> | DynamicModule;
  port: number;
  host?: string;
  /** Largest accepted body, in bytes (`HTTP_BODY_LIMIT_BYTES`, default 64 KiB); bigger is 413. */
  bodyLimit?: number;
  /**
   * Fastify `trustProxy`: which proxies' `X-Forwarded-For` sets `request.ip` (default `false`: the
   * socket's peer).
   */
  trustProxy?: boolean | number | string[];
  /** Origins allowed to call cross-origin (`CORS_ORIGINS`); empty or absent: CORS off. */
  corsOrigins?: readonly string[];
  /**
   * The exact text of every inline `<style>` element the service's HTML pages carry: allowed by
   * hash in the Content-Security-Policy (no `'unsafe-inline'`).
   */
  pageStyles?: readonly string[];
  /**
   * Serve request/response messages over NATS too: subjects under `namespace`
   * (`MESSAGE_NAMESPACE`), in the queue group named for the service, so that each request runs on
   * one instance; on shutdown, handlers in progress get up to `drainTimeoutMs` to answer.
   */
  microservice?: { natsUrl: string; namespace: string; drainTimeoutMs: number };
  /**
   * Registers the service's own Fastify plugins (e.g. identity's `@fastify/cookie` and
   * `@fastify/csrf-protection` for the portal session) after the security headers, before start.
   */
  register?: (app: NestFastifyApplication) => Promise<void>;
}

/** The CSP source of an inline `<style>` element's text: `'sha256-<base64>'`. */
export function styleHashSource(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/**
 * The Content-Security-Policy of every response: nothing may load (`default-src 'none'`) except
 * the pages' own inline styles, allowed by hash; forms post only to the same origin; no framing,
 * no `<base>`. JSON answers are not affected; the HTML pages (invitation, verification) use no
 * scripts, images or external resources.
 */
export function contentSecurityPolicy(
  pageStyles: readonly string[] = [],
): Record<string, string[]> {
  return {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    ...(pageStyles.length > 0 ? { styleSrc: [...new Set(pageStyles.map(styleHashSource))] } : {}),
  };
}

/**
 * A request Node's HTTP parser refused before Fastify saw it (malformed request line, headers
 * over 16 KiB, a timeout): answered in the API error format, as every other error.
 */
function clientErrorHandler(source: string) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, code, description] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'request.headers_too_large', 'The request line or headers are too large.']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'request.timeout', 'The request took too long to arrive.']
          : [400, 'request.malformed', 'The request is not valid HTTP.'];
    const body = JSON.stringify(apiErrorBody(code, description, [], source));
    if (socket.writable) {
      // The headers were not read: a new request id (and correlation id) names this answer.
      const id = randomUUID();
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
          `MS-RequestId: ${id}\r\nMS-CorrelationId: ${id}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\n` +
          `Connection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}

/**
 * Create, configure and start a service: Fastify (body limit, API-format answers to malformed
 * URLs and requests), helmet security headers with a strict CSP, CORS only for the configured
 * origins, pino logs, the API error filter, request and correlation ids echoed as
 * `MS-RequestId` / `MS-CorrelationId`, graceful shutdown on SIGTERM.
 */
export async function startHttpService(options: HttpServiceOptions): Promise<INestApplication> {
  installAsyncResourceBind();
  const routes = new RouteMethods();
  const filter = new ApiExceptionFilter(options.name, routes);
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT_BYTES,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    trustProxy: options.trustProxy ?? false,
    clientErrorHandler: clientErrorHandler(options.name),
    // A URL with bad percent-encoding, a path parameter over 100 characters: the API format too.
    frameworkErrors: (
      error: Error & { code?: string },
      req: FastifyRequest,
      reply: FastifyReply,
    ) => {
      const statusCode = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      const description =
        statusCode === 414 ? 'A path parameter is too long.' : 'The URL is not valid.';
      const { status, body } = filter.toApiError(
        Object.assign(new Error(description), { statusCode }),
      );
      void reply
        .status(status)
        .header(REQUEST_ID_HEADER, requestIdOf(req.raw))
        .header(CORRELATION_ID_HEADER, correlationIdOf(req.raw))
        .header('x-content-type-options', 'nosniff')
        .send(body);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, {
    bufferLogs: true,
  });
  // Every route Nest registers (at init) is recorded, for 405 with `Allow` on a wrong method.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => routes.add(route.method, route.url));
  app.useLogger(app.get(PinoLogger));
  app.useGlobalFilters(filter);
  app.useGlobalInterceptors(new QueryParametersInterceptor(), new PagingInterceptor());
  app.enableShutdownHooks();
  // helmet's middleware is built once; @fastify/helmet built it again for every request (its
  // options parsed and each header's function made anew: 7.1 µs a request instead of 2.2 µs).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: contentSecurityPolicy(options.pageStyles),
    },
    frameguard: { action: 'deny' },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (req, reply, done) => {
      // Helmet 8 sets its headers synchronously and throws on error (it no longer passes one on).
      securityHeaders(req.raw, reply.raw, () => undefined);
      done();
    });
  if (options.register) await options.register(app);
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...options.corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'If-Match',
        'MS-RequestId',
        'MS-CorrelationId',
        'MS-ContinuationToken',
      ],
      exposedHeaders: ['MS-RequestId', 'MS-CorrelationId', 'ETag', 'Retry-After', 'Allow'],
      credentials: false,
      maxAge: 600,
    });
  }
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (req, reply, done) => {
      reply.header(REQUEST_ID_HEADER, requestIdOf(req.raw));
      reply.header(CORRELATION_ID_HEADER, correlationIdOf(req.raw));
      done();
    });
  const metrics = app.get(MetricsRegistry, { strict: false });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (req, reply, done) => {
      metrics.observeHttp(
        req.method,
        req.routeOptions.url ?? 'unmatched',
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
      done();
    });
  if (options.microservice) {
    // Initialise first (every onModuleInit: nestjs-cls's plugin hooks, sinks, processors): a
    // microservice's listen() does not, and a request arriving over NATS before `app.listen()` ran
    // the hooks hit the request-context interceptor uninitialised and crashed the process (a new
    // instance joining a busy queue group).
    await app.init();
    app.connectMicroservice(
      {
        strategy: new NamespacedNatsServer({
          url: options.microservice.natsUrl,
          namespace: options.microservice.namespace,
          queue: options.name,
          drainTimeoutMs: options.microservice.drainTimeoutMs,
        }),
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

/** What a service's `main.ts` hands to {@link runService}. */
export interface ServiceEntry<C> {
  /** Service name: its logs, the `source` of its errors. */
  name: string;
  /** Validates the environment once (throws `ConfigError` naming each bad variable). */
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  /** The service's database and its committed migrations. */
  database: (config: C) => {
    url: string;
    entities: NonNullable<Parameters<typeof databaseOptions>[1]>;
    migrations: MigrationList;
  };
  /** Redis that carries BullMQ (its eviction policy is checked). */
  redisUrl: (config: C) => string;
  /** The HTTP service to start, from the validated configuration. */
  http: (config: C) => Omit<HttpServiceOptions, 'name'>;
  /**
   * A data step run by every `migrate` after the migrations (idempotent: it runs again on each
   * `migrate`); what it answers, unless empty, is printed after the migrations' line.
   */
  afterMigrate?: (config: C) => Promise<string>;
}

/**
 * The one entry point of every service: `node main.js migrate` creates the database if missing,
 * applies the committed migrations, runs the service's `afterMigrate` step if any, and exits (compose's `migrate-<service>`, `npm run migrate`);
 * `node main.js` refuses a Redis that may evict queue keys (exit 1 with the policy and the fix),
 * then starts the HTTP service with its request/response handlers. A boot failure prints one
 * message and exits 1 (see {@link runMain}).
 */
export function runService<C>(entry: ServiceEntry<C>): void {
  runMain(async () => {
    const config = entry.loadConfig(process.env);
    if (process.argv[2] === 'migrate') {
      const { url, entities, migrations } = entry.database(config);
      const applied = await runMigrations(databaseOptions(url, entities, migrations));
      process.stdout.write(
        applied.length > 0
          ? `applied migrations: ${applied.join(', ')}\n`
          : 'no pending migrations\n',
      );
      const after = entry.afterMigrate ? await entry.afterMigrate(config) : '';
      if (after !== '') process.stdout.write(`${after}\n`);
      return;
    }
    await assertRedisKeepsQueueKeys(entry.redisUrl(config));
    await startHttpService({ name: entry.name, ...entry.http(config) });
  });
}
