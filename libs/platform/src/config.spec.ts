import { CommonEnvSchema, ConfigError, DatabaseEnvSchema, parseConfig } from './config';

const schema = CommonEnvSchema.extend({});

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    parseConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('CommonEnvSchema NATS_URL and MESSAGE_NAMESPACE', () => {
  const redis = { REDIS_URL: 'redis://127.0.0.1:6379/0' };

  it('defaults to the local NATS and accepts a nats:// URL with a host', () => {
    expect(parseConfig(schema, redis).NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(parseConfig(schema, { ...redis, NATS_URL: 'nats://nats:4222' }).NATS_URL).toBe(
      'nats://nats:4222',
    );
  });

  it.each(['nats:4222', 'localhost:4222', 'redis://127.0.0.1:4222'])('refuses %s', (url) => {
    expect(problemsOf({ ...redis, NATS_URL: url })).toEqual([
      'NATS_URL: must be a nats:// URL with a host, e.g. nats://127.0.0.1:4222',
    ]);
  });

  it.each(['pcp:', 'pcp-test-1a2b:', 'pcp.', 'a.b:', ''])('accepts the namespace "%s"', (ns) => {
    expect(parseConfig(schema, { ...redis, MESSAGE_NAMESPACE: ns }).MESSAGE_NAMESPACE).toBe(ns);
  });

  it.each(['.pcp', 'a..b', 'pcp *', 'pcp>'])(
    'refuses the namespace "%s" (not a NATS subject prefix)',
    (ns) => {
      expect(problemsOf({ ...redis, MESSAGE_NAMESPACE: ns })).toEqual([
        expect.stringMatching(/^MESSAGE_NAMESPACE: /),
      ]);
    },
  );
});

describe('CommonEnvSchema REDIS_URL', () => {
  it.each(['redis://127.0.0.1:6379/0', 'redis://redis:6379/0', 'redis://:secret@127.0.0.1:6379/2'])(
    'accepts %s',
    (url) => {
      expect(parseConfig(schema, { REDIS_URL: url }).REDIS_URL).toBe(url);
    },
  );

  it.each([
    'not a url',
    'redis:6379',
    'localhost:6379',
    'redis://',
    'http://127.0.0.1:6379',
    'rediss://cache.example:6380',
  ])('refuses %s naming the variable', (url) => {
    expect(problemsOf({ REDIS_URL: url })).toEqual([
      'REDIS_URL: must be a redis:// URL with a host, e.g. redis://127.0.0.1:6379/0',
    ]);
  });

  it('says when it is missing', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^REDIS_URL: /)]);
  });
});

describe('DatabaseEnvSchema DATABASE_URL', () => {
  const problems = (env: NodeJS.ProcessEnv): string[] => {
    try {
      parseConfig(DatabaseEnvSchema, env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  it.each([
    'postgres://postgres@127.0.0.1:5432/pcp_identity',
    'postgresql://app:secret@db:5432/pcp_relationships',
  ])('accepts %s', (url) => {
    expect(problems({ DATABASE_URL: url })).toEqual([]);
  });

  it.each(['localhost:5432/pcp', 'postgres://127.0.0.1:5432', 'mysql://127.0.0.1/pcp', ''])(
    'refuses %j naming the variable',
    (url) => {
      expect(problems({ DATABASE_URL: url })).toEqual([
        expect.stringMatching(/^DATABASE_URL: must be a postgres:\/\/ URL/),
      ]);
    },
  );
});

describe('DatabaseEnvSchema DATABASE_POOL_SIZE', () => {
  const url = 'postgres://postgres@127.0.0.1:5432/pcp_identity';
  const problems = (size: string): string[] => {
    try {
      parseConfig(DatabaseEnvSchema, { DATABASE_URL: url, DATABASE_POOL_SIZE: size });
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  it('defaults to 4 connections and reads another size', () => {
    expect(parseConfig(DatabaseEnvSchema, { DATABASE_URL: url }).DATABASE_POOL_SIZE).toBe(4);
    expect(
      parseConfig(DatabaseEnvSchema, { DATABASE_URL: url, DATABASE_POOL_SIZE: '12' })
        .DATABASE_POOL_SIZE,
    ).toBe(12);
  });

  it.each(['1', '0', '101', '2.5', 'many'])('refuses %j naming the variable', (size) => {
    expect(problems(size)).toEqual([expect.stringMatching(/^DATABASE_POOL_SIZE: /)]);
  });
});

describe('CommonEnvSchema HTTP_BODY_LIMIT_BYTES and CORS_ORIGINS', () => {
  const base = { REDIS_URL: 'redis://127.0.0.1:6379/0' };

  it('defaults to a 64 KiB body limit and CORS off', () => {
    const config = parseConfig(schema, base);
    expect(config.HTTP_BODY_LIMIT_BYTES).toBe(65536);
    expect(config.CORS_ORIGINS).toEqual([]);
    expect(parseConfig(schema, { ...base, CORS_ORIGINS: '' }).CORS_ORIGINS).toEqual([]);
  });

  it('reads a comma-separated list of exact origins', () => {
    expect(
      parseConfig(schema, {
        ...base,
        CORS_ORIGINS: 'https://portal.example, http://localhost:8080',
        HTTP_BODY_LIMIT_BYTES: '1048576',
      }),
    ).toMatchObject({
      CORS_ORIGINS: ['https://portal.example', 'http://localhost:8080'],
      HTTP_BODY_LIMIT_BYTES: 1048576,
    });
  });

  it.each([
    '*',
    'portal.example',
    'https://portal.example/',
    'https://portal.example/app',
    'ftp://x.example',
  ])('refuses the origin %j naming the variable', (origin) => {
    expect(problemsOf({ ...base, CORS_ORIGINS: origin })).toEqual([
      expect.stringMatching(/^CORS_ORIGINS\.0: must be comma-separated origins/),
    ]);
  });

  it.each(['0', '12', 'lots', '999999999999'])('refuses the body limit %j', (limit) => {
    expect(problemsOf({ ...base, HTTP_BODY_LIMIT_BYTES: limit })).toEqual([
      expect.stringMatching(/^HTTP_BODY_LIMIT_BYTES: /),
    ]);
  });
});
