import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { DomainError } from './errors';

/** Field-level problems of a rejected input: `[{ path: 'address.country', message }]`. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** The path of the first string holding a NUL character (PostgreSQL text cannot store one). */
function pathOfNul(value: unknown, path: string[] = [], depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') : undefined;
  if (depth > 32 || value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = pathOfNul(item, [...path, key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Parse `value` with `schema` or throw 400 `request.invalid` with the field problems as `data`
 * (`[{ path, message }]`).
 * Used for HTTP bodies, queries and params alike. A NUL character anywhere in the input is refused
 * the same way, whatever the schema says (no text column can store it).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request',
): z.infer<S> {
  const nul = pathOfNul(value);
  if (nul !== undefined) {
    throw new DomainError(
      'request.invalid',
      400,
      `The ${what} is invalid: ${nul || '(root)'}: must not contain a NUL character`,
      [{ path: nul, message: 'must not contain a NUL character' }],
    );
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = describeIssues(result.error);
    throw new DomainError(
      'request.invalid',
      400,
      `The ${what} is invalid: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return result.data;
}

/** Deepest nesting {@link camelCaseKeys} walks (bodies are far shallower; the body limit bounds them). */
const MAX_KEY_DEPTH = 32;

/** `attributes` keys Partner Center's SDK sends that carry nothing for us. */
const RESOURCE_ATTRIBUTE_KEYS = new Set(['objectType', 'etag']);

/**
 * A request body with its property names in camelCase, as our schemas name them: Partner Center
 * deserializes names case-insensitively and its .NET SDK sends PascalCase (`CompanyProfile`,
 * `Domain`), so a name starting with a capital letter gets a lower-case first letter, at any level
 * and in arrays. The SDK's `Attributes: { ObjectType, Etag }` objects (any level) are dropped when
 * they hold nothing else (the etag of an update travels in `If-Match`); any other `attributes` is
 * kept for the schema to judge. Values are never changed.
 * @throws 400 `request.invalid` when two names of one object become the same (`Domain` and
 *   `domain`), naming it.
 */
export function camelCaseKeys(value: unknown, path: string[] = []): unknown {
  if (path.length > MAX_KEY_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) => camelCaseKeys(item, [...path, String(index)]));
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const name = /^[A-Z]/.test(key) ? key[0].toLowerCase() + key.slice(1) : key;
    if (Object.prototype.hasOwnProperty.call(out, name)) {
      const where = [...path, name].join('.');
      throw new DomainError(
        'request.invalid',
        400,
        `The request is invalid: ${where}: given twice (in camelCase and PascalCase)`,
        [{ path: where, message: 'given twice (in camelCase and PascalCase)' }],
      );
    }
    const normalized = camelCaseKeys(item, [...path, name]);
    if (name === 'attributes' && isResourceAttributes(normalized)) continue;
    // Defined, not assigned: a `__proto__` name stays a plain property for the schema to refuse.
    Object.defineProperty(out, name, {
      value: normalized,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** An `attributes` object of Partner Center's that holds only `objectType` and/or `etag`. */
function isResourceAttributes(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).every((key) => RESOURCE_ATTRIBUTE_KEYS.has(key))
  );
}

/** The `what` of a {@link ZodPipe} that validates a request body. */
const BODY = new Set(['request', 'body']);

/**
 * `@Body(new ZodPipe(Schema))`: validates at the edge and hands the parsed value to the handler.
 * A body (`what` `request` or `body`) has its property names put in camelCase first
 * ({@link camelCaseKeys}): PascalCase and camelCase are both accepted, unknown names still refused
 * by the strict schema. Queries and path parameters are validated as sent.
 */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request',
  ) {}
  transform(value: unknown): z.infer<S> {
    const input = BODY.has(this.what) ? camelCaseKeys(value) : value;
    return parseInput(this.schema, input, this.what);
  }
}

/** `IsIndirectResellerOf`, `isIndirectResellerOf`, `is_indirect_reseller_of` → `is_indirect_reseller_of`. */
export function snakeCaseEnumValue(value: string): string {
  return value
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * An enum of Partner Center's contract, written as it writes it (lower snake_case, its
 * EnumJsonConverter: `IsIndirectResellerOf` → `is_indirect_reseller_of`), read in any of the
 * spellings it reads: snake_case, camelCase or PascalCase, any case. The parsed value is the
 * snake_case one; anything else is refused by the enum (Partner Center would read it as its first
 * member: we answer 400 instead). Example:
 *
 * ```ts
 * relationshipType: partnerCenterEnum(['is_indirect_reseller_of', 'is_indirect_cloud_solution_provider_of']),
 * ```
 */
export function partnerCenterEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .transform((value) => snakeCaseEnumValue(value))
    .pipe(z.enum(values));
}
