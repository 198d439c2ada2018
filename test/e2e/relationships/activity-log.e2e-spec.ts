import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { Queue } from 'bullmq';
import { AUDIT_EVENTS, IDENTITY_AUDIT_EVENTS, JOBS, QUEUES } from '@app/contracts';
import { redisOptionsFromUrl } from '@app/platform';
import {
  acceptRelationship,
  api,
  bearer,
  createCustomer,
  databaseUrl,
  dbRows,
  draftRelationshipRequest,
  enrollPartner,
  eventually,
  expectApiError,
  expectStatus,
  harnessSettings,
  newCustomerBody,
  operatorToken,
  partner,
  signUpCustomer,
  tokenOfLink,
  type EnrolledPartner,
  type SignedUpCustomer,
  linkHeaders,
  type Link,
} from '../support';

/**
 * The activity log as the platform's one audit trail (issue 14 "One audit trail"): recorded in the
 * change's transaction, read by both sides of a relationship and by nobody else (the operator
 * reads all), Partner Center's range, filter and paging, the NDJSON export, identity's events
 * appended once per id, and the hash chains that `npm run audit:verify` checks.
 */

interface AuditRecord {
  id: string;
  type: string;
  operationType: string;
  operationStatus: string;
  operationDate: string;
  customerId: string | null;
  customerName: string | null;
  partnerId: string | null;
  userPrincipalName: string | null;
  resourceType: string;
  resourceOldValue: string | null;
  resourceNewValue: string | null;
  originalCorrelationId: string | null;
  actor: { kind: string; userId: string | null; tenantId: string | null };
  resource: { type: string; id: string };
  tenantIds: string[];
  requestId: string | null;
  attributes: { objectType: string };
}

interface Page {
  totalCount: number;
  items: AuditRecord[];
  links: { next?: Link };
}

interface ExportLine {
  id: string;
  type: string;
  tenantIds: string[];
  chain: { tenantId: string; seq: number; hash: string }[];
}

const eventType = (value: string, operator = 'equals') =>
  JSON.stringify({ Field: 'eventType', Value: value, Operator: operator });

/** The user id (`sub`) of an access token. */
const userOf = (token: string): string => decodeJwt(token).sub!;

async function log(token: string, query: Record<string, string> = {}): Promise<Page> {
  return expectStatus<Page>(
    await api('relationships')
      .get('/v1/activity-logs')
      .query({ size: '500', ...query })
      .set(bearer(token)),
    200,
  );
}

async function ids(token: string, query: Record<string, string> = {}): Promise<string[]> {
  return (await log(token, query)).items.map((item) => item.id);
}

async function entriesOfRequest(requestId: string): Promise<{ id: string; type: string }[]> {
  return dbRows('relationships', 'select id, type from activity_log_entry where request_id = $1', [
    requestId,
  ]);
}

async function exportLines(token: string, query: Record<string, string> = {}) {
  const response = await api('relationships')
    .get('/v1/activity-logs/export')
    .query(query)
    .set(bearer(token))
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
  const text = response.body as string;
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ExportLine);
}

function auditVerify(): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [join(__dirname, '../../../scripts/audit-verify.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl('relationships') },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('activity log: the one audit trail', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  let copartner: EnrolledPartner;
  let stranger: EnrolledPartner;
  let customer: SignedUpCustomer;
  let operator: string;
  let partnershipEventId: string;
  let relationshipEventId: string;

  beforeAll(async () => {
    [provider, reseller, copartner, stranger, customer, operator] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider' }),
      enrollPartner({ partnerType: 'indirect_reseller' }),
      enrollPartner({ partnerType: 'direct' }),
      enrollPartner({ partnerType: 'direct' }),
      signUpCustomer(),
      operatorToken(),
    ]);
    await partner(provider, reseller);
    // The reseller and the co-partner both become resellers of record of the customer.
    const joint = await draftRelationshipRequest(reseller, {
      email: customer.email,
      delegatedAdmin: true,
      indirectProviderId: provider.tenantId,
    });
    await acceptRelationship(customer, tokenOfLink(joint.draft.link));
    const other = await draftRelationshipRequest(copartner, { email: customer.email });
    await acceptRelationship(customer, tokenOfLink(other.draft.link));
    const established = (
      await log(reseller.token, { filter: eventType('partnership.established') })
    ).items;
    partnershipEventId = established[0].id;
    const relationship = (
      await log(reseller.token, { filter: eventType('reseller_relationship.established') })
    ).items.find((item) => item.customerId === customer.tenantId);
    relationshipEventId = relationship!.id;
  }, 240_000);

  describe('recording', () => {
    it('writes one event per change with the request and correlation ids, and none for a refused request', async () => {
      const requestId = randomUUID();
      const correlationId = randomUUID();
      const created = expectStatus<{ id: string }>(
        await api('relationships')
          .post(`/v1/customers/relationship-requests`)
          .set(bearer(reseller.token))
          .set('MS-RequestId', requestId)
          .set('MS-CorrelationId', correlationId)
          .send({
            email: `admin-${randomUUID()}@northwind.example`,
            delegatedAdmin: false,
            draftOnly: true,
          }),
        201,
      );
      const [entry] = await entriesOfRequest(requestId);
      const item = (
        await log(reseller.token, {
          filter: JSON.stringify({ Field: 'resourceId', Value: created.id, Operator: 'equals' }),
        })
      ).items;
      expect(item).toHaveLength(1);
      expect(item[0]).toMatchObject({
        id: entry.id,
        type: 'reseller_relationship.requested',
        operationType: 'reseller_relationship.requested',
        operationStatus: 'succeeded',
        requestId,
        originalCorrelationId: correlationId,
        actor: { kind: 'user', userId: userOf(reseller.token), tenantId: reseller.tenantId },
        userPrincipalName: reseller.email,
        resource: { type: 'invitation', id: created.id },
        attributes: { objectType: 'AuditRecord' },
      });
      // Never a secret: no token, link or hash in what the trail stores.
      expect(item[0].resourceNewValue).not.toMatch(/token|https?:/i);

      // Removing the relationship while the partner has active subscriptions: refused inside
      // the transaction, nothing recorded.
      const own = await createCustomer(provider, newCustomerBody());
      const refused = randomUUID();
      expectApiError(
        await api('relationships')
          .patch(`/v1/customers/${own.id}`)
          .set(bearer(provider.token))
          .set('MS-RequestId', refused)
          .send({ relationshipToPartner: 'none' }),
        409,
        'customer.active_subscriptions',
      );
      expect(await entriesOfRequest(refused)).toEqual([]);
    });

    it('records an acceptance on the emailed page (a public form) as one event of the signed-in user', async () => {
      const own = await signUpCustomer();
      const sent = await draftRelationshipRequest(reseller, { email: own.email });
      const requestId = randomUUID();
      const response = await api('relationships')
        .post('/invitations/reseller-relationship/accept')
        .type('form')
        .set('MS-RequestId', requestId)
        .send({
          token: tokenOfLink(sent.draft.link),
          email: own.email,
          password: own.password,
          acceptCustomerAgreement: 'true',
        });
      expect(response.status).toBe(200);
      expect(await entriesOfRequest(requestId)).toEqual([
        { id: expect.any(String) as string, type: 'reseller_relationship.established' },
      ]);
      const [record] = (
        await log(own.token, { filter: eventType('reseller_relationship.established') })
      ).items;
      expect(record.actor).toMatchObject({ kind: 'user', tenantId: own.tenantId });
      expect(record.resourceNewValue).not.toContain(own.password);
      expect(JSON.parse(record.resourceNewValue!)).toMatchObject({
        customerAgreementAcceptedAt: expect.any(String) as string,
      });
    });

    it('records a new customer with its relationships and subscriptions as one event', async () => {
      const requestId = randomUUID();
      const created = expectStatus<{
        id: string;
        userCredentials: { password: string };
      }>(
        await api('relationships')
          .post('/v1/customers')
          .set(bearer(provider.token))
          .set('MS-RequestId', requestId)
          .send(newCustomerBody({ indirectResellerId: reseller.tenantId })),
        201,
      );
      const entries = await entriesOfRequest(requestId);
      expect(entries.map((entry) => entry.type)).toEqual(['customer.created']);
      const [record] = (
        await log(reseller.token, {
          filter: JSON.stringify({
            Field: 'customerId',
            Value: created.id,
            Operator: 'equals',
          }),
        })
      ).items;
      expect(record).toMatchObject({ type: 'customer.created', customerId: created.id });
      expect(record.customerName).toEqual(expect.any(String));
      const after = JSON.parse(record.resourceNewValue!) as {
        relationships: unknown[];
        subscriptions: unknown[];
      };
      expect(after.relationships).toHaveLength(2);
      expect(after.subscriptions).toHaveLength(1);
      expect(record.resourceNewValue).not.toContain(created.userCredentials.password);
    });
  });

  describe('who reads what', () => {
    it('shows a partnership event to both partners and to nobody else', async () => {
      expect(await ids(provider.token)).toContain(partnershipEventId);
      expect(await ids(reseller.token)).toContain(partnershipEventId);
      expect(await ids(stranger.token)).not.toContain(partnershipEventId);
      expect(await ids(customer.token)).not.toContain(partnershipEventId);
    });

    it('shows a reseller relationship event to the customer, the partner and the joint provider, not to a co-partner of the customer', async () => {
      for (const reader of [customer, reseller, provider]) {
        expect(await ids(reader.token)).toContain(relationshipEventId);
      }
      expect(await ids(copartner.token)).not.toContain(relationshipEventId);
      expect(await ids(stranger.token)).not.toContain(relationshipEventId);
      // The customer-side route reads the same trail.
      const customerSide = expectStatus<Page>(
        await api('relationships').get('/v1/customer-activity-logs').set(bearer(customer.token)),
        200,
      );
      expect(customerSide.items.map((item) => item.id)).toContain(relationshipEventId);
      // The co-partner's own event with the same customer is not the reseller's business.
      const copartnerEvent = (
        await log(copartner.token, { filter: eventType('reseller_relationship.established') })
      ).items.find((item) => item.customerId === customer.tenantId);
      expect(copartnerEvent).toBeDefined();
      expect(await ids(reseller.token)).not.toContain(copartnerEvent!.id);
      expect(await ids(provider.token)).not.toContain(copartnerEvent!.id);
      expect(await ids(customer.token)).toContain(copartnerEvent!.id);
    });

    it('shows the operator every organisation’s events', async () => {
      const all = await ids(operator, { filter: eventType('established', 'substring') });
      expect(all).toEqual(expect.arrayContaining([partnershipEventId, relationshipEventId]));
    });
  });

  describe('range, filters and pages', () => {
    it('filters by event type, resource type and id, and customer', async () => {
      const partnerships = await log(reseller.token, {
        filter: eventType('partnership.', 'substring'),
      });
      expect(partnerships.items.length).toBeGreaterThan(0);
      expect(partnerships.items.every((item) => item.type.startsWith('partnership.'))).toBe(true);
      const byResource = await log(customer.token, {
        filter: JSON.stringify({
          Field: 'ResourceType',
          Value: 'reseller_relationship',
          Operator: 'Equals',
        }),
      });
      expect(byResource.items.map((item) => item.id)).toContain(relationshipEventId);
      expect(byResource.items.every((item) => item.resourceType === 'reseller_relationship')).toBe(
        true,
      );
      const byCustomer = await log(provider.token, {
        filter: JSON.stringify({
          Field: 'customerId',
          Value: customer.tenantId,
          Operator: 'equals',
        }),
      });
      expect(byCustomer.items.map((item) => item.id)).toEqual([relationshipEventId]);
    });

    it('reads a date range, the last 30 days by default, and refuses what Partner Center refuses', async () => {
      const past = { startDate: '2026-01-01T00:00:00Z', endDate: '2026-01-02T00:00:00Z' };
      const now = Date.now();
      const inPast = await log(reseller.token, {
        startDate: new Date(now - 80 * 86_400_000).toISOString(),
        endDate: new Date(now - 79 * 86_400_000).toISOString(),
      });
      expect(inPast.items).toEqual([]);
      expect(
        await ids(reseller.token, { startDate: new Date(now - 86_400_000).toISOString() }),
      ).toContain(partnershipEventId);
      const refusals: [Record<string, string>, string][] = [
        [past, 'activity_log.start_date_out_of_range'],
        [
          {
            startDate: new Date(now).toISOString(),
            endDate: new Date(now - 86_400_000).toISOString(),
          },
          'activity_log.invalid_date_range',
        ],
        [{ startDate: 'yesterday' }, 'request.invalid'],
        [{ filter: 'not json' }, 'activity_log.invalid_filter'],
        [
          { filter: JSON.stringify({ Field: 'companyName', Value: 'x', Operator: 'equals' }) },
          'activity_log.invalid_filter',
        ],
        [
          { filter: JSON.stringify({ Field: 'resourceId', Value: 'x', Operator: 'substring' }) },
          'activity_log.invalid_filter',
        ],
        [{ action: 'partnership.established' }, 'request.invalid'],
      ];
      for (const [query, code] of refusals) {
        const response = await api('relationships')
          .get('/v1/activity-logs')
          .query(query)
          .set(bearer(reseller.token));
        expect({ query, status: response.status }).toEqual({ query, status: 400 });
        if (code !== 'request.invalid') expectApiError(response, 400, code);
      }
    });

    it('pages with links.next over a fixed window', async () => {
      const all = await ids(reseller.token);
      expect(all.length).toBeGreaterThanOrEqual(3);
      const seen: string[] = [];
      let page = await log(reseller.token, { size: '1' });
      seen.push(...page.items.map((item) => item.id));
      while (page.links.next) {
        page = expectStatus<Page>(
          await api('relationships')
            .get(page.links.next.uri)
            .set(bearer(reseller.token))
            .set(linkHeaders(page.links.next)),
          200,
        );
        seen.push(...page.items.map((item) => item.id));
      }
      expect(seen).toEqual(all);
    });
  });

  it('exports the caller’s events as JSON lines with their chain positions', async () => {
    const line = await eventually('the partnership event chained in the export', async () => {
      const lines = await exportLines(reseller.token);
      const found = lines.find((l) => l.id === partnershipEventId);
      return found && found.chain.length > 0 ? { found, lines } : undefined;
    });
    expect(line.found.type).toBe('partnership.established');
    expect(line.found.chain).toEqual([
      {
        tenantId: reseller.tenantId,
        seq: expect.any(Number) as number,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      },
    ]);
    expect(line.lines.every((l) => l.tenantIds.includes(reseller.tenantId))).toBe(true);
    const filtered = await exportLines(reseller.token, {
      filter: eventType('partnership.established'),
    });
    expect(filtered.map((l) => l.type)).toEqual(filtered.map(() => 'partnership.established'));
    const forOperator = await exportLines(operator, {
      filter: eventType('partnership.established'),
    });
    const both = forOperator.find((l) => l.id === partnershipEventId);
    expect(both?.chain.map((c) => c.tenantId).sort()).toEqual(
      [provider.tenantId, reseller.tenantId].sort(),
    );
  });

  it('refuses an export range outside years 0001–9999 or with unknown parameters with a 400, never a 500', async () => {
    for (const query of [
      { startDate: '0000-01-01' },
      { endDate: '0000-01-01' },
      { startDate: '0001-01-01T10:00:00+14:00' },
      { startDate: '2026-01-01', endDate: '2025-01-01' },
      { size: '5' },
      { $top: '5' },
    ]) {
      for (const token of [reseller.token, operator]) {
        const response = await api('relationships')
          .get('/v1/activity-logs/export')
          .query(query)
          .set(bearer(token));
        expect({ query, status: response.status }).toEqual({ query, status: 400 });
        expect(response.body).toMatchObject({
          code: expect.any(Number) as string,
          source: 'relationships',
        });
      }
    }
  });

  it('appends an identity audit.recorded job once, however often it is delivered', async () => {
    const settings = harnessSettings();
    const queue = new Queue(QUEUES.auditEvents, {
      connection: { ...redisOptionsFromUrl(settings.redisUrl), maxRetriesPerRequest: 1 },
      prefix: settings.bullmqPrefix,
    });
    const type = Object.keys(IDENTITY_AUDIT_EVENTS)[0] ?? Object.keys(AUDIT_EVENTS)[0];
    const event = {
      id: randomUUID(),
      occurredAt: new Date().toISOString(),
      type,
      actor: {
        kind: 'user',
        userId: userOf(stranger.token),
        tenantId: stranger.tenantId,
        onBehalfOfTenantId: null,
      },
      tenantIds: [stranger.tenantId],
      resource: { type: 'user', id: userOf(stranger.token) },
      before: null,
      after: { roles: ['GlobalAdmin'] },
      requestId: randomUUID(),
      correlationId: randomUUID(),
      source: 'identity',
    };
    try {
      const jobs = [
        await queue.add(JOBS.auditRecorded, event, { jobId: randomUUID() }),
        await queue.add(JOBS.auditRecorded, event, { jobId: randomUUID() }),
      ];
      const invalid = await queue.add(
        JOBS.auditRecorded,
        { ...event, id: randomUUID(), type: 'no.such_type' },
        { jobId: randomUUID() },
      );
      for (const job of jobs) {
        await eventually('the audit.recorded job completed', async () =>
          (await job.getState()) === 'completed' ? true : undefined,
        );
      }
      await eventually('the invalid job failed', async () =>
        (await invalid.getState()) === 'failed' ? true : undefined,
      );
      const results = await Promise.all(
        jobs.map(
          async (job) => (await queue.getJob(job.id!))?.returnvalue as { recorded: boolean },
        ),
      );
      expect(results.map((r) => r.recorded).sort()).toEqual([false, true]);
    } finally {
      await queue.close();
    }
    expect(
      await dbRows('relationships', 'select id from activity_log_entry where id = $1', [event.id]),
    ).toHaveLength(1);
    const [record] = (
      await log(stranger.token, {
        filter: JSON.stringify({
          Field: 'resourceId',
          Value: userOf(stranger.token),
          Operator: 'equals',
        }),
      })
    ).items;
    expect(record).toMatchObject({
      id: event.id,
      type,
      requestId: event.requestId,
      tenantIds: [stranger.tenantId],
    });
    expect(await ids(reseller.token)).not.toContain(event.id);
  });

  it('chains every organisation’s entries, and audit:verify reports exactly the tampered link', async () => {
    const links = await eventually('the relationship event chained', async () => {
      const rows = await dbRows<{ tenant_id: string; seq: string }>(
        'relationships',
        'select tenant_id, seq::text as seq from activity_log_chain where entry_id = $1 order by tenant_id',
        [relationshipEventId],
      );
      return rows.length > 0 ? rows : undefined;
    });
    const [entry] = await dbRows<{ tenant_ids: string[] }>(
      'relationships',
      'select array_to_json(tenant_ids) as tenant_ids from activity_log_entry where id = $1',
      [relationshipEventId],
    );
    expect(links.map((l) => l.tenant_id).sort()).toEqual([...entry.tenant_ids].sort());

    const intact = auditVerify();
    expect(intact).toEqual({
      status: 0,
      output: expect.stringContaining('every chain intact') as string,
    });

    const [original] = await dbRows<{ after: string }>(
      'relationships',
      'select after::text as after from activity_log_entry where id = $1',
      [relationshipEventId],
    );
    await dbRows(
      'relationships',
      `update activity_log_entry set after = jsonb_set(after, '{delegatedAdminStatus}', '"none"') where id = $1`,
      [relationshipEventId],
    );
    try {
      const tampered = auditVerify();
      expect(tampered.status).toBe(1);
      const broken = tampered.output.split('\n').filter((line) => line.startsWith('BROKEN'));
      expect(broken.sort()).toEqual(
        links
          .map(
            (link) =>
              expect.stringMatching(
                new RegExp(
                  `^BROKEN tenant=${link.tenant_id} seq=${link.seq} entry=${relationshipEventId}: `,
                ),
              ) as unknown as string,
          )
          .sort(),
      );
      expect(broken).toHaveLength(links.length);
      for (const line of broken) expect(line).toContain('entry content changed after chaining');
    } finally {
      await dbRows(
        'relationships',
        'update activity_log_entry set after = $2::jsonb where id = $1',
        [relationshipEventId, original.after],
      );
    }
    expect(auditVerify().status).toBe(0);
  });
});
