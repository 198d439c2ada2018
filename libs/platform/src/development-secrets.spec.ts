import { z } from 'zod';
import { CommonEnvSchema, ConfigError, parseConfig } from './config';
import { DEVELOPMENT_SECRETS, developmentSecretProblems } from './development-secrets';

const schema = CommonEnvSchema.extend({
  LINK_SEALING_KEY: z.string(),
  OPERATOR_PASSWORD: z.string().optional(),
  SIGNING_KEY_ENCRYPTION_KEY: z.string().optional(),
});
const base = {
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  LINK_SEALING_KEY: 'k'.repeat(8) + 'x'.repeat(32),
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    parseConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('development secrets in production', () => {
  it.each(
    Object.entries(DEVELOPMENT_SECRETS).flatMap(([name, values]) =>
      values.map((value) => [name, value] as const),
    ),
  )('refuses %s=%s with NODE_ENV=production, naming it', (name, value) => {
    const problems = problemsOf({ ...base, NODE_ENV: 'production', [name]: value });
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^${name}: .*NODE_ENV=production`)),
    ]);
    expect(problemsOf({ ...base, NODE_ENV: 'development', [name]: value })).toEqual([]);
    expect(problemsOf({ ...base, NODE_ENV: 'test', [name]: value })).toEqual([]);
  });

  it('knows a key in either spelling (hex or base64) and refuses one character repeated', () => {
    const hex = DEVELOPMENT_SECRETS.SIGNING_KEY_ENCRYPTION_KEY[0];
    const base64 = Buffer.from(hex, 'hex').toString('base64');
    expect(
      developmentSecretProblems({ NODE_ENV: 'production', SIGNING_KEY_ENCRYPTION_KEY: base64 }),
    ).toHaveLength(1);
    expect(
      developmentSecretProblems({
        NODE_ENV: 'production',
        SIGNING_KEY_ENCRYPTION_KEY: new Uint8Array(Buffer.from(hex, 'hex')),
      }),
    ).toHaveLength(1);
    expect(
      developmentSecretProblems({ NODE_ENV: 'production', LINK_SEALING_KEY: 'a'.repeat(32) }),
    ).toEqual([expect.stringMatching(/^LINK_SEALING_KEY: one character repeated/)]);
    expect(
      developmentSecretProblems({
        NODE_ENV: 'production',
        SIGNING_KEY_ENCRYPTION_KEY: '00'.repeat(32),
      }),
    ).toHaveLength(1);
  });

  it('lets secrets of its own through, and names every refused variable at once', () => {
    expect(
      problemsOf({
        ...base,
        NODE_ENV: 'production',
        LINK_SEALING_KEY: 'a-secret-of-our-own-4f1c9e2b7d5a3c8e6b0d',
        OPERATOR_PASSWORD: 'Another-Operator-Password-7',
        SIGNING_KEY_ENCRYPTION_KEY: Buffer.from('an-own-key-of-thirty-two-bytes!!').toString(
          'base64',
        ),
      }),
    ).toEqual([]);
    expect(
      problemsOf({
        ...base,
        NODE_ENV: 'production',
        LINK_SEALING_KEY: DEVELOPMENT_SECRETS.LINK_SEALING_KEY[0],
        OPERATOR_PASSWORD: DEVELOPMENT_SECRETS.OPERATOR_PASSWORD[0],
      }).map((problem) => problem.split(':')[0]),
    ).toEqual(['LINK_SEALING_KEY', 'OPERATOR_PASSWORD']);
  });
});
