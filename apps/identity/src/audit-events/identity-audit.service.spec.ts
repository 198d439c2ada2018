import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent, AuditEventSchema } from '@app/contracts';
import { OutboxService } from '@app/outbox';
import type { RequestContext, RequestContextState } from '@app/platform';
import { IdentityAudit, SYSTEM_ACTOR, anonymousActor } from './identity-audit.service';

const PLATFORM = '00000000-0000-4000-8000-000000000001';
const PARTNER = '00000000-0000-4000-8000-000000000002';
const CUSTOMER = '00000000-0000-4000-8000-000000000003';
const USER = '00000000-0000-4000-8000-000000000004';

/** The outbox rows `record` writes, through the real `OutboxService` (its schema check included). */
function setUp(state: RequestContextState) {
  const rows: { name: string; payload: AuditEvent }[] = [];
  const tx = {
    create: (_entity: unknown, data: unknown) => data,
    persist: (row: { name: string; payload: AuditEvent }) => rows.push(row),
  } as unknown as EntityManager;
  const root = {
    fork: () => ({ findOne: () => Promise.resolve({ id: PLATFORM }) }),
  } as unknown as EntityManager;
  const outbox = new OutboxService({
    redisUrl: 'redis://localhost:6379',
    prefix: 'test',
    linkSealingKey: 'k'.repeat(32),
    pollIntervalMs: 1000,
    batchSize: 10,
  });
  const context = { current: () => state } as unknown as RequestContext;
  return { audit: new IdentityAudit(root, outbox, context), tx, rows };
}

const inRequest = (caller: RequestContextState['caller']): RequestContextState => ({
  requestId: 'req-1',
  correlationId: 'corr-1',
  caller,
});

describe('IdentityAudit.record', () => {
  it('writes one audit.recorded outbox row: a new id, now, identity, the request ids, no secret', async () => {
    const { audit, tx, rows } = setUp(inRequest({ userId: USER, tenantId: PARTNER }));
    const id = await audit.record(tx, {
      type: 'user.created',
      tenantIds: [PARTNER, PARTNER, null],
      resource: { type: 'user', id: USER },
      after: { email: 'ada@contoso.example', temporaryPassword: 'Tmp-Secret-1', roles: ['x'] },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0].name).toBe('audit.recorded');
    const event = AuditEventSchema.parse(rows[0].payload);
    expect(event).toMatchObject({
      id,
      type: 'user.created',
      source: 'identity',
      tenantIds: [PARTNER],
      requestId: 'req-1',
      correlationId: 'corr-1',
      before: null,
      after: { email: 'ada@contoso.example', roles: ['x'] },
      actor: { kind: 'user', userId: USER, tenantId: PARTNER, onBehalfOfTenantId: null },
    });
    expect(JSON.stringify(rows[0].payload)).not.toContain('Tmp-Secret-1');
  });

  it('names the platform operator as operator, and a delegated call on behalf of the organisation', async () => {
    const operator = setUp(inRequest({ userId: USER, tenantId: PLATFORM }));
    await operator.audit.record(operator.tx, {
      type: 'enrollment.approved',
      tenantIds: [PARTNER],
      resource: { type: 'enrollment', id: USER },
    });
    expect(operator.rows[0].payload.actor).toEqual({
      kind: 'operator',
      userId: USER,
      tenantId: PLATFORM,
      onBehalfOfTenantId: null,
    });

    const partner = setUp(inRequest({ userId: USER, tenantId: PARTNER }));
    await partner.audit.record(partner.tx, {
      type: 'user.created',
      tenantIds: [CUSTOMER, PARTNER],
      onBehalfOfTenantId: CUSTOMER,
      resource: { type: 'user', id: USER },
    });
    expect(partner.rows[0].payload.actor).toEqual({
      kind: 'user',
      userId: USER,
      tenantId: PARTNER,
      onBehalfOfTenantId: CUSTOMER,
    });
    expect(partner.rows[0].payload.tenantIds).toEqual([CUSTOMER, PARTNER]);
  });

  it('is anonymous on a public route, system outside a request, and takes an actor it is given', async () => {
    const publicRoute = setUp(inRequest(null));
    await publicRoute.audit.record(publicRoute.tx, {
      type: 'user.password_reset_requested',
      tenantIds: [PARTNER],
      resource: { type: 'user', id: USER },
    });
    expect(publicRoute.rows[0].payload.actor).toEqual(anonymousActor());

    const job = setUp({ requestId: null, correlationId: null, caller: null });
    await job.audit.record(job.tx, {
      type: 'delegated_users.disabled',
      tenantIds: [CUSTOMER, PARTNER],
      resource: { type: 'delegated_admin_grant', id: USER },
    });
    expect(job.rows[0].payload).toMatchObject({
      actor: SYSTEM_ACTOR,
      requestId: null,
      correlationId: null,
    });

    const given = setUp(inRequest(null));
    await given.audit.record(given.tx, {
      type: 'user.email_verified',
      actor: anonymousActor(USER, PARTNER),
      tenantIds: [PARTNER],
      resource: { type: 'user', id: USER },
    });
    expect(given.rows[0].payload.actor).toEqual(anonymousActor(USER, PARTNER));
  });

  it('refuses an event that joins no trail', async () => {
    const { audit, tx, rows } = setUp(inRequest(null));
    await expect(
      audit.record(tx, {
        type: 'user.deleted',
        tenantIds: [null],
        resource: { type: 'user', id: USER },
      }),
    ).rejects.toThrow('names no tenant');
    expect(rows).toEqual([]);
  });
});
