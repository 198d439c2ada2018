import { DEVELOPMENT_SECRETS } from '@app/platform';
import {
  devSettings,
  envFor,
  freePort,
  runToExit,
  type ServiceName,
  type Settings,
} from '../../../scripts/lib/system';
import { harnessSettings } from '../support';

/**
 * A deployment that forgets to replace a development secret does not run (issue 9 point 17): each
 * service, started as a process with `NODE_ENV=production` and one secret at a published
 * development value (npm start's, the earlier compose defaults, the tests' samples), exits 1
 * before it listens, with a message naming the variable; the same system with secrets of its own
 * passes the check (its `migrate` step runs).
 */

const SERVICES: ServiceName[] = ['identity', 'relationships', 'notifications'];

/** The harness's settings in production, on a free port, logs on the pipe, with `env` on top. */
async function production(
  service: ServiceName,
  env: Record<string, string> = {},
): Promise<Settings> {
  const base = harnessSettings();
  return {
    ...base,
    nodeEnv: 'production',
    logLevel: 'warn',
    ports: { ...base.ports, [service]: await freePort() },
    logDir: null,
    extraEnv: { [service]: env },
  };
}

/** Every (service, variable, development value) the service reads. */
const CASES = SERVICES.flatMap((service) =>
  Object.entries(DEVELOPMENT_SECRETS)
    .filter(([name]) => name in envFor(service, devSettings()))
    .flatMap(([name, values]) => values.map((value) => [service, name, value] as const)),
);

describe('development secrets in production', () => {
  it('covers the secret of every service and each development secret of identity', () => {
    expect(CASES.map(([service, name]) => `${service} ${name}`)).toEqual(
      expect.arrayContaining([
        'identity LINK_SEALING_KEY',
        'identity OPERATOR_PASSWORD',
        'identity SIGNING_KEY_ENCRYPTION_KEY',
        'relationships LINK_SEALING_KEY',
        'notifications LINK_SEALING_KEY',
      ]),
    );
  });

  it.each(CASES)(
    '%s started with NODE_ENV=production and %s=%s exits 1 naming it',
    async (service, name, value) => {
      const run = await runToExit(
        service,
        [],
        await production(service, { [name]: value }),
        20_000,
      );
      expect({ code: run.code, output: run.output }).toEqual({
        code: 1,
        output: expect.stringMatching(
          new RegExp(
            `^  ${name}: a published development default, refused with NODE_ENV=production; set `,
            'm',
          ),
        ) as unknown,
      });
      // Only that variable is named (the harness's other secrets are its own).
      const named = Object.keys(DEVELOPMENT_SECRETS).filter((other) =>
        new RegExp(`^  ${other}: `, 'm').test(run.output),
      );
      expect(named).toEqual([name]);
    },
  );

  it("refuses every development secret of npm start's identity at once, and a key of one repeated character", async () => {
    const dev = envFor('identity', devSettings());
    const secrets = Object.fromEntries(
      Object.keys(DEVELOPMENT_SECRETS).map((name) => [name, dev[name]]),
    );
    const all = await runToExit('identity', [], await production('identity', secrets), 20_000);
    expect(all.code).toBe(1);
    for (const name of Object.keys(DEVELOPMENT_SECRETS)) {
      expect(all.output).toMatch(new RegExp(`^  ${name}: .*NODE_ENV=production`, 'm'));
    }
    const repeated = await runToExit(
      'relationships',
      [],
      await production('relationships', { LINK_SEALING_KEY: 'x'.repeat(40) }),
      20_000,
    );
    expect(repeated.code).toBe(1);
    expect(repeated.output).toMatch(
      /^ {2}LINK_SEALING_KEY: one character repeated, refused with NODE_ENV=production/m,
    );
  });

  it.each(SERVICES)(
    '%s with secrets of its own passes the check in production (its migrate step runs)',
    async (service) => {
      const run = await runToExit(service, ['migrate'], await production(service), 30_000);
      expect({ code: run.code, output: run.output.trim() }).toEqual({
        code: 0,
        output: 'no pending migrations',
      });
    },
  );
});
