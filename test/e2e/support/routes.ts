import 'reflect-metadata';
import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner } from '@nestjs/core';
import { PERMISSION_KEY, type Permission } from '@app/auth';
import {
  AUDITED_KEY,
  AUDIT_EXEMPT_KEY,
  IS_PUBLIC_KEY,
  RATE_LIMITS_KEY,
  type RateLimitDeclaration,
  type RateLimitExemption,
} from '@app/platform';
import { AppModule as IdentityAppModule } from '../../../apps/identity/src/app.module';
import { loadIdentityConfig } from '../../../apps/identity/src/config/identity.config';
import { AppModule as NotificationsAppModule } from '../../../apps/notifications/src/app.module';
import { loadNotificationsConfig } from '../../../apps/notifications/src/config/notifications.config';
import { AppModule as RelationshipsAppModule } from '../../../apps/relationships/src/app.module';
import { loadRelationshipsConfig } from '../../../apps/relationships/src/config/relationships.config';
import { devSettings, envFor } from '../../../scripts/lib/system';
import type { ServiceName } from './system';

/**
 * The HTTP routes each service registers, read from the application itself: its root module
 * (`AppModule.forRoot(config)`) is walked the way Nest's scanner walks it (static and dynamic
 * imports, forward references), and every controller's routes are read from Nest's own metadata
 * (`PATH_METADATA` / `METHOD_METADATA`) together with what the route declares for the global
 * `AuthGuard` (`@Public()` or `@RequirePermission(p)`, handler first, then the controller, as the
 * guard reads them). Nothing is instantiated and nothing connects: no database is needed, so a
 * unit test can use it too. A new controller or route appears here without anyone listing it.
 */

/** What a route declares to the global guard. */
export type RouteAccess =
  { kind: 'public' } | { kind: 'permission'; permission: Permission } | { kind: 'undeclared' };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What a route declares to the audit trail (issue 14): `@Audited(...types)` (the event types it
 * writes, exactly one per call) or `@AuditExempt(reason)` (it changes nothing); `undeclared`
 * otherwise (a POST, PUT, PATCH or DELETE route must not be).
 */
export type RouteAudit =
  | { kind: 'audited'; types: string[] }
  | { kind: 'exempt'; reason: string }
  | { kind: 'undeclared' };

/** One registered route of a service. */
export interface DeclaredRoute {
  service: ServiceName;
  method: HttpMethod;
  /** Fastify-style path, e.g. `/v1/users/:id`. */
  path: string;
  /** `METHOD path`, e.g. `PATCH /v1/users/:id`: the key of fixtures and allow-lists. */
  key: string;
  /** Path parameter names in order, e.g. `['customerId', 'subscriptionId']`. */
  params: string[];
  access: RouteAccess;
  /** What the route declares to the rate limits (`@RateLimited` or `@NotRateLimited`), if anything. */
  rateLimits: RateLimitDeclaration | RateLimitExemption | undefined;
  /** What the route declares to the audit trail (handler first, then the controller). */
  audit: RouteAudit;
  /** `Controller.handler`, for messages. */
  handler: string;
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
    if (isForwardReference(module)) module = module.forwardRef();
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
    .map((t) => Reflect.getMetadata(PERMISSION_KEY, t) as Permission | undefined)
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

/** The routes of a set of controllers, sorted by path then method. */
export function routesOf(service: ServiceName, controllers: Type<unknown>[]): DeclaredRoute[] {
  const scanner = new MetadataScanner();
  const routes: DeclaredRoute[] = [];
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
          });
        }
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** Each service's root module, configured from the development environment (nothing connects). */
const ROOT_MODULES: Record<ServiceName, () => DynamicModule> = {
  identity: () => IdentityAppModule.forRoot(loadIdentityConfig(envFor('identity', devSettings()))),
  relationships: () =>
    RelationshipsAppModule.forRoot(loadRelationshipsConfig(envFor('relationships', devSettings()))),
  notifications: () =>
    NotificationsAppModule.forRoot(loadNotificationsConfig(envFor('notifications', devSettings()))),
};

/** Every HTTP route `service` registers. */
export async function declaredRoutes(service: ServiceName): Promise<DeclaredRoute[]> {
  return routesOf(service, await controllersOf(ROOT_MODULES[service]()));
}

/** A path with its parameters filled in, e.g. `fillPath('/v1/users/:id', { id })`. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for the path parameter :${name} of ${path}`);
    return encodeURIComponent(value);
  });
}
