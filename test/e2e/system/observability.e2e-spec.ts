import { api, bearer, eventually, expectStatus, waitForEmail } from '../support';
import { type BaseWorld, buildBaseWorld } from '../support/world';
import type { ServiceName } from '../support';

/**
 * What an operator running the services sees (issue 13 goal 5 "Observable"): liveness and
 * readiness probes, and each service's Prometheus metrics at `/metrics` (HTTP latency histograms
 * by route, the outbox's backlog and relay lag, emails by outcome, BullMQ's queue counts), with
 * the figures moving when the system works.
 */

const SERVICES: ServiceName[] = ['identity', 'relationships', 'notifications'];

/** The exposition text of a service's `/metrics`. */
async function metricsOf(service: ServiceName): Promise<string> {
  const response = await api(service).get('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain/);
  return response.text;
}

/** The value of the first sample whose line starts with `prefix` (name and labels). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

describe('probes and metrics', () => {
  let world: BaseWorld;

  beforeAll(async () => {
    world = await buildBaseWorld();
  });

  it.each(SERVICES)(
    '%s answers liveness without its dependencies and readiness with them',
    async (service) => {
      const live = await api(service).get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body).toMatchObject({ status: 'ok' });
      expect(live.body.info).toEqual({});
      const ready = await api(service).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, redis: { status: 'up' } },
      });
    },
  );

  it.each(SERVICES)(
    '%s counts its requests by route pattern, never by raw URL',
    async (service) => {
      await api(service).get('/health/ready');
      await api(service).get('/v1/no-such-route-12345');
      const text = await metricsOf(service);
      const probes = sample(text, 'http_request_duration_seconds_count', {
        service,
        method: 'GET',
        route: '/health/ready',
        status_code: '200',
      });
      expect(probes).toBeGreaterThanOrEqual(1);
      expect(text).not.toContain('no-such-route-12345');
      expect(text).toMatch(/^process_cpu_user_seconds_total\{service="[a-z]+"\} /m);
    },
  );

  it('shows the outbox and the emails moving when an invitation is sent', async () => {
    const email = `metrics.${Date.now()}@observability.example`;
    const before = sample(await metricsOf('notifications'), 'emails_total', {
      outcome: 'sent',
    });
    const sent = expectStatus<{ draft: { subject: string } }>(
      await api('relationships')
        .post('/v1/customers/relationship-requests')
        .set(bearer(world.reseller.token))
        .send({ email, delegatedAdmin: false }),
      201,
    );
    await waitForEmail({ to: email, subjectIncludes: sent.draft.subject });
    const after = await eventually('emails_total{outcome="sent"} to grow', async () => {
      const value = sample(await metricsOf('notifications'), 'emails_total', { outcome: 'sent' });
      return value !== undefined && value > (before ?? 0) ? value : undefined;
    });
    expect(after).toBeGreaterThan(before ?? 0);

    const relationships = await metricsOf('relationships');
    for (const name of [
      'outbox_backlog_rows',
      'outbox_unsettled_rows',
      'outbox_relay_lag_seconds',
    ]) {
      expect(sample(relationships, name, { service: 'relationships' })).toBeGreaterThanOrEqual(0);
    }
    const route = sample(relationships, 'http_request_duration_seconds_count', {
      method: 'POST',
      route: '/v1/customers/relationship-requests',
      status_code: '201',
    });
    expect(route).toBeGreaterThanOrEqual(1);
    const notifications = await metricsOf('notifications');
    expect(notifications).toMatch(/^bullmq_job_count\{[^}]*queue="notifications"[^}]*\} \d+/m);
  });
});
