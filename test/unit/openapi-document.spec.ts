import { z } from 'zod';
import { ApiResponse, routesOf } from '@app/platform';
import { Controller, Get, Param, Post, Body, Query, HttpCode } from '@nestjs/common';
import { PERMISSIONS, Public, RequirePermission } from '@app/auth';
import { ZodPipe } from '@app/platform';
import {
  buildOpenApiDocument,
  isServiceInternal,
  openApiPath,
} from '../../apps/gateway/openapi/openapi-document';
import {
  SERVICE_NAMES,
  declaredRoutes,
  type DeclaredRoute,
} from '../../apps/gateway/openapi/service-routes';

/**
 * The OpenAPI document scripts/openapi.js writes (apps/gateway/openapi/openapi-document.ts):
 * every route of every service, with its inputs from the `ZodPipe`s, its answers from
 * `@ApiResponse`, its security from `@RequirePermission`/`@Public`, the error format on 4xx/5xx
 * and the service that answers it (the gateway's routing).
 */

const Thing = z.object({ id: z.uuid(), name: z.string(), createdAt: z.iso.datetime() });

@Controller('v1/things')
class ThingsController {
  @Get(':id')
  @RequirePermission(PERMISSIONS.session)
  @ApiResponse(200, Thing, 'The thing.', ['ETag'])
  get(@Param('id', new ZodPipe(z.uuid())) id: string) {
    return id;
  }

  @Post()
  @HttpCode(201)
  @Public()
  @ApiResponse(201, Thing, 'The new thing.')
  create(@Body(new ZodPipe(z.strictObject({ name: z.string().min(1) }))) body: unknown) {
    return body;
  }

  @Get()
  @RequirePermission(PERMISSIONS.session)
  list(
    @Query(new ZodPipe(z.strictObject({ size: z.coerce.number().int().optional() }), 'query'))
    q: unknown,
  ) {
    return q;
  }
}

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument(
    routesOf('identity', [ThingsController]) as DeclaredRoute[],
    '1.2.3',
  );
  const get = document.paths['/v1/things/{id}'].get;
  const post = document.paths['/v1/things'].post;
  const list = document.paths['/v1/things'].get;

  it('documents each answer with its schema (as written: no extra property) and headers', () => {
    expect(document.openapi).toBe('3.1.0');
    const ok = get.responses['200'] as {
      headers: Record<string, unknown>;
      content: { 'application/json': { schema: Record<string, unknown> } };
    };
    expect(Object.keys(ok.headers).sort()).toEqual(['ETag', 'MS-CorrelationId', 'MS-RequestId']);
    expect(ok.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['id', 'name', 'createdAt'],
      additionalProperties: false,
    });
    expect(get.responses['4XX']).toEqual({ $ref: '#/components/responses/ApiError' });
    expect(get.responses['5XX']).toEqual({ $ref: '#/components/responses/ApiError' });
  });

  it('reads inputs from the ZodPipes: path parameters, query parameters, the body', () => {
    expect(get.parameters).toContainEqual(
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    );
    expect(list.parameters).toContainEqual(
      expect.objectContaining({ name: 'size', in: 'query', required: false }),
    );
    expect(post.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { required: ['name'] } } },
    });
  });

  it('turns the permission into a bearer requirement, a public route into none', () => {
    expect(get.security).toEqual([{ bearer: [] }]);
    expect(get['x-permission']).toBe(PERMISSIONS.session);
    expect(post.security).toEqual([]);
    expect(get['x-service']).toBe('identity');
  });

  it('marks a route that documents no answer, so that the e2e suite names it', () => {
    expect(list['x-undocumented']).toBe(true);
    expect(get['x-undocumented']).toBeUndefined();
  });

  it('holds every route every service registers (their probes and scrapes aside), with its service', async () => {
    const routes: DeclaredRoute[] = [];
    for (const service of SERVICE_NAMES) routes.push(...(await declaredRoutes(service)));
    const full = buildOpenApiDocument(routes, '0.0.0');
    const missing = routes
      .filter((route) => !isServiceInternal(route.path))
      .filter(
        (route) =>
          full.paths[openApiPath(route.path)]?.[route.method.toLowerCase()]?.['x-service'] !==
          route.service,
      )
      .map((route) => route.key);
    expect(missing).toEqual([]);
    expect(Object.keys(full.paths).some((path) => isServiceInternal(path))).toBe(false);
  });
});
