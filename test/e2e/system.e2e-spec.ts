import { api, system, type ServiceName } from './support';

/** The running system as a whole: health, the identity JWKS, the API error format. */
describe('the running system', () => {
  it.each<ServiceName>(['identity', 'relationships', 'notifications'])(
    '%s answers GET /health with 200',
    async (service) => {
      const response = await api(service).get('/health');
      expect(response.status).toBe(200);
    },
  );

  it('identity publishes an ES256 signing key in its JWKS', async () => {
    const response = await api('identity').get('/.well-known/jwks.json');
    expect(response.status).toBe(200);
    const keys = response.body.keys as {
      kid?: string;
      alg?: string;
      kty?: string;
      use?: string;
      d?: string;
    }[];
    const signing = keys.find((key) => key.alg === 'ES256');
    expect(signing).toMatchObject({ kty: 'EC', use: 'sig' });
    expect(signing?.kid).toEqual(expect.any(String));
    expect(keys.every((key) => key.d === undefined)).toBe(true);
  });

  it.each<ServiceName>(['identity', 'relationships'])(
    '%s answers an unknown route with 404 in the error format and echoes the request ids',
    async (service) => {
      const response = await api(service)
        .get('/v1/no-such-route')
        .set('MS-RequestId', 'e2e-request-1')
        .set('MS-CorrelationId', 'e2e-correlation-1');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        code: expect.any(String),
        description: expect.any(String),
        data: null,
        source: expect.any(String),
      });
      expect(response.headers['ms-requestid']).toBe('e2e-request-1');
      expect(response.headers['ms-correlationid']).toBe('e2e-correlation-1');
    },
  );

  it('generates a request id when the caller sends none and uses it as the correlation id', async () => {
    const response = await api('identity').get('/v1/no-such-route');
    expect(response.headers['ms-requestid']).toEqual(expect.any(String));
    expect(response.headers['ms-correlationid']).toBe(response.headers['ms-requestid']);
  });

  it('runs in its own namespace', () => {
    expect(system().runId).toMatch(/^[a-z0-9]+$/);
  });
});
