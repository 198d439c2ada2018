import type { NatsConnection } from 'nats';
import {
  NATS_RECONNECT_WAIT_MS,
  NamespacedNatsClient,
  NamespacedNatsServer,
  natsConnectionOptions,
} from './namespaced-nats.transport';

describe('the namespaced NATS transport', () => {
  it('reconnects forever, NATS_RECONNECT_WAIT_MS apart, and waits for the first connection when asked', () => {
    expect(natsConnectionOptions('nats://127.0.0.1:4222', 'identity', true)).toEqual({
      servers: 'nats://127.0.0.1:4222',
      name: 'identity',
      maxReconnectAttempts: -1,
      reconnectTimeWait: NATS_RECONNECT_WAIT_MS,
      waitOnFirstConnect: true,
    });
  });

  it('the server subscribes to each pattern under the namespace, in the queue group of its service', () => {
    const server = new NamespacedNatsServer({
      url: 'nats://127.0.0.1:4222',
      namespace: 'run-1:',
      queue: 'identity',
      drainTimeoutMs: 1000,
    });
    server.addHandler('identity.tenants.get', () => Promise.resolve({ ok: true }));
    server.addHandler('identity.customer-tenants.create', () => Promise.resolve({ ok: true }));
    const subscribed: { subject: string; queue?: string }[] = [];
    const connection = {
      subscribe: (subject: string, options: { queue?: string }) => {
        subscribed.push({ subject, queue: options.queue });
        return { unsubscribe: () => undefined };
      },
    } as unknown as NatsConnection;
    server.bindEvents(connection);
    expect(subscribed).toEqual([
      { subject: 'run-1:identity.tenants.get', queue: 'identity' },
      { subject: 'run-1:identity.customer-tenants.create', queue: 'identity' },
    ]);
  });

  it('the client sends to the namespaced subject of a pattern', () => {
    const client = new NamespacedNatsClient({
      url: 'nats://127.0.0.1:4222',
      namespace: 'run-1:',
      name: 'relationships',
    });
    const subject = (client as unknown as { normalizePattern(p: string): string }).normalizePattern(
      'identity.tenants.get',
    );
    expect(subject).toBe('run-1:identity.tenants.get');
  });
});
