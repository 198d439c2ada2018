import 'reflect-metadata';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { MetadataScanner } from '@nestjs/core';
import { IDENTITY_AUDIT_EVENTS, RELATIONSHIPS_AUDIT_EVENTS } from '@app/contracts';
import { AUDITED_KEY, AUDIT_EXEMPT_KEY } from '@app/platform';
import { AppModule } from '../../apps/identity/src/app.module';
import { loadIdentityConfig } from '../../apps/identity/src/config/identity.config';
import { devSettings, envFor } from '../../scripts/lib/system';
import { controllersOf } from '../e2e/support/routes';

/**
 * Identity's half of the audit trail (issue 14): every route of identity that may change state
 * (POST, PUT, PATCH, DELETE) declares the event types it writes (`@Audited`, types of
 * `IDENTITY_AUDIT_EVENTS`) or why it writes none (`@AuditExempt`); the catalogue's types are stable
 * dotted names, described, and not shared with relationships' half.
 */

const WRITING = new Set([
  RequestMethod.POST,
  RequestMethod.PUT,
  RequestMethod.PATCH,
  RequestMethod.DELETE,
]);

async function writingHandlers(): Promise<{ name: string; handler: object }[]> {
  const root = AppModule.forRoot(loadIdentityConfig(envFor('identity', devSettings())));
  const scanner = new MetadataScanner();
  const handlers: { name: string; handler: object }[] = [];
  for (const controller of await controllersOf(root)) {
    const prototype = controller.prototype as Record<string, object>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const method = Reflect.getMetadata(METHOD_METADATA, prototype[name]) as
        RequestMethod | undefined;
      if (method !== undefined && WRITING.has(method)) {
        handlers.push({ name: `${controller.name}.${name}`, handler: prototype[name] });
      }
    }
  }
  return handlers;
}

describe('identity audit events', () => {
  it('every POST, PUT, PATCH and DELETE route declares @Audited (catalogue types) or @AuditExempt', async () => {
    const handlers = await writingHandlers();
    expect(handlers.length).toBeGreaterThan(20);
    const problems = handlers.flatMap(({ name, handler }) => {
      const types = Reflect.getMetadata(AUDITED_KEY, handler) as string[] | undefined;
      const exempt = Reflect.getMetadata(AUDIT_EXEMPT_KEY, handler) as string | undefined;
      if (types === undefined && exempt === undefined) return [`${name}: neither`];
      if (types !== undefined && exempt !== undefined) return [`${name}: both`];
      if (types?.length === 0) return [`${name}: @Audited() without a type`];
      return (types ?? [])
        .filter((type) => !Object.prototype.hasOwnProperty.call(IDENTITY_AUDIT_EVENTS, type))
        .map((type) => `${name}: ${type} is not in IDENTITY_AUDIT_EVENTS`);
    });
    expect(problems).toEqual([]);
  });

  it('names each event type as resource.verb in lower snake case, with when and resource', () => {
    for (const [type, definition] of Object.entries(IDENTITY_AUDIT_EVENTS)) {
      expect(type).toMatch(/^[a-z][a-z_]*\.[a-z][a-z_]*$/);
      expect(definition.when.length).toBeGreaterThan(20);
      expect(definition.resource).toMatch(/^[a-z][a-z_]*$/);
    }
  });

  it("shares no event type with relationships' half of the catalogue", () => {
    const shared = Object.keys(IDENTITY_AUDIT_EVENTS).filter((type) =>
      Object.prototype.hasOwnProperty.call(RELATIONSHIPS_AUDIT_EVENTS, type),
    );
    expect(shared).toEqual([]);
  });
});
