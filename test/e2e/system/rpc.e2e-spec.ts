import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { PATTERNS } from '@app/contracts';
import { RpcClient } from '@app/platform';
import {
  addressIn,
  api,
  askRaw,
  bearer,
  dbCount,
  dbRows,
  enrollPartner,
  eventually,
  expectStatus,
  handlerRuns,
  harnessSettings,
  signIn,
  startExtraInstance,
  strongPassword,
  throwawayNats,
  uniqueDomainPrefix,
  uniqueEmail,
  uniqueName,
  uniqueSuffix,
  type CreatedCustomer,
  type EnrolledPartner,
  type ExtraInstance,
  type ThrowawayNats,
  newCustomerBody,
  errorCode,
} from '../support';
import request from 'supertest';

/**
 * The cross-service contracts: request/response over NATS with a queue group per service, so that
 * each request runs on exactly one instance ("with 2 instances, 100 calls run 100 handlers, spread
 * across instances"); every handler that writes is idempotent by a request id in its payload (a
 * retry, on whichever instance, answers the one tenant created); every call has a timeout that
 * maps to a clear 503, also while NATS is down, and the services start without NATS and reconnect.
 */

const CREATE_CUSTOMER_TENANT = 'identity.customer-tenants.create';
const PARTNERSHIP_REQUEST_PATH = '/v1/partnership-requests';

/** What identity's database holds for one customer domain. */
async function identityRowsFor(domain: string, adminEmail: string) {
  return {
    tenants: await dbRows<{ id: string; kind: string }>(
      'identity',
      'select id, kind from tenant where domain = $1',
      [domain],
    ),
    users: await dbRows<{ tenant_id: string; password_temporary: boolean }>(
      'identity',
      'select tenant_id, password_temporary from user_account where email = $1',
      [adminEmail.toLowerCase()],
    ),
  };
}

describe('request/response between services', () => {
  let partner: EnrolledPartner;
  const extras: ExtraInstance[] = [];

  beforeAll(async () => {
    partner = await enrollPartner({ partnerType: 'direct', name: uniqueName('Tailspin Toys') });
  });

  afterAll(async () => {
    await Promise.all(extras.map((extra) => extra.stop()));
  });

  describe('with two identity instances in one namespace', () => {
    const namespace = `${harnessSettings().messageNamespace}pair-${uniqueSuffix()}:`;
    let pair: ExtraInstance[];

    beforeAll(async () => {
      // Two instances of their own namespace, so that they are the whole queue group; debug logs
      // carry one line per handler run.
      pair = await Promise.all(
        [0, 1].map(() =>
          startExtraInstance('identity', () => ({
            messageNamespace: namespace,
            logLevel: 'debug',
          })),
        ),
      );
      extras.push(...pair);
    });

    it('100 calls run exactly 100 handlers, spread over both instances', async () => {
      Logger.overrideLogger(false);
      const rpc = new RpcClient({
        natsUrl: harnessSettings().natsUrl,
        namespace,
        timeoutMs: 10_000,
        name: 'rpc-e2e',
      });
      try {
        const answers = await Promise.all(
          Array.from({ length: 100 }, () =>
            rpc.send(PATTERNS.getTenants, { tenantIds: [partner.tenantId] }),
          ),
        );
        for (const answer of answers) {
          expect(answer.tenants.map((tenant) => tenant.id)).toEqual([partner.tenantId]);
        }
      } finally {
        await rpc.onApplicationShutdown();
      }
      // Stopped instances have written every line of their logs.
      await Promise.all(pair.map((instance) => instance.stop()));
      const runs = pair.map((instance) => handlerRuns(instance, PATTERNS.getTenants));
      expect(runs[0] + runs[1]).toBe(100);
      expect(runs[0]).toBeGreaterThan(0);
      expect(runs[1]).toBeGreaterThan(0);
    });
  });

  describe("with two identity instances in the system's namespace", () => {
    beforeAll(async () => {
      extras.push(await startExtraInstance('identity'));
    });

    it('one customer creation through relationships creates exactly one tenant and one admin', async () => {
      const bodies = Array.from({ length: 3 }, () =>
        newCustomerBody({
          subscriptions: [{ offerId: 'microsoft-365-business-basic', quantity: 5 }],
        }),
      );
      const responses = await Promise.all(
        bodies.map((body) =>
          api('relationships').post('/v1/customers').set(bearer(partner.token)).send(body),
        ),
      );
      for (const [i, response] of responses.entries()) {
        const created = expectStatus<CreatedCustomer>(response, 201);
        const domain = created.companyProfile.domain;
        expect(domain.startsWith(`${bodies[i].companyProfile.domain}.`)).toBe(true);
        const rows = await identityRowsFor(domain, bodies[i].billingProfile.email);
        expect(rows.tenants).toEqual([{ id: created.id, kind: 'customer' }]);
        expect(rows.users).toEqual([{ tenant_id: created.id, password_temporary: true }]);
        expect(await dbCount('relationships', 'customer', 'domain = $1', [domain])).toBe(1);
        // The admin identity stored is the one the partner was shown.
        const first = await signIn(
          created.userCredentials.userName,
          created.userCredentials.password,
        );
        expect(first.passwordChangeRequired).toBe(true);
      }
    });

    it('a request sent again with its request id, on whichever instance, answers the one tenant it created', async () => {
      const prefix = uniqueDomainPrefix('retry');
      const adminEmail = uniqueEmail('ada', 'adatum');
      const data = {
        requestId: randomUUID(),
        companyName: uniqueName('Adatum Retry'),
        domainPrefix: prefix,
        country: 'US',
        cloud: 'public',
        locale: 'en',
        address: addressIn('US'),
        admin: {
          firstName: 'Ada',
          lastName: 'Adatum',
          email: adminEmail,
          temporaryPassword: strongPassword(),
        },
        createdByTenantId: partner.tenantId,
      };
      // A caller's retries, some at once (racing on two instances), one after the others.
      const first = await Promise.all(
        Array.from({ length: 6 }, () => askRaw(CREATE_CUSTOMER_TENANT, data)),
      );
      const answers = [...first, await askRaw(CREATE_CUSTOMER_TENANT, data)] as {
        ok: boolean;
        data?: { tenant: { id: string }; admin: { userId: string } };
      }[];
      for (const answer of answers) expect(answer.ok).toBe(true);
      const tenantIds = new Set(answers.map((a) => a.data?.tenant.id));
      const userIds = new Set(answers.map((a) => a.data?.admin.userId));
      expect(tenantIds.size).toBe(1);
      expect(userIds.size).toBe(1);
      const domains = new Set(answers.map(domainOf));
      expect(domains.size).toBe(1);
      const [domain] = domains;
      expect(domain.startsWith(`${prefix}.`)).toBe(true);
      const rows = await identityRowsFor(domain, adminEmail);
      expect(rows.tenants).toEqual([{ id: [...tenantIds][0], kind: 'customer' }]);
      expect(rows.users).toHaveLength(1);
    });
  });

  describe('when no service answers a request', () => {
    let isolated: ExtraInstance;
    const rpcTimeoutMs = 1000;
    let provider: EnrolledPartner;

    beforeAll(async () => {
      [isolated, provider] = await Promise.all([
        startExtraInstance('relationships', (s) => ({
          messageNamespace: `${s.messageNamespace}isolated-${uniqueSuffix()}:`,
          rpcTimeoutMs,
        })),
        enrollPartner({
          partnerType: 'indirect_provider',
          name: uniqueName('Contoso Distribution'),
        }),
      ]);
      extras.push(isolated);
    });

    it('answers 503 dependency.unavailable when no service answers, and writes nothing', async () => {
      const email = uniqueEmail('admin', 'fabrikam');
      const response = await request(isolated.url)
        .post(PARTNERSHIP_REQUEST_PATH)
        .set(bearer(provider.token))
        .send({ email });
      expect(response.status).toBe(503);
      expect(response.body).toEqual({
        code: errorCode('dependency.unavailable'),
        description: expect.any(String),
        data: expect.anything() as unknown,
        source: 'relationships',
      });
      expect(await dbCount('relationships', 'invitation', 'email = $1', [email])).toBe(0);

      // The same request through the instance whose dependencies answer is accepted.
      const control = uniqueEmail('admin', 'fabrikam');
      expectStatus(
        await api('relationships')
          .post(PARTNERSHIP_REQUEST_PATH)
          .set(bearer(provider.token))
          .send({ email: control }),
        201,
      );
      expect(await dbCount('relationships', 'invitation', 'email = $1', [control])).toBe(1);
    });
  });

  describe('while NATS is down', () => {
    const rpcTimeoutMs = 1000;
    let nats: ThrowawayNats;
    let relationships: ExtraInstance;
    /** One provider per test: relationships caches the tenants identity told it about. */
    let providers: EnrolledPartner[];

    beforeAll(async () => {
      nats = await throwawayNats();
      providers = await Promise.all(
        [0, 1].map(() =>
          enrollPartner({
            partnerType: 'indirect_provider',
            name: uniqueName('Contoso Distribution'),
          }),
        ),
      );
      // Nothing listens on its port yet: relationships starts (health answers) all the same.
      relationships = await startExtraInstance('relationships', () => ({
        natsUrl: nats.url,
        rpcTimeoutMs,
      }));
      extras.push(relationships);
    });

    afterAll(async () => {
      await nats?.kill();
    });

    /**
     * A partnership request of `provider` through the instance on the throwaway NATS (it asks
     * identity about the provider's tenant).
     */
    const requestPartnership = (provider: EnrolledPartner, email: string) =>
      request(relationships.url)
        .post(PARTNERSHIP_REQUEST_PATH)
        .set(bearer(provider.token))
        .send({ email });

    /** Sends partnership requests until one is accepted (bounded), and returns its email. */
    const eventuallyAccepted = (provider: EnrolledPartner) =>
      eventually('a partnership request accepted over the NATS that came back', async () => {
        const email = uniqueEmail('admin', 'fabrikam');
        const response = await requestPartnership(provider, email);
        if (response.status === 201) return email;
        expect(response.body).toMatchObject({ code: errorCode('dependency.unavailable') });
        return undefined;
      });

    it('a call answers 503 dependency.unavailable and writes nothing; once NATS is there, the services connect and calls succeed', async () => {
      const email = uniqueEmail('admin', 'fabrikam');
      const refused = await requestPartnership(providers[0], email);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({
        code: errorCode('dependency.unavailable'),
        source: 'relationships',
      });
      expect(await dbCount('relationships', 'invitation', 'email = $1', [email])).toBe(0);

      await nats.start();
      extras.push(await startExtraInstance('identity', () => ({ natsUrl: nats.url })));
      const accepted = await eventuallyAccepted(providers[0]);
      expect(await dbCount('relationships', 'invitation', 'email = $1', [accepted])).toBe(1);
    });

    it('after NATS is killed, calls answer 503; after it restarts, both sides reconnect and calls succeed', async () => {
      await nats.kill();
      const email = uniqueEmail('admin', 'fabrikam');
      const refused = await requestPartnership(providers[1], email);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: errorCode('dependency.unavailable') });
      expect(await dbCount('relationships', 'invitation', 'email = $1', [email])).toBe(0);

      await nats.start();
      const accepted = await eventuallyAccepted(providers[1]);
      expect(await dbCount('relationships', 'invitation', 'email = $1', [accepted])).toBe(1);
    });
  });
});

/** The default domain in identity's answer to a customer creation. */
function domainOf(answer: unknown): string {
  const domain = (answer as { data?: { tenant: { customer?: { domain?: string } } } }).data?.tenant
    .customer?.domain;
  if (!domain) throw new Error(`The answer carries no domain: ${JSON.stringify(answer)}`);
  return domain;
}
