import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { ApiExceptionFilter, requestIdOf, retryAfterSecondsOf } from '@app/platform';
import type { FastifyReply } from 'fastify';

/** Microsoft Graph's error body (../shared/reference/partner-center-api.md §12.4). */
export interface GraphError {
  error: {
    code: string;
    message: string;
    innerError: { 'request-id': string; date: string };
  };
}

/**
 * The error format of the Graph-shaped routes (issue 10: "the answers and errors of this surface
 * follow Graph"): `{ "error": { "code", "message", "innerError": { "request-id", "date" } } }`, with
 * the same status and error name (`code`) the API's own filter decides (so a domain error, a
 * refused input, a lost race or a database outage map exactly as everywhere else) and its
 * `Retry-After`. Bound with `@UseFilters` on the GDAP controllers only; the rest of the API keeps
 * its format.
 */
@Catch()
export class GraphExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('GraphExceptionFilter');
  private readonly api = new ApiExceptionFilter('relationships');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body, name } = this.api.toApiError(exception);
    if (status >= 500) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    const retry = retryAfterSecondsOf(body.data);
    if ((status === 429 || status === 503) && typeof retry === 'number') {
      void reply.header('retry-after', String(retry));
    }
    const graph: GraphError = {
      error: {
        // Graph's codes are names; ours is the error's stable name (`gdap.invalid_status`).
        code: name,
        message: body.description,
        innerError: {
          'request-id': requestIdOf(reply.request.raw),
          date: new Date().toISOString(),
        },
      },
    };
    void reply.status(status).header('content-type', 'application/json').send(graph);
  }
}
