import type { FastifyReply } from 'fastify';
import { DomainError } from '../errors';

/**
 * The pages an emailed link opens (invitations, address verification, password reset, enrollment
 * verification): HTML, never cached, never sent as a referrer, since their URL or form carries a
 * single-use token.
 */
export function asLinkPage(reply: FastifyReply): void {
  void reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer');
}

/**
 * A refused link as its page: when `error` is a `DomainError` whose code the page draws (a key of
 * `codes`), the reply takes the error's status (and `Retry-After` when its data carries
 * `retryAfterSeconds`, e.g. 503 `service.busy`) and `render(code)` is the page; anything else is
 * rethrown for the error filter.
 */
export function linkErrorPage<C extends string>(
  reply: FastifyReply,
  error: unknown,
  codes: Readonly<Record<C, unknown>>,
  render: (code: C) => string,
): string {
  if (!(error instanceof DomainError) || !(error.code in codes)) throw error;
  void reply.status(error.status);
  const retry = error.retryAfterSeconds;
  if (retry !== undefined) void reply.header('retry-after', String(retry));
  return render(error.code as C);
}
