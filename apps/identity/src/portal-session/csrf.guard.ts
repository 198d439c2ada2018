import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError } from '@app/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';

/**
 * Refuses a request of the portal's cookie session whose `X-CSRF-Token` header is missing or does
 * not match the CSRF secret cookie (`@fastify/csrf-protection`'s check): 403 `auth.csrf_invalid`
 * in the API error format. A page of another site can neither read the token (same-origin
 * `GET /v1/auth/portal/csrf`, no CORS) nor set the header on a cross-site form.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Every answer of the session, refusals included, stays out of caches.
    void reply.header('cache-control', 'no-store');
    return new Promise<boolean>((resolve, reject) => {
      // The plugin answers a refusal with reply.send(error): turn it into the API's error.
      const refusing = Object.create(reply, {
        send: {
          value: () =>
            reject(
              new DomainError(
                'auth.csrf_invalid',
                403,
                'The request has no valid CSRF token (X-CSRF-Token from GET /v1/auth/portal/csrf).',
              ),
            ),
        },
      }) as FastifyReply;
      fastify.csrfProtection(req, refusing, () => resolve(true));
    });
  }
}
