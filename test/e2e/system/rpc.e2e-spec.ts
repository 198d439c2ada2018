import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import {
  addressIn,
  api,
  bearer,
  dbCount,
  dbRows,
  enrollPartner,
  expectStatus,
  harnessSettings,
  signIn,
  startExtraInstance,
  strongPassword,
  uniqueDomainPrefix,
  uniqueEmail,
  uniqueName,
  uniqueSuffix,
  type CreatedCustomer,
  type EnrolledPartner,
  type ExtraInstance,
} from '../support';
import request from 'supertest';

/**
 * The cross-service contracts of the issue: "every handler that writes is idempotent by a request
 * id in its payload (a test runs two identity instances and one customer creation still creates
 * one tenant)" and "every send has a timeout that maps to a clear 503".
 */

const CREATE_CUSTOMER_TENANT = 'identity.customer-tenants.create';

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

  describe('with two identity instances subscribed to the same patterns', () => {
    let redis: Redis;

    beforeAll(async () => {
      extras.push(await startExtraInstance('identity'));
      redis = new Redis(harnessSettings().redisUrl, { lazyConnect: true });
      await redis.connect();
    });

    afterAll(async () => {
      await redis?.quit();
    });

    it('both instances listen on the customer creation pattern', async () => {
      const channel = `${harnessSettings().messageNamespace}${CREATE_CUSTOMER_TENANT}`;
      const [, subscribers] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
      expect(Number(subscribers)).toBe(2);
    });

    it('one customer creation through relationships creates exactly one tenant and one admin', async () => {
      const bodies = Array.from({ length: 3 }, () => ({
        companyProfile: {
          companyName: uniqueName('Adatum Corporation'),
          domainPrefix: uniqueDomainPrefix('adatum'),
        },
        address: addressIn('US'),
        admin: { firstName: 'Ada', lastName: 'Adatum', email: uniqueEmail('ada', 'adatum') },
        subscriptions: [{ offerId: 'microsoft-365-business-basic', quantity: 5 }],
      }));
      const responses = await Promise.all(
        bodies.map((body) =>
          api('relationships').post('/v1/customers').set(bearer(partner.token)).send(body),
        ),
      );
      for (const [i, response] of responses.entries()) {
        const created = expectStatus<CreatedCustomer>(response, 201);
        const domain = created.customer.companyProfile.domain;
        expect(domain.startsWith(`${bodies[i].companyProfile.domainPrefix}.`)).toBe(true);
        const rows = await identityRowsFor(domain, bodies[i].admin.email);
        expect(rows.tenants).toEqual([{ id: created.customer.id, kind: 'customer' }]);
        expect(rows.users).toEqual([{ tenant_id: created.customer.id, password_temporary: true }]);
        expect(await dbCount('relationships', 'customer', 'domain = $1', [domain])).toBe(1);
        // The admin identity stored is the one the partner was shown.
        const first = await signIn(
          created.adminUser.userPrincipalName,
          created.adminUser.temporaryPassword,
        );
        expect(first.passwordChangeRequired).toBe(true);
      }
    });

    it('a repeated request id is answered by both instances with the one tenant it created', async () => {
      const namespace = harnessSettings().messageNamespace;
      const requestChannel = `${namespace}${CREATE_CUSTOMER_TENANT}`;
      const replyChannel = `${requestChannel}.reply`;
      const subscriber = redis.duplicate();
      const replies = new Map<string, unknown[]>();
      subscriber.on('message', (channel: string, message: string) => {
        if (channel !== replyChannel) return;
        const packet = JSON.parse(message) as { id: string; response?: unknown };
        if (packet.response === undefined) return;
        replies.set(packet.id, [...(replies.get(packet.id) ?? []), packet.response]);
      });
      try {
        await subscriber.subscribe(replyChannel);
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
        /** Sends the request as a caller (or its retry) would, and waits for both answers. */
        const send = async (): Promise<unknown[]> => {
          const id = randomUUID();
          await redis.publish(
            requestChannel,
            JSON.stringify({ pattern: CREATE_CUSTOMER_TENANT, data, id }),
          );
          const deadline = Date.now() + 15000;
          while ((replies.get(id)?.length ?? 0) < 2 && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          return replies.get(id) ?? [];
        };
        const first = await send();
        const retry = await send();
        expect(first).toHaveLength(2);
        expect(retry).toHaveLength(2);
        const answers = [...first, ...retry] as {
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
      } finally {
        await subscriber.quit();
      }
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
        .post('/v1/partnership-requests')
        .set(bearer(provider.token))
        .send({ email });
      expect(response.status).toBe(503);
      expect(response.body).toEqual({
        code: 'dependency.unavailable',
        description: expect.any(String),
        data: expect.anything() as unknown,
        source: 'relationships',
      });
      expect(await dbCount('relationships', 'invitation', 'email = $1', [email])).toBe(0);

      // The same request through the instance whose dependencies answer is accepted.
      const control = uniqueEmail('admin', 'fabrikam');
      expectStatus(
        await api('relationships')
          .post('/v1/partnership-requests')
          .set(bearer(provider.token))
          .send({ email: control }),
        201,
      );
      expect(await dbCount('relationships', 'invitation', 'email = $1', [control])).toBe(1);
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
