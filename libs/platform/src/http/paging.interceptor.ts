import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable, map } from 'rxjs';
import { DomainError } from '../errors';
import { CONTINUATION_TOKEN_HEADER, type Link } from '../pagination';
import { readsQuery } from './query-parameters.interceptor';

/** Partner Center's `SeekOperation` values; only `Next` is served (keyset paging goes forward). */
const SEEK_OPERATIONS = ['next', 'previous', 'first', 'last', 'pageindex'];

const invalid = (path: string, message: string) =>
  new DomainError('request.invalid', 400, `The query is invalid: ${path}: ${message}`, [
    { path, message },
  ]);

/**
 * Partner Center's seek paging on every list (its SDK's `SeekBasedResourceCollection` enumerator):
 * - a request with `seekOperation=Next` and the `MS-ContinuationToken` header asks for the page
 *   after the token: the token becomes the list's `seek` (our keyset cursor) and `seekOperation`
 *   is consumed. Any other `seekOperation` (`Previous`, `First`, `Last`, `PageIndex`, or anything
 *   else) is 400 `request.invalid` naming `seekOperation`; `Next` without the header, or with
 *   `seek` as well, is 400 naming the header. (`seek=<token>` alone stays accepted: our shorthand.)
 * - every collection answered (`attributes.objectType` `Collection`) gets `links.self`: the request
 *   as received, with its continuation token header if it had one.
 *
 * Registered once for every HTTP route by `startHttpService`, after `QueryParametersInterceptor`
 * (a route that reads no query refuses `seekOperation` as it refuses any parameter).
 */
@Injectable()
export class PagingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = this.consumeSeekOperation(request, context);
    return next.handle().pipe(map((body: unknown) => withSelfLink(body, request.url, token)));
  }

  /** The continuation token the request pages with (`seekOperation=Next`), put in `seek`. */
  private consumeSeekOperation(
    request: FastifyRequest,
    context: ExecutionContext,
  ): string | undefined {
    const query = request.query as Record<string, unknown> | undefined;
    if (!query || !Object.prototype.hasOwnProperty.call(query, 'seekOperation')) return undefined;
    if (!readsQuery(context)) return undefined;
    const operation = query.seekOperation;
    if (typeof operation !== 'string' || operation.toLowerCase() !== 'next') {
      const known =
        typeof operation === 'string' && SEEK_OPERATIONS.includes(operation.toLowerCase());
      throw invalid(
        'seekOperation',
        known
          ? `${operation} is not supported: lists page forward only (seekOperation=Next)`
          : 'must be Next',
      );
    }
    const header = request.headers[CONTINUATION_TOKEN_HEADER.toLowerCase()];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) {
      throw invalid(
        CONTINUATION_TOKEN_HEADER,
        'required with seekOperation=Next (from links.next)',
      );
    }
    if (Object.prototype.hasOwnProperty.call(query, 'seek')) {
      throw invalid('seek', `give the continuation token once: in ${CONTINUATION_TOKEN_HEADER}`);
    }
    delete query.seekOperation;
    query.seek = token;
    return token;
  }
}

/** `body` with `links.self` when it is a collection. */
function withSelfLink(body: unknown, url: string, token: string | undefined): unknown {
  if (body === null || typeof body !== 'object') return body;
  const collection = body as { attributes?: { objectType?: unknown }; links?: unknown };
  if (collection.attributes?.objectType !== 'Collection') return body;
  const self: Link = {
    uri: url,
    method: 'GET',
    headers: token ? [{ key: CONTINUATION_TOKEN_HEADER, value: token }] : [],
  };
  const links =
    typeof collection.links === 'object' && collection.links !== null ? collection.links : {};
  return { ...collection, links: { self, ...links } };
}
