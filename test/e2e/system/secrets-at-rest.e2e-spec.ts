import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import {
  addActiveUser,
  addUser,
  api,
  bearer,
  confirmLinkPage,
  connectDatabase,
  emailsTo,
  enrollPartner,
  expectStatus,
  harnessSettings,
  signInVerificationEmail,
  signUpCustomer,
  strongPassword,
  system,
  linkIn,
  tokenIn,
  waitForEmail,
  waitForEmailCarrying,
  waitForEmailWhere,
  type EnrolledPartner,
  type PartnershipRequestSent,
  type RelationshipRequestSent,
  type ServiceName,
} from '../support';
import { newEnrollmentBody, operatorToken, partner } from '../support';

/**
 * No raw invitation token at rest: the tokens of every kind of invitation email
 * (enrollment verification and its resend, a new user's sign-in address verification, a password
 * reset, partnership request and its resend, reseller
 * relationship request without and with delegated admin privileges, joint request), read from the
 * emails MailDev received, appear nowhere in the run's PostgreSQL databases (every column of every
 * table), in its Redis keys (BullMQ job data, return values, events) or in the services' log files.
 * Only their SHA-256 hashes are stored; the links travel sealed (AES-256-GCM) in the outbox and the
 * queue and are opened only to render the email.
 */

const SERVICES: ServiceName[] = ['identity', 'relationships', 'notifications'];

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** Every text of every row of every table of a service's database, as `table: row`. */
async function databaseText(service: ServiceName): Promise<string[]> {
  const client = await connectDatabase(service);
  try {
    const tables = await client.query<{ name: string }>(
      `select quote_ident(table_schema) || '.' || quote_ident(table_name) as name
         from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    const rows: string[] = [];
    for (const { name } of tables.rows) {
      const result = await client.query<{ row: string }>(`select t::text as row from ${name} t`);
      rows.push(...result.rows.map((r) => `${service}.${name}: ${r.row}`));
    }
    return rows;
  } finally {
    await client.end();
  }
}

/** Every value under the run's BullMQ prefix, as `key: value`. */
async function redisText(): Promise<string[]> {
  const settings = harnessSettings();
  const redis = new Redis(settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const out: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${settings.bullmqPrefix}:*`,
        'COUNT',
        500,
      );
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        let value: unknown;
        switch (type) {
          case 'string':
            value = await redis.get(key);
            break;
          case 'hash':
            value = await redis.hgetall(key);
            break;
          case 'list':
            value = await redis.lrange(key, 0, -1);
            break;
          case 'set':
            value = await redis.smembers(key);
            break;
          case 'zset':
            value = await redis.zrange(key, 0, -1);
            break;
          case 'stream':
            value = await redis.xrange(key, '-', '+');
            break;
          default:
            value = `(${type})`;
        }
        out.push(`${key}: ${JSON.stringify(value)}`);
      }
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return out;
}

/** Every `*.log` file under `dir`, recursively. */
function logFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return logFiles(file);
    return name.endsWith('.log') ? [file] : [];
  });
}

/**
 * Waits (bounded poll) until each service's log holds a request line sent now, so that every line
 * written before it is on disk (pino writes asynchronously).
 */
async function flushLogs(dir: string): Promise<void> {
  for (const service of SERVICES) {
    const marker = `flush-${randomUUID()}`;
    await api(service).get(`/flush-probe-${marker}`).set('MS-RequestId', marker);
    const file = path.join(dir, `${service}.log`);
    const deadline = Date.now() + 10_000;
    while (!readFileSync(file, 'utf8').includes(marker)) {
      if (Date.now() >= deadline) throw new Error(`The ${service} log never showed ${marker}.`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The places holding `needle`, by line. */
function holders(lines: string[], needle: string): string[] {
  return lines.filter((line) => line.includes(needle)).map((line) => line.slice(0, 200));
}

describe('no raw invitation token at rest', () => {
  /** token → how it was issued. */
  const tokens = new Map<string, string>();
  const searched = { rows: 0, keys: 0, lines: 0 };

  afterAll(() => {
    process.stdout.write(
      `\nsecrets at rest: ${tokens.size} raw tokens searched in ${searched.rows} database rows, ${searched.keys} Redis keys and ${searched.lines} log lines (run ${system().runId})\n`,
    );
  });
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;

  beforeAll(async () => {
    [provider, reseller] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider' }),
      enrollPartner({ partnerType: 'indirect_reseller' }),
    ]);
    await partner(provider, reseller);
    const operator = await operatorToken();

    // Enrollment verification: one followed (by enrollPartner), one left pending, then resent.
    const verification = (await emailsTo({ to: reseller.email })).find((email) =>
      linkIn(email).includes('/v1/enrollments/verify?'),
    );
    if (!verification) throw new Error('The reseller received no verification email.');
    tokens.set(tokenIn(verification), 'enrollment verification (used)');
    const pending = newEnrollmentBody();
    const pendingId = expectStatus<{ enrollmentId: string }>(
      await api('identity').post('/v1/enrollments').send(pending),
      201,
    ).enrollmentId;
    const firstLink = await waitForEmail({ to: pending.primaryContact.email });
    tokens.set(tokenIn(firstLink), 'enrollment verification (superseded)');
    expectStatus(
      await api('identity')
        .post(`/v1/enrollments/${pendingId}/resend-verification`)
        .set(bearer(operator)),
      200,
    );
    const secondLink = await waitForEmailWhere(
      { to: pending.primaryContact.email },
      (email) => email.id !== firstLink.id,
    );
    tokens.set(tokenIn(secondLink), 'enrollment verification (resent, pending)');

    // A new user's sign-in address verification (one used, one pending) and a password reset
    // (one used, one pending; issue 9 points 7, 8).
    const [verifiedUser, pendingUser] = await Promise.all([
      addActiveUser(provider.token, ['SalesAgent']),
      addUser(provider.token, ['SalesAgent']),
    ]);
    tokens.set(
      tokenIn(await signInVerificationEmail(verifiedUser.user.email)),
      'sign-in address verification (used)',
    );
    tokens.set(
      tokenIn(await signInVerificationEmail(pendingUser.user.email)),
      'sign-in address verification (pending)',
    );
    for (const [user, label] of [
      [verifiedUser.user.email, 'password reset (used)'],
      [pendingUser.user.email, 'password reset (pending)'],
    ] as const) {
      expectStatus(
        await api('identity').post('/v1/auth/password-reset-requests').send({ email: user }),
        202,
      );
      const reset = await waitForEmail({ to: user, subjectIncludes: 'Reset your password' });
      tokens.set(tokenIn(reset), label);
      if (label === 'password reset (used)') {
        const password = strongPassword();
        await confirmLinkPage(linkIn(reset), { password, passwordConfirmation: password });
      }
    }

    // A partnership request (queued), accepted; another left pending and resent.
    const invitee = await enrollPartner({ partnerType: 'indirect_reseller' });
    const accepted = expectStatus<PartnershipRequestSent>(
      await api('relationships')
        .post('/v1/partnership-requests')
        .set(bearer(provider.token))
        .send({ email: invitee.email }),
      201,
    );
    const acceptedToken = tokenIn(await waitForEmailCarrying(invitee.email, accepted.draft.link));
    tokens.set(acceptedToken, 'partnership request (accepted)');
    expectStatus(
      await api('relationships')
        .post('/v1/partnership-requests/accept')
        .set(bearer(invitee.token))
        .send({ token: acceptedToken, authorize: true }),
      200,
    );
    const pendingEmail = `pending.${randomUUID()}@fabrikam-pending.example`;
    const pendingRequest = expectStatus<PartnershipRequestSent>(
      await api('relationships')
        .post('/v1/partnership-requests')
        .set(bearer(provider.token))
        .send({ email: pendingEmail }),
      201,
    );
    tokens.set(
      tokenIn(await waitForEmailCarrying(pendingEmail, pendingRequest.draft.link)),
      'partnership request (superseded)',
    );
    const resent = expectStatus<PartnershipRequestSent>(
      await api('relationships')
        .post(`/v1/partnership-requests/${pendingRequest.id}/resend`)
        .set(bearer(provider.token))
        .send({}),
      200,
    );
    tokens.set(
      tokenIn(await waitForEmailCarrying(pendingEmail, resent.draft.link)),
      'partnership request (resent, pending)',
    );

    // Reseller relationship requests: plain (accepted), with DAP (pending), joint (accepted).
    const [plainCustomer, dapCustomer, jointCustomer] = await Promise.all([
      signUpCustomer(),
      signUpCustomer(),
      signUpCustomer(),
    ]);
    const requests: [typeof plainCustomer, Record<string, unknown>, string, boolean][] = [
      [plainCustomer, { delegatedAdmin: false }, 'relationship request (accepted)', true],
      [dapCustomer, { delegatedAdmin: true }, 'relationship request with DAP (pending)', false],
      [
        jointCustomer,
        { delegatedAdmin: true, indirectProviderId: provider.tenantId },
        'joint relationship request (accepted)',
        true,
      ],
    ];
    for (const [customer, body, label, accept] of requests) {
      const sent = expectStatus<RelationshipRequestSent>(
        await api('relationships')
          .post('/v1/customers/relationship-requests')
          .set(bearer(reseller.token))
          .send({ email: customer.email, ...body }),
        201,
      );
      const token = tokenIn(await waitForEmailCarrying(customer.email, sent.draft.link));
      tokens.set(token, label);
      if (accept) {
        expectStatus(
          await api('relationships')
            .post('/v1/customers/relationship-requests/accept')
            .set(bearer(customer.token))
            .send({ token, acceptCustomerAgreement: true }),
          200,
        );
      }
    }
    // The page a customer opens (its URL carries the token; it reaches the request log).
    const dapToken = [...tokens].find(([, label]) => label.includes('DAP'))?.[0] ?? '';
    expectStatus(
      await api('relationships')
        .get('/invitations/reseller-relationship')
        .query({ token: dapToken }),
      200,
    );
  }, 180_000);

  it('issues tokens of 256 random bits (43 base64url characters) for every kind', () => {
    expect(tokens.size).toBeGreaterThanOrEqual(8);
    for (const [token, label] of tokens) {
      expect({ label, bits: Buffer.from(token, 'base64url').length * 8 }).toEqual({
        label,
        bits: 256,
      });
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('stores none in PostgreSQL, only hashes', async () => {
    const rows = (await Promise.all(SERVICES.map(databaseText))).flat();
    const found = [...tokens].flatMap(([token, label]) =>
      holders(rows, token).map((where) => `${label}: ${where}`),
    );
    expect(found).toEqual([]);
    // The search reads the tables that matter: the hashes of current tokens are there.
    const accepted = [...tokens].find(([, label]) => label === 'partnership request (accepted)');
    expect(holders(rows, sha256(accepted?.[0] ?? '')).length).toBeGreaterThan(0);
    searched.rows = rows.length;
  });

  it('stores none in Redis (job data, return values, events)', async () => {
    const values = await redisText();
    const found = [...tokens].flatMap(([token, label]) =>
      holders(values, token).map((where) => `${label}: ${where}`),
    );
    expect(found).toEqual([]);
    // The search reads the job data: the accepted partnership's identity event is there (email
    // jobs leave Redis once delivered, so their sealed links may be gone by now).
    expect(values.some((value) => value.includes('providerTenantId'))).toBe(true);
    searched.keys = values.length;
  });

  it('writes none to the logs', async () => {
    const dir = harnessSettings().logDir;
    if (!dir) throw new Error('The e2e system logs to the console: no log files to search.');
    await flushLogs(dir);
    const lines = logFiles(dir).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line) => `${path.basename(file)}: ${line}`),
    );
    const found = [...tokens].flatMap(([token, label]) =>
      holders(lines, token).map((where) => `${label}: ${where}`),
    );
    expect(found).toEqual([]);
    // The search reads the request lines: the links' URLs are there, redacted.
    expect(lines.some((line) => line.includes('token=[redacted]'))).toBe(true);
    searched.lines = lines.length;
  });
});
