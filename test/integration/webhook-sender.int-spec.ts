import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WebhookSender } from '../../apps/relationships/src/webhooks/webhook-deliveries/webhook-sender';
import { newWebhookSecret } from '../../apps/relationships/src/webhooks/webhook-endpoints/webhook-secrets';

/**
 * The webhook sender against a real HTTP server on the loopback interface (issue 14: "the delivery
 * worker refuses private, loopback and link-local addresses, resolved at send time, with an
 * explicit allowance for development and tests"): `localhost` is a host name the registration
 * rules accept; it resolves to a loopback address, which the connection refuses unless allowed.
 */
describe('WebhookSender', () => {
  let server: Server;
  let port: number;
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  let answer = 204;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const message = (secrets: string[]) => ({
    id: '5b0f4b1e-7f1c-4e53-8c1d-1f8f8c1f9a11',
    body: JSON.stringify({ type: 'partnership.established', timestamp: 't', data: { a: 1 } }),
    secrets,
  });

  it('refuses a host name that resolves to a loopback address, and a literal one, without the allowance', async () => {
    const sender = new WebhookSender({ timeoutMs: 2000, allowPrivateNetworks: false });
    const before = received.length;
    for (const host of ['localhost', '127.0.0.1']) {
      const outcome = await sender.send(
        `http://${host}:${port}/hooks`,
        message([newWebhookSecret()]),
      );
      expect(outcome).toMatchObject({ succeeded: false, statusCode: null });
      expect(outcome.error).toMatch(/not allowed/);
    }
    expect(received.length).toBe(before);
    sender.close();
  });

  it('refuses an IPv4-compatible IPv6 literal (::7f00:1 is 127.0.0.1) at connect time, without the allowance', async () => {
    const sender = new WebhookSender({ timeoutMs: 2000, allowPrivateNetworks: false });
    const outcome = await sender.send(
      `http://[::7f00:1]:${port}/hooks`,
      message([newWebhookSecret()]),
    );
    expect(outcome).toMatchObject({ succeeded: false, statusCode: null });
    expect(outcome.error).toMatch(/not allowed/);
    sender.close();
  });

  it('sends with the allowance, signed for every secret (Standard Webhooks)', async () => {
    const sender = new WebhookSender({ timeoutMs: 2000, allowPrivateNetworks: true });
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const outcome = await sender.send(
      `http://localhost:${port}/hooks`,
      message([current, previous]),
    );
    expect(outcome).toMatchObject({ succeeded: true, statusCode: 204, error: null });
    const got = received.at(-1)!;
    const headers = {
      'webhook-id': String(got.headers['webhook-id']),
      'webhook-timestamp': String(got.headers['webhook-timestamp']),
      'webhook-signature': String(got.headers['webhook-signature']),
    };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) {
      expect(new Webhook(secret).verify(got.body, headers)).toEqual(JSON.parse(got.body));
    }
    expect(() => new Webhook(newWebhookSecret()).verify(got.body, headers)).toThrow();
    sender.close();
  });

  it('counts a non-2xx answer as a failure with its status', async () => {
    const sender = new WebhookSender({ timeoutMs: 2000, allowPrivateNetworks: true });
    answer = 500;
    const outcome = await sender.send(
      `http://127.0.0.1:${port}/hooks`,
      message([newWebhookSecret()]),
    );
    answer = 204;
    expect(outcome).toMatchObject({ succeeded: false, statusCode: 500, error: 'HTTP 500' });
    sender.close();
  });
});
