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

/**
 * Parse `value` with `schema` or throw 400 `request.invalid` with the field problems in `data`.
 * Used for HTTP bodies, queries and params alike.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request',
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = describeIssues(result.error);
    throw new DomainError(
      'request.invalid',
      400,
      `The ${what} is invalid: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
      { issues },
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
