import 'reflect-metadata';
import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import {
  METHOD_METADATA,
  MODULE_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { MetadataScanner } from '@nestjs/core';
import type { z } from 'zod';
import { AUDITED_KEY, AUDIT_EXEMPT_KEY } from '../audit/audited.decorator';
import { IS_PUBLIC_KEY } from '../http/public.decorator';
import {
  RATE_LIMITS_KEY,
  type RateLimitDeclaration,
  type RateLimitExemption,
} from '../throttling/rate-limit.options';
import { ZodPipe } from '../validation';
import {
  apiErrorFormatOf,
  apiResponsesOf,
  type ApiResponseSpec,
  type ErrorFormat,
} from './api-response.decorator';

/**
 * The HTTP routes a service registers, read from the application itself: its root module
 * (`AppModule.forRoot(config)`) is walked the way Nest's scanner walks it (static and dynamic
 * imports, forward references), and every controller's routes are read from Nest's own metadata
 * (`PATH_METADATA` / `METHOD_METADATA`) together with what the route declares: to the global
 * `AuthGuard` (`@Public()` or `@RequirePermission(p)`, handler first, then the controller, as the
 * guard reads them), to the rate limits, to the audit trail, its inputs (the zod schemas of the
 * `ZodPipe`s on `@Body`, `@Query` and `@Param`) and its documented answers (`@ApiResponse`).
 * Nothing is instantiated and nothing connects. A new controller or route appears here without
 * anyone listing it: the authorization matrix, the audit coverage, the OpenAPI document
 * (apps/gateway/openapi) and the gateway's routing table all read this.
 */

/** The metadata key of `@RequirePermission` (libs/auth/src/decorators.ts `PERMISSION_KEY`). */
export const PERMISSION_METADATA_KEY = 'pcp:permission';

/** What a route declares to the global guard. */
export type RouteAccess =
  { kind: 'public' } | { kind: 'permission'; permission: string } | { kind: 'undeclared' };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/**
 * What a route declares to the audit trail (issue 14): `@Audited(...types)` (the event types it
 * writes, exactly one per call) or `@AuditExempt(reason)` (it changes nothing); `undeclared`
 * otherwise (a POST, PUT, PATCH or DELETE route must not be).
 */
export type RouteAudit =
  | { kind: 'audited'; types: string[] }
  | { kind: 'exempt'; reason: string }
  | { kind: 'undeclared' };

/** The zod schemas a handler validates its inputs with (its `ZodPipe`s). */
export interface RouteInputs {
  /** `@Body(new ZodPipe(S))`. */
  body?: z.ZodType;
  /** `@Query(new ZodPipe(S, 'query'))`: the whole query object. */
  query?: z.ZodType;
  /** `@Query('name', new ZodPipe(S))`: one query parameter each. */
  queryParams: Record<string, z.ZodType | undefined>;
  /** `@Param('name', new ZodPipe(S))` (or none: a string). */
  params: Record<string, z.ZodType | undefined>;
  /** The handler reads the raw request or reply (`@Req`, `@Res`): a form post, an HTML page. */
  raw: boolean;
}

/** One registered route of a service. */
export interface DeclaredRoute<S extends string = string, P extends string = string> {
  service: S;
  method: HttpMethod;
  /** Fastify-style path, e.g. `/v1/users/:id`. */
  path: string;
  /** `METHOD path`, e.g. `PATCH /v1/users/:id`: the key of fixtures and allow-lists. */
  key: string;
  /** Path parameter names in order, e.g. `['customerId', 'subscriptionId']`. */
  params: string[];
  access: { kind: 'public' } | { kind: 'permission'; permission: P } | { kind: 'undeclared' };
  /** What the route declares to the rate limits (`@RateLimited` or `@NotRateLimited`), if anything. */
  rateLimits: RateLimitDeclaration | RateLimitExemption | undefined;
  /** What the route declares to the audit trail (handler first, then the controller). */
  audit: RouteAudit;
  /** `Controller.handler`, for messages. */
  handler: string;
  /** The zod schemas of its inputs. */
  inputs: RouteInputs;
  /** Its documented answers (`@ApiResponse`), in declaration order. */
  responses: ApiResponseSpec[];
  /** The format of its error answers (`@ApiErrorFormat` on the controller). */
  errorFormat: ErrorFormat;
}

type ModuleRef = Type<unknown> | DynamicModule | ForwardReference | Promise<DynamicModule>;

function isForwardReference(value: unknown): value is ForwardReference {
  return typeof value === 'object' && value !== null && 'forwardRef' in value;
}

function isDynamicModule(value: unknown): value is DynamicModule {
  return typeof value === 'object' && value !== null && 'module' in value;
}

/**
 * Every controller class reachable from `root`, each once (modules imported as a Promise, such as
 * MikroORM's core module, are awaited like Nest's scanner awaits them).
 */
export async function controllersOf(root: ModuleRef): Promise<Type<unknown>[]> {
  const seen = new Set<unknown>();
  const controllers = new Set<Type<unknown>>();
  const visit = async (ref: ModuleRef | undefined): Promise<void> => {
    if (!ref) return;
    let module: unknown = ref instanceof Promise ? await ref : ref;
    if (isForwardReference(module)) module = (module.forwardRef as () => unknown)();
    if (seen.has(module)) return;
    seen.add(module);
    if (isDynamicModule(module)) {
      for (const controller of module.controllers ?? []) controllers.add(controller);
      for (const imported of module.imports ?? []) await visit(imported as ModuleRef);
      await visit(module.module);
      return;
    }
    const type = module as Type<unknown>;
    const declared = (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, type) ??
      []) as Type<unknown>[];
    for (const controller of declared) controllers.add(controller);
    const imports = (Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) ?? []) as ModuleRef[];
    for (const imported of imports) await visit(imported);
  };
  await visit(root);
  return [...controllers];
}

/** A controller's or handler's path metadata: a string, a list of strings, or absent. */
function asList(value: unknown): string[] {
  if (value === undefined) return [''];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== 'string')
      throw new Error(`Unsupported route path: ${JSON.stringify(item)}`);
    return item;
  });
}

function joinPath(...parts: string[]): string {
  const joined = `/${parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
  return joined.replace(/\/{2,}/g, '/');
}

function accessOf(handler: object, controller: object): RouteAccess {
  const targets = [handler, controller];
  const isPublic = targets
    .map((t) => Reflect.getMetadata(IS_PUBLIC_KEY, t) as boolean | undefined)
    .find((v) => v !== undefined);
  if (isPublic) return { kind: 'public' };
  const permission = targets
    .map((t) => Reflect.getMetadata(PERMISSION_METADATA_KEY, t) as string | undefined)
    .find((v) => v !== undefined);
  return permission ? { kind: 'permission', permission } : { kind: 'undeclared' };
}

function auditOf(handler: object, controller: object): RouteAudit {
  for (const target of [handler, controller]) {
    const types = Reflect.getMetadata(AUDITED_KEY, target) as string[] | undefined;
    if (types) return { kind: 'audited', types };
    const reason = Reflect.getMetadata(AUDIT_EXEMPT_KEY, target) as string | undefined;
    if (reason !== undefined) return { kind: 'exempt', reason };
  }
  return { kind: 'undeclared' };
}

/** The zod schema a `ZodPipe` among `pipes` validates with, if any. */
function zodSchemaOf(pipes: unknown[] | undefined): z.ZodType | undefined {
  const pipe = (pipes ?? []).find((p) => p instanceof ZodPipe);
  return pipe ? (pipe as unknown as { schema: z.ZodType }).schema : undefined;
}

/** What Nest's `@Body`, `@Query`, `@Param`, `@Req`, `@Res` recorded for one handler. */
function inputsOf(controller: Type<unknown>, name: string): RouteInputs {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
    string,
    { index: number; data?: unknown; pipes?: unknown[] }
  >;
  const inputs: RouteInputs = { queryParams: {}, params: {}, raw: false };
  for (const [key, arg] of Object.entries(args)) {
    const type = Number(key.split(':')[0]);
    const schema = zodSchemaOf(arg.pipes);
    const field = typeof arg.data === 'string' ? arg.data : undefined;
    if (type === Number(RouteParamtypes.BODY)) {
      if (!field) inputs.body = schema;
    } else if (type === Number(RouteParamtypes.QUERY)) {
      if (field) inputs.queryParams[field] = schema;
      else inputs.query = schema;
    } else if (type === Number(RouteParamtypes.PARAM)) {
      if (field) inputs.params[field] = schema;
    } else if (
      type === Number(RouteParamtypes.REQUEST) ||
      type === Number(RouteParamtypes.RESPONSE)
    ) {
      inputs.raw = true;
    }
  }
  return inputs;
}

/** The routes of a set of controllers, sorted by path then method. */
export function routesOf<S extends string>(
  service: S,
  controllers: Type<unknown>[],
): DeclaredRoute<S>[] {
  const scanner = new MetadataScanner();
  const routes: DeclaredRoute<S>[] = [];
  for (const controller of controllers) {
    const prefixes = asList(Reflect.getMetadata(PATH_METADATA, controller));
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as object;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
      if (method === undefined || paths === undefined) continue; // not an HTTP handler
      const verb = RequestMethod[method] as HttpMethod;
      for (const prefix of prefixes) {
        for (const sub of asList(paths)) {
          const path = joinPath(prefix, sub);
          routes.push({
            service,
            method: verb,
            path,
            key: `${verb} ${path}`,
            params: [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]),
            access: accessOf(handler, controller),
            rateLimits: [handler, controller]
              .map(
                (target) =>
                  Reflect.getMetadata(RATE_LIMITS_KEY, target) as
                    RateLimitDeclaration | RateLimitExemption | undefined,
              )
              .find((value) => value !== undefined),
            audit: auditOf(handler, controller),
            handler: `${controller.name}.${name}`,
            inputs: inputsOf(controller, name),
            responses: apiResponsesOf(handler),
            errorFormat: apiErrorFormatOf(controller),
          });
        }
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
