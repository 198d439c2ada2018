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

/** `@Body(new ZodPipe(Schema))`: validates at the edge and hands the parsed value to the handler. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request',
  ) {}
  transform(value: unknown): z.infer<S> {
    return parseInput(this.schema, value, this.what);
  }
}
