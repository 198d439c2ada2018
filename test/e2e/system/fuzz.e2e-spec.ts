import { errorCodeOf } from '../support/graph-errors';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { allEmails, api, bearer, type ReceivedEmail, type ServiceName } from '../support';
import {
  PAGE_ROUTES,
  PUBLIC_SAMPLES,
  ROUTE_FIXTURES,
  type RouteCall,
} from '../support/route-fixtures';
import { skipResponseValidation } from '../support/openapi-validation';
import { declaredRoutes, type DeclaredRoute } from '../support/routes';
import { DatabaseSignatures, Quiescence, changedTables } from '../support/writes';
import { buildBaseWorld, type BaseWorld } from '../support/world';

/**
 * Property-based fuzzing (fast-check) of every route of every service: path
 * parameters, query strings and bodies built from each route's representative call
 * (test/e2e/support/route-fixtures.ts) and mutated with wrong types, missing and extra fields,
 * very long strings (up to and over the body limit), control characters, NUL, CR/LF in names,
 * unicode edge cases (lone surrogates, bidi overrides), 1000-level nesting, huge arrays, raw
 * malformed or oversized bodies and foreign content types. For every case:
 * - never a 5xx; every 4xx in the API error format (the HTML pages may answer with a page);
 * - a 4xx wrote nothing: the signature (row count and newest row version) of every table of the
 *   identity and relationships databases is unchanged;
 * and at the end no delivered email carries an injected header (CR/LF in a name never reaches a
 * header). A fixed seed by default (`FUZZ_SEED`), `FUZZ_RUNS` cases per route; the run prints the
 * seed and the cases it sent.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const SERVICES: ServiceName[] = ['identity', 'relationships', 'notifications'];

/** A CR/LF header injection attempt; no email may ever carry its header or recipient. */
const INJECTED_HEADER = 'X-Injected';
const INJECTED_DOMAIN = 'evil.example';
const INJECTION = `Contoso\r\nBcc: victim@${INJECTED_DOMAIN}\r\n${INJECTED_HEADER}: yes`;

// ---------------------------------------------------------------------------------------------
// Arbitraries

const special = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  INJECTION,
  `Fabrikam\nSubject: spoofed\n${INJECTED_HEADER}: 1`,
  '\r\n',
  '\n.\n',
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  "' OR '1'='1",
  '; drop table tenant; --',
  '../../../../etc/passwd',
  '%00',
  '%zz',
  '\u202eevil',
  '\ud800',
  '\udfff',
  '\ufeff',
  '🧪🎉',
  'ǅⅧ',
  'null',
  'true',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
  '00000000-0000-0000-0000-000000000000',
);
const control = fc.string({
  unit: fc.integer({ min: 0, max: 31 }).map((code) => String.fromCharCode(code)),
  maxLength: 20,
});
/** Strings up to `max` characters: the body limit is 64 KiB, URLs stay under Node's 16 KiB. */
const long = (max: number) =>
  fc
    .tuple(
      fc.constantFrom(100, 1_000, 8_000, 30_000, 70_000, 200_000).filter((n) => n <= max),
      fc.constantFrom('a', 'é', '\r\n', '🧪', '\u0000'),
    )
    .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)));
const hostileString = (max = 200_000) =>
  fc.oneof(
    special,
    control,
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ maxLength: 40 }),
    long(max),
  );

/** `{ a: { a: … 1 } }` `depth` levels deep. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(10, 1000).map(nested),
  fc.constantFrom(1_000, 10_000, 100_000).map((n) => Array.from({ length: n }, (_, i) => i)),
);

/** Raw bodies: malformed, prototype pollution, raw deep nesting, oversized. */
const RAW_BODIES = [
  '{"a":',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  `${'['.repeat(1000)}${']'.repeat(1000)}`,
  `${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`,
  `"${'x'.repeat(70_000)}"`,
  '',
  'null',
  '1',
  '"text"',
  '\u0000',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
];

/** Percent-encodes any string (lone surrogates included) as UTF-8. */
function encodePart(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

type Body =
  | { type: 'none' }
  | { type: 'json'; value: unknown }
  | { type: 'form'; value: Record<string, unknown> }
  | { type: 'raw'; contentType: string; text: string };

interface FuzzCase {
  strategy: string;
  /** Path parameter values, already encoded for the URL. */
  params: Record<string, string>;
  /** The query string, already encoded (without `?`), or empty. */
  query: string;
  body: Body;
  authenticated: boolean;
}

/** Every path to a leaf of a JSON value, e.g. `['admin', 'email']`. */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [prefix];
    return entries.flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
  }
  return [prefix];
}

/** A copy of `value` with the leaf at `path` replaced (or removed when `replacement` is absent). */
function withLeaf(value: unknown, path: string[], replacement?: { value: unknown }): unknown {
  if (path.length === 0) return replacement ? replacement.value : undefined;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string,
    unknown
  >;
  const [head, ...rest] = path;
  if (rest.length === 0) {
    if (replacement) copy[head] = replacement.value;
    else delete copy[head];
  } else {
    copy[head] = withLeaf(copy[head], rest, replacement);
  }
  return copy;
}

const QUERY_KEYS = [
  'size',
  'seek',
  'seekOperation',
  'status',
  'name',
  'relationship_type',
  'filter',
  'token',
  'action',
  'subjectType',
  'subjectId',
];

function queryString(entries: [string, string][]): string {
  return entries.map(([k, v]) => `${encodePart(k)}=${encodePart(v)}`).join('&');
}

/** The fuzz cases of one route, around its representative call. */
function casesOf(
  route: DeclaredRoute,
  sample: RouteCall,
  ids: string[],
  authenticated: boolean,
): fc.Arbitrary<FuzzCase> {
  const sampleParams = sample.params ?? {};
  const param = (name: string) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(encodePart(sampleParams[name] ?? randomUUID())) },
      { weight: 2, arbitrary: fc.constantFrom(...ids).map(encodePart) },
      { weight: 1, arbitrary: fc.uuid().map(encodePart) },
      { weight: 3, arbitrary: hostileString(8_000).map(encodePart) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('%zz', '..', '%2e%2e', '%2F', '%00', 'a'.repeat(101)),
      },
    );
  const params = fc.record(Object.fromEntries(route.params.map((name) => [name, param(name)])));
  const sampleQuery = Object.entries(sample.query ?? {});
  const query = fc.oneof(
    fc.constant(queryString(sampleQuery)),
    fc
      .tuple(fc.constantFrom(...QUERY_KEYS, ...sampleQuery.map(([k]) => k)), hostileString(8_000))
      .map(([key, value]) =>
        queryString([...sampleQuery.filter(([k]) => k !== key), [key, value]]),
      ),
    fc
      .tuple(
        fc.constantFrom(...QUERY_KEYS),
        fc.array(hostileString(100), { minLength: 2, maxLength: 4 }),
      )
      .map(([key, values]) =>
        queryString([...sampleQuery, ...values.map((v) => [key, v] as [string, string])]),
      ),
    fc.constantFrom(
      '%zz',
      '&&&',
      '=',
      'a[b]=c',
      '__proto__[polluted]=1',
      'size=1&size=2',
      '%00=%00',
    ),
  );
  const base = sample.body;
  const asBody = (value: unknown): Body =>
    sample.form && value && typeof value === 'object' && !Array.isArray(value)
      ? { type: 'form', value: value as Record<string, unknown> }
      : { type: 'json', value };
  const paths = base === undefined ? [] : leafPaths(base);
  const bodies: fc.Arbitrary<{ strategy: string; body: Body }>[] = [
    fc.constant({
      strategy: 'as sampled',
      body: base === undefined ? { type: 'none' } : asBody(base),
    }),
    hostileValue.map((value) => ({ strategy: 'wrong body type', body: { type: 'json', value } })),
    fc
      .tuple(fc.constantFrom(...RAW_BODIES), fc.constantFrom(...CONTENT_TYPES))
      .map(([text, contentType]) => ({
        strategy: 'raw body',
        body: { type: 'raw', contentType, text },
      })),
  ];
  if (paths.length > 0 && base && typeof base === 'object') {
    bodies.push(
      fc.tuple(fc.constantFrom(...paths), hostileValue).map(([path, value]) => ({
        strategy: `field ${path.join('.')} = hostile value`,
        body: asBody(withLeaf(base, path, { value })),
      })),
      fc.tuple(fc.constantFrom(...paths), hostileString()).map(([path, value]) => ({
        strategy: `field ${path.join('.')} = hostile string`,
        body: asBody(withLeaf(base, path, { value })),
      })),
      fc.constantFrom(...paths).map((path) => ({
        strategy: `field ${path.join('.')} missing`,
        body: asBody(withLeaf(base, path)),
      })),
      fc
        .tuple(
          fc.constantFrom('__proto__', 'constructor', 'extra', 'id', 'tenantId', 'roles'),
          hostileValue,
        )
        .map(([key, value]) => ({
          strategy: `extra field ${key}`,
          body: asBody({ ...base, [key]: value }),
        })),
    );
  }
  return fc
    .tuple(params, query, fc.oneof(...bodies), fc.integer({ min: 0, max: 9 }))
    .map(([p, q, { strategy, body }, dice]) => ({
      strategy,
      params: p,
      query: q,
      body,
      authenticated: authenticated && dice > 0,
    }));
}

// ---------------------------------------------------------------------------------------------

/** The services' request body limit (`DEFAULT_BODY_LIMIT_BYTES`, libs/platform). */
const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Sends one fuzz case; a body over the services' limit may be refused by closing the connection
 * while it is still being uploaded (the server does not read what it will not accept), which the
 * client sees as `aborted` / `ECONNRESET` / `EPIPE` instead of the 413. That counts as a refusal
 * when the service then still answers its liveness probe (it did not crash); any other transport
 * error fails the case.
 */
async function sendOrRefusedUpload(
  route: DeclaredRoute,
  fuzz: FuzzCase,
  token: string | undefined,
): Promise<Response | 'upload refused'> {
  try {
    return await send(route, fuzz, token);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const oversized = bodyBytes(fuzz) > BODY_LIMIT_BYTES;
    if (!oversized || !/aborted|ECONNRESET|EPIPE|socket hang up/i.test(message)) throw error;
    const alive = await api(route.service).get('/health/live');
    if (alive.status !== 200) throw new Error(`${message}, and the service no longer answers`);
    return 'upload refused';
  }
}

/** The size of a fuzz case's body as sent, in bytes. */
function bodyBytes(fuzz: FuzzCase): number {
  switch (fuzz.body.type) {
    case 'none':
      return 0;
    case 'json':
      return Buffer.byteLength(JSON.stringify(fuzz.body.value) ?? 'null');
    case 'raw':
      return Buffer.byteLength(fuzz.body.text);
    case 'form':
      return Buffer.byteLength(JSON.stringify(fuzz.body.value) ?? '');
  }
}

/** Sends one fuzz case. */
function send(route: DeclaredRoute, fuzz: FuzzCase, token: string | undefined): Promise<Response> {
  const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => fuzz.params[name]);
  const url = fuzz.query ? `${path}?${fuzz.query}` : path;
  const agent = api(route.service);
  let pending =
    route.method === 'GET'
      ? agent.get(url)
      : route.method === 'POST'
        ? agent.post(url)
        : route.method === 'PUT'
          ? agent.put(url)
          : route.method === 'PATCH'
            ? agent.patch(url)
            : agent.delete(url);
  if (fuzz.authenticated && token) pending = pending.set(bearer(token));
  switch (fuzz.body.type) {
    case 'none':
      return pending;
    case 'json':
      return pending
        .set('content-type', 'application/json')
        .send(JSON.stringify(fuzz.body.value) ?? 'null');
    case 'form':
      return pending.type('form').send(
        Object.entries(fuzz.body.value)
          .map(
            ([k, v]) =>
              `${encodePart(k)}=${encodePart(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`,
          )
          .join('&'),
      );
    case 'raw':
      return pending.set('content-type', fuzz.body.contentType).send(fuzz.body.text);
  }
}

/** Why an answer breaks the invariants, or null. */
function answerProblem(route: DeclaredRoute, response: Response): string | null {
  if (response.status >= 500) return `${response.status}: ${response.text.slice(0, 300)}`;
  if (response.status < 400) return null;
  const html = /^text\/html/.test(String(response.headers['content-type']));
  if (html && PAGE_ROUTES[route.service].includes(route.key)) return null;
  if (errorCodeOf(response.body) === null) {
    return `a ${response.status} outside the API error format: ${response.text.slice(0, 300)}`;
  }
  return null;
}

/** A short, printable view of a case (long strings cut). */
function show(fuzz: FuzzCase): string {
  return JSON.stringify(fuzz, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 120
      ? `${value.slice(0, 120)}…(${value.length})`
      : value,
  );
}

// This suite sends garbage at the wire level (foreign content types, raw malformed and oversized
// bodies) and asserts on the refusals itself; the answers it provokes are not API calls.
skipResponseValidation(
  'the fuzz suite sends garbage at the wire level and checks every answer itself (never a 5xx, 4xx in the API error format)',
);

describe('fuzzing every route (fast-check)', () => {
  const routes: DeclaredRoute[] = [];
  let world: BaseWorld;
  const signatures = new DatabaseSignatures(['identity', 'relationships']);
  const quiescence = new Quiescence();
  const counts = { cases: 0, '2xx': 0, '4xx': 0, writes: 0 };
  let emailsChecked = 0;
  let started: Date;

  beforeAll(async () => {
    for (const service of SERVICES) routes.push(...(await declaredRoutes(service)));
    world = await buildBaseWorld();
    await Promise.all([signatures.open(), quiescence.open()]);
    started = new Date();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([signatures.close(), quiescence.close()]);
    process.stdout.write(
      `\nfuzz: seed ${SEED} (FUZZ_SEED), ${RUNS} cases per route (FUZZ_RUNS), ${routes.length} routes: ${counts.cases} cases sent (${counts['2xx']} answered 2xx, ${counts.writes} of them writing; ${counts['4xx']} 4xx, none writing), ${emailsChecked} delivered emails checked for injected headers\n`,
    );
  });

  it('never answers 5xx, answers every 4xx in the API error format, and writes nothing on a 4xx', async () => {
    const failures: string[] = [];
    const ids = [
      world.provider.tenantId,
      world.reseller.tenantId,
      world.customer.tenantId,
      world.providerCustomer.id,
      world.providerCustomer.subscriptions[0].id,
    ];
    for (const [index, route] of routes.entries()) {
      const fixture = ROUTE_FIXTURES[route.service][route.key];
      const publicSample = PUBLIC_SAMPLES[route.service][route.key];
      let sample: RouteCall = {};
      if (fixture) sample = fixture.sample?.(world) ?? (await fixture.valid(world, noReview));
      else if (publicSample) sample = publicSample(world);
      const token =
        route.access.kind === 'permission' ? (sample.token ?? fixture?.caller(world)) : undefined;
      // The sample's preparation (sign-ins, invitations) sends events that land in the background:
      // let them land before the first signature.
      await quiescence.settle();
      let before = await signatures.read();
      const details = await fc.check(
        fc.asyncProperty(casesOf(route, sample, ids, token !== undefined), async (fuzz) => {
          counts.cases += 1;
          const response = await sendOrRefusedUpload(route, fuzz, token);
          if (response === 'upload refused') {
            counts['4xx'] += 1;
            return;
          }
          const problem = answerProblem(route, response);
          if (problem) throw new Error(problem);
          if (response.status < 300) {
            counts['2xx'] += 1;
            await quiescence.settle();
            const after = await signatures.read();
            if (changedTables(before, after).length > 0) counts.writes += 1;
            before = after;
            return;
          }
          counts['4xx'] += 1;
          const after = await signatures.read();
          const changed = changedTables(before, after);
          before = after;
          if (changed.length > 0) {
            throw new Error(
              `a ${response.status} (${response.text.slice(0, 120)}) wrote to ${changed.join(', ')}`,
            );
          }
        }),
        { seed: SEED + index, numRuns: RUNS, endOnFailure: true },
      );
      if (details.failed) {
        failures.push(
          `${route.service} ${route.key}: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)} — case ${details.counterexample ? show(details.counterexample[0]) : '?'} (replay: FUZZ_SEED=${SEED}, seed ${SEED + index}, path ${details.counterexamplePath ?? ''})`,
        );
      }
    }
    expect(failures).toEqual([]);
    // The write check can fail: the signatures did see the writes of accepted cases.
    expect(counts.writes).toBeGreaterThan(0);
  }, 600_000);

  it('lets no CR/LF of a name reach an email header', async () => {
    await quiescence.settle();
    const emails: ReceivedEmail[] = (await allEmails()).filter(
      (email) => email.time.getTime() >= started.getTime() - 1000,
    );
    emailsChecked = emails.length;
    const injected = emails.filter(
      (email) =>
        /[\r\n]/.test(email.subject) ||
        email.to.some((to) => to.includes(INJECTED_DOMAIN)) ||
        Object.entries(email.headers).some(
          ([name, value]) =>
            name === 'bcc' ||
            name === INJECTED_HEADER.toLowerCase() ||
            value.includes(INJECTED_DOMAIN),
        ),
    );
    expect(injected.map((email) => ({ subject: email.subject, headers: email.headers }))).toEqual(
      [],
    );
  });
});

/** The fuzzer never needs the identity instance without auto-approval (samples avoid it). */
const noReview = {
  reviewUrl: (): Promise<string> =>
    Promise.reject(new Error('a fuzz sample must not need the review instance')),
};
