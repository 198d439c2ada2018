import request from 'supertest';
import {
  REFUSING_URL,
  WebhookReceiver,
  api,
  bearer,
  dbRows,
  deliveriesOf,
  draftPartnershipRequest,
  enrollPartner,
  eventually,
  expectApiError,
  expectStatus,
  partner,
  startExtraInstance,
  registerEndpoint,
  updateEndpoint,
  waitForDelivery,
  waitForEmail,
  type EnrolledPartner,
  errorCode,
  type ExtraInstance,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '../support';

/**
 * Signed events to the partner's own systems (issue 14, README "Webhooks"), end to end: audit
 * events produced by real routes reach a real receiver that verifies the Standard Webhooks
 * signature with the `standardwebhooks` package; retries, order per resource, exactly-once
 * processing by `webhook-id`, replay, rotation, disabling with the admins' email, and the
 * organisation boundary. The test system retries fast (200 ms doubling, capped at 1 s, 5 attempts).
 */
describe('webhooks', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  let stranger: EnrolledPartner;
  const receivers: WebhookReceiver[] = [];

  async function receiver(): Promise<WebhookReceiver> {
    const started = await WebhookReceiver.start();
    receivers.push(started);
    return started;
  }

  beforeAll(async () => {
    [provider, reseller, stranger] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider' }),
      enrollPartner({ partnerType: 'indirect_reseller' }),
      enrollPartner({ partnerType: 'indirect_provider' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('delivers an event signed, with the event as data and no secret, logged as succeeded', async () => {
    const hooks = await receiver();
    const endpoint = await registerEndpoint(provider.token, {
      url: hooks.url,
      eventTypes: ['partnership.requested'],
      description: 'CRM',
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    hooks.secrets = [endpoint.secret];
    // The secret is sealed at rest and never shown again.
    const [row] = await dbRows<{ secret_sealed: string }>(
      'relationships',
      'select secret_sealed from webhook_endpoint where id = $1',
      [endpoint.id],
    );
    expect(row?.secret_sealed).not.toContain(endpoint.secret.slice(6));
    const read = expectStatus<WebhookEndpoint>(
      await api('relationships')
        .get(`/v1/webhook-endpoints/${endpoint.id}`)
        .set(bearer(provider.token)),
      200,
    );
    expect(JSON.stringify(read)).not.toContain(endpoint.secret.slice(6));

    const sent = await draftPartnershipRequest(provider);
    await hooks.waitUntil('the partnership.requested message', (r) => r.length > 0);
    const [message] = hooks.received;
    expect(message).toMatchObject({ verified: true, answered: 204 });
    expect(message.body).toMatchObject({
      type: 'partnership.requested',
      data: {
        type: 'partnership.requested',
        resource: { type: 'invitation', id: sent.id },
        tenantIds: [provider.tenantId],
        actor: { kind: 'user', tenantId: provider.tenantId },
      },
    });
    expect(message.raw).not.toContain(new URL(sent.draft.link).searchParams.get('token'));
    const delivery = await waitForDelivery(provider.token, endpoint.id, 'succeeded', (d) =>
      ['succeeded'].includes(d.status),
    );
    expect(delivery).toMatchObject({
      id: message.id,
      eventType: 'partnership.requested',
      resource: { type: 'invitation', id: sent.id },
      attemptCount: 1,
      attempts: [{ run: 1, attempt: 1, statusCode: 204, succeeded: true, error: null }],
    });
    // Only what it subscribed to: a partnership request's other events do not come.
    expect(hooks.received.every((m) => m.body.type === 'partnership.requested')).toBe(true);
  });

  it('reaches both sides of a relationship, and no other organisation', async () => {
    const [own, theirs, outsider] = await Promise.all([receiver(), receiver(), receiver()]);
    const ownReseller = await enrollPartner({ partnerType: 'indirect_reseller' });
    const types = { eventTypes: ['partnership.established'] };
    const [a, b, c] = await Promise.all([
      registerEndpoint(provider.token, { url: own.url, ...types }),
      registerEndpoint(ownReseller.token, { url: theirs.url, ...types }),
      registerEndpoint(stranger.token, { url: outsider.url, eventTypes: ['*'] }),
    ]);
    own.secrets = [a.secret];
    theirs.secrets = [b.secret];
    outsider.secrets = [c.secret];
    await partner(provider, ownReseller);
    for (const hooks of [own, theirs]) {
      await hooks.waitUntil('partnership.established', (r) => r.length === 1);
      expect(hooks.received[0]).toMatchObject({
        verified: true,
        body: { type: 'partnership.established' },
      });
    }
    // Two endpoints, two deliveries: each its own webhook-id, the same event.
    expect(own.received[0].id).not.toBe(theirs.received[0].id);
    expect(own.received[0].body.data.id).toBe(theirs.received[0].body.data.id);
    expect(outsider.received.filter((m) => m.body.type === 'partnership.established')).toEqual([]);
  });

  it('retries after the receiver answers 500, with the same webhook-id, processed once', async () => {
    const hooks = await receiver();
    const endpoint = await registerEndpoint(provider.token, {
      url: hooks.url,
      eventTypes: ['invitation.revoked'],
    });
    hooks.secrets = [endpoint.secret];
    const failures = new Map<string, number>();
    hooks.respond = (m) => {
      const n = (failures.get(m.id) ?? 0) + 1;
      failures.set(m.id, n);
      return n <= 3 ? 500 : 204;
    };
    const sent = await draftPartnershipRequest(provider);
    expectStatus(
      await api('relationships')
        .delete(`/v1/partnership-requests/${sent.id}`)
        .set(bearer(provider.token)),
      204,
    );
    const delivery = await waitForDelivery(provider.token, endpoint.id, 'succeeded', (d) =>
      ['succeeded'].includes(d.status),
    );
    expect(delivery.attempts.map((a) => [a.attempt, a.statusCode, a.succeeded])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 500, false],
      [4, 204, true],
    ]);
    expect(hooks.received.map((m) => m.id)).toEqual(Array(4).fill(delivery.id));
    expect(hooks.processed).toEqual([delivery.id]);
  });

  it('keeps the order of one resource while an earlier delivery is retried', async () => {
    const hooks = await receiver();
    const endpoint = await registerEndpoint(provider.token, {
      url: hooks.url,
      eventTypes: ['partnership.requested', 'invitation.resent', 'invitation.revoked'],
    });
    hooks.secrets = [endpoint.secret];
    // The first message of each invitation fails twice before it is taken.
    const failed = new Map<string, number>();
    hooks.respond = (m) => {
      if (m.body.type !== 'partnership.requested') return 204;
      const n = (failed.get(m.id) ?? 0) + 1;
      failed.set(m.id, n);
      return n <= 2 ? 503 : 204;
    };
    const sent = await draftPartnershipRequest(provider);
    for (let i = 0; i < 2; i++) {
      expectStatus(
        await api('relationships')
          .post(`/v1/partnership-requests/${sent.id}/resend`)
          .set(bearer(provider.token))
          .send({ draftOnly: true }),
        200,
      );
    }
    expectStatus(
      await api('relationships')
        .delete(`/v1/partnership-requests/${sent.id}`)
        .set(bearer(provider.token)),
      204,
    );
    await hooks.waitUntil('four events of the invitation processed', () => {
      return hooks.processed.length === 4;
    });
    const accepted = hooks.received.filter((m) => m.answered < 300);
    expect(accepted.map((m) => m.body.type)).toEqual([
      'partnership.requested',
      'invitation.resent',
      'invitation.resent',
      'invitation.revoked',
    ]);
    expect(new Set(accepted.map((m) => m.id)).size).toBe(4);
    // Nothing of the invitation went out before its first event was taken.
    const firstTaken = hooks.received.findIndex((m) => m.answered < 300);
    expect(
      hooks.received.slice(0, firstTaken).every((m) => m.body.type === 'partnership.requested'),
    ).toBe(true);
  });

  it('replays a failed delivery as a new run with the same webhook-id', async () => {
    const hooks = await receiver();
    const endpoint = await registerEndpoint(provider.token, {
      url: hooks.url,
      eventTypes: ['webhook_endpoint.updated'],
    });
    hooks.secrets = [endpoint.secret];
    hooks.respond = () => 500;
    await updateEndpoint(provider.token, endpoint.id, { description: 'first' });
    const failed = await waitForDelivery(provider.token, endpoint.id, 'given up', (d) =>
      ['failed'].includes(d.status),
    );
    expect(failed.attempts).toHaveLength(5);
    expect(failed.attempts.every((a) => a.statusCode === 500 && a.run === 1)).toBe(true);

    hooks.respond = () => 204;
    const replay = expectStatus<WebhookDelivery>(
      await api('relationships')
        .post(`/v1/webhook-endpoints/${endpoint.id}/deliveries/${failed.id}/replays`)
        .set(bearer(provider.token)),
      201,
    );
    expect(replay).toMatchObject({ id: failed.id, status: 'pending', run: 2, attemptCount: 0 });
    const done = await waitForDelivery(provider.token, endpoint.id, 'replayed', (d) =>
      ['succeeded'].includes(d.status),
    );
    expect(done.attempts.filter((a) => a.run === 2)).toMatchObject([
      { attempt: 1, statusCode: 204, succeeded: true },
    ]);
    expect(new Set(hooks.received.map((m) => m.id))).toEqual(new Set([failed.id]));
    expect(hooks.processed).toEqual([failed.id]);
    // A delivery that succeeded is not replayed.
    expectApiError(
      await api('relationships')
        .post(`/v1/webhook-endpoints/${endpoint.id}/deliveries/${failed.id}/replays`)
        .set(bearer(provider.token)),
      409,
      'webhook_delivery.not_replayable',
    );
  });

  it('signs with both secrets while a rotated-out secret overlaps', async () => {
    const hooks = await receiver();
    const endpoint = await registerEndpoint(provider.token, {
      url: hooks.url,
      eventTypes: ['webhook_endpoint.updated'],
    });
    const rotated = expectStatus<WebhookEndpoint & { secret: string }>(
      await api('relationships')
        .post(`/v1/webhook-endpoints/${endpoint.id}/secret-rotations`)
        .set(bearer(provider.token)),
      201,
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(Date.parse(rotated.previousSecretExpiresAt ?? '')).toBeGreaterThan(Date.now());
    await updateEndpoint(provider.token, endpoint.id, { description: 'rotated' });
    hooks.secrets = [endpoint.secret];
    await hooks.waitUntil('the message', (r) => r.length === 1);
    const [message] = hooks.received;
    expect(message.signatures).toHaveLength(2);
    expect(message.verified).toBe(true); // with the old secret alone
    hooks.secrets = [rotated.secret];
    hooks.received.length = 0;
    await updateEndpoint(provider.token, endpoint.id, { description: 'rotated again' });
    await hooks.waitUntil('the second message', (r) => r.length === 1);
    expect(hooks.received[0].verified).toBe(true); // with the new secret alone
  });

  it('disables an endpoint that fails for days, emails its Global admins, and re-enables it', async () => {
    const endpoint = await registerEndpoint(provider.token, {
      url: REFUSING_URL,
      eventTypes: ['webhook_endpoint.updated'],
    });
    // Failing for longer than WEBHOOK_DISABLE_AFTER_HOURS (72): set in the database, not waited.
    await dbRows(
      'relationships',
      `update webhook_endpoint set failing_since = now() - interval '73 hours' where id = $1`,
      [endpoint.id],
    );
    await updateEndpoint(provider.token, endpoint.id, { description: 'still failing' });
    const disabled = await eventually('the endpoint disabled', async () => {
      const read = expectStatus<WebhookEndpoint>(
        await api('relationships')
          .get(`/v1/webhook-endpoints/${endpoint.id}`)
          .set(bearer(provider.token)),
        200,
      );
      return read.enabled ? undefined : read;
    });
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'failing' });
    const email = await waitForEmail({ to: provider.email, subjectIncludes: 'webhook endpoint' });
    expect(email.text).toContain(REFUSING_URL);
    expect(email.text).toContain(endpoint.id);
    const [delivery] = await deliveriesOf(provider.token, endpoint.id);
    expect(delivery).toMatchObject({ status: 'failed', attemptCount: 1 });
    // Disabled, the endpoint gets nothing and cannot be replayed to.
    expectApiError(
      await api('relationships')
        .post(`/v1/webhook-endpoints/${endpoint.id}/deliveries/${delivery.id}/replays`)
        .set(bearer(provider.token)),
      409,
      'webhook_endpoint.disabled',
    );
    const log = expectStatus<{ items: { type: string; resource: { id: string } }[] }>(
      await api('relationships')
        .get('/v1/activity-logs')
        .query({
          filter: JSON.stringify({
            Field: 'eventType',
            Value: 'webhook_endpoint.disabled',
            Operator: 'equals',
          }),
        })
        .set(bearer(provider.token)),
      200,
    );
    expect(log.items.filter((item) => item.resource.id === endpoint.id)).toHaveLength(1);
    const enabled = await updateEndpoint(provider.token, endpoint.id, { enabled: true });
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });

  it("keeps each organisation to its own endpoints: a co-partner's or a stranger's id is 404", async () => {
    const endpoint = await registerEndpoint(provider.token, {
      url: REFUSING_URL,
      eventTypes: ['subscription.created'],
    });
    await partner(provider, reseller);
    for (const token of [reseller.token, stranger.token]) {
      for (const call of [
        api('relationships').get(`/v1/webhook-endpoints/${endpoint.id}`),
        api('relationships').patch(`/v1/webhook-endpoints/${endpoint.id}`).send({ enabled: false }),
        api('relationships').delete(`/v1/webhook-endpoints/${endpoint.id}`),
        api('relationships').post(`/v1/webhook-endpoints/${endpoint.id}/secret-rotations`),
        api('relationships').get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`),
      ]) {
        const body = expectApiError(
          await call.set(bearer(token)),
          404,
          'webhook_endpoint.not_found',
        );
        expect(JSON.stringify(body)).not.toContain(REFUSING_URL);
      }
    }
    const list = expectStatus<{ items: { id: string }[] }>(
      await api('relationships').get('/v1/webhook-endpoints').set(bearer(stranger.token)),
      200,
    );
    expect(list.items.map((e) => e.id)).not.toContain(endpoint.id);
    const [row] = await dbRows<{ enabled: boolean }>(
      'relationships',
      'select enabled from webhook_endpoint where id = $1',
      [endpoint.id],
    );
    expect(row?.enabled).toBe(true);
  });

  it('refuses unknown query parameters of the endpoint list', async () => {
    for (const query of [{ $top: '5' }, { status: 'failed' }, { size: '5', filter: 'x' }]) {
      expectApiError(
        await api('relationships')
          .get('/v1/webhook-endpoints')
          .query(query)
          .set(bearer(provider.token)),
        400,
        'request.invalid',
      );
    }
  });

  it('refuses event types outside the catalogue and unknown fields', async () => {
    for (const body of [
      { url: 'https://hooks.example.com/x', eventTypes: ['partnership.exploded'] },
      { url: 'https://hooks.example.com/x', eventTypes: [] },
      { url: 'https://hooks.example.com/x', eventTypes: ['*'], secret: 'whsec_mine' },
    ]) {
      expectApiError(
        await api('relationships')
          .post('/v1/webhook-endpoints')
          .set(bearer(provider.token))
          .send(body),
        400,
        'request.invalid',
      );
    }
  });
});

/**
 * Without the allowance for private networks (the default; the test system turns it on for its
 * receivers), registration refuses literal private, loopback and link-local addresses. A host
 * name is accepted: what it resolves to is checked when the worker connects
 * (test/integration/webhook-sender.int-spec.ts: `localhost` is refused there).
 */
describe('webhook endpoints on private networks, without the allowance', () => {
  let strict: ExtraInstance;
  let provider: EnrolledPartner;

  beforeAll(async () => {
    [strict, provider] = await Promise.all([
      startExtraInstance('relationships', (s) => ({
        extraEnv: {
          ...s.extraEnv,
          relationships: {
            ...(s.extraEnv?.relationships ?? {}),
            WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false',
          },
        },
      })),
      enrollPartner({ partnerType: 'indirect_provider' }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await strict?.stop();
  });

  it('refuses literal private, loopback and link-local addresses at registration, writing nothing', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hooks',
      'https://10.0.0.5/hooks',
      'https://192.168.1.20/hooks',
      'http://169.254.169.254/latest/meta-data/',
      'https://[::1]/hooks',
      'https://2130706433/hooks',
      'https://0177.0.0.1/hooks',
      'https://0x7f000001/hooks',
      'https://0.0.0.0/hooks',
      'https://[::]/hooks',
      'https://[::ffff:127.0.0.1]/hooks',
      'https://[::127.0.0.1]/hooks',
      'https://[fe80::1]/hooks',
      'https://[64:ff9b::a9fe:a9fe]/hooks',
      'https://[2002:a9fe:a9fe::1]/hooks',
      'http://localhost:8080/hooks',
      'https://metadata.localhost/hooks',
    ]) {
      const refused = expectApiError(
        await request(strict.url)
          .post('/v1/webhook-endpoints')
          .set(bearer(provider.token))
          .send({ url, eventTypes: ['*'] }),
        400,
        'webhook_endpoint.private_address',
      );
      expect([url, refused.code]).toEqual([url, errorCode('webhook_endpoint.private_address')]);
    }
    for (const url of [
      'file:///etc/passwd',
      'gopher://hooks.fabrikam.example/',
      'ftp://hooks.fabrikam.example/',
      'https://user:pass@hooks.fabrikam.example/',
    ]) {
      const refused = expectApiError(
        await request(strict.url)
          .post('/v1/webhook-endpoints')
          .set(bearer(provider.token))
          .send({ url, eventTypes: ['*'] }),
        400,
        'webhook_endpoint.invalid_url',
      );
      expect([url, refused.code]).toEqual([url, errorCode('webhook_endpoint.invalid_url')]);
    }
    expect(
      await dbRows('relationships', 'select id from webhook_endpoint where tenant_id = $1', [
        provider.tenantId,
      ]),
    ).toEqual([]);
    // A host name passes registration; its address is checked at connect time.
    expectStatus(
      await request(strict.url)
        .post('/v1/webhook-endpoints')
        .set(bearer(provider.token))
        .send({ url: 'https://hooks.fabrikam.example/channel', eventTypes: ['*'] }),
      201,
    );
  });
});
