import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { Observable } from 'rxjs';
import { DomainError } from '../errors';

/**
 * Refuses a query string on a route that reads none. A route that takes query parameters declares
 * them with `@Query(new ZodPipe(schema, 'query'))` (a strict schema refuses the unknown ones) or
 * reads the whole query itself (`@Query()`, the link pages); a route that declares no `@Query` would
 * otherwise ignore `?tenantId=…` silently, and a caller could believe it had been applied
 * (engineering standard: unknown query parameters are refused, never ignored). 400
 * `request.invalid` with `data` the names (sorted), in the API error format.
 *
 * Registered once for every HTTP route by `startHttpService`.
 */
@Injectable()
export class QueryParametersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const query = context.switchToHttp().getRequest<{ query?: Record<string, unknown> }>().query;
      const names = query ? Object.keys(query) : [];
      if (names.length > 0 && !readsQuery(context)) {
        throw new DomainError(
          'request.invalid',
          400,
          `This route takes no query parameters: ${names.sort().join(', ')}.`,
          names.sort(),
        );
      }
    }
    return next.handle();
  }
}

/** True when the handler has a `@Query()` parameter (whole query or one named key). */
export function readsQuery(context: ExecutionContext): boolean {
  const args = (Reflect.getMetadata(
    ROUTE_ARGS_METADATA,
    context.getClass(),
    context.getHandler().name,
  ) ?? {}) as Record<string, unknown>;
  return Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.QUERY));
}
