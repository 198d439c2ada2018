import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { errorCode, expectStatus } from '../http';
import { eventually } from '../poll';
import { api, bearer } from '../system';
import type { Collection } from '../types';

/**
 * Webhooks through the API (issue 14 "Signed events"), and a real receiver: an HTTP server on
 * 127.0.0.1 that verifies each message's Standard Webhooks signature with the `standardwebhooks`
 * package (as a partner's system would) and records what it received.
 */

export interface WebhookEndpoint {
  id: string;
  url: string;
  eventTypes: string[];
  description: string;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  previousSecretExpiresAt: string | null;
  secret?: string;
}

export interface WebhookAttempt {
  run: number;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  succeeded: boolean;
  durationMs: number;
  attemptedAt: string;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  resource: { type: string; id: string };
  status: 'pending' | 'succeeded' | 'failed';
  run: number;
  attemptCount: number;
  attempts: WebhookAttempt[];
}

/** A message as the receiver got it. */
export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signatures: string[];
  body: { type: string; timestamp: string; data: Record<string, unknown> };
  raw: string;
  /** Whether a signature verified with one of the receiver's secrets. */
  verified: boolean;
  /** The receiver's answer to it. */
  answered: number;
}

/**
 * A webhook receiver: answers `respond(message)` (default 204), verifies signatures with the
 * secrets given (`secrets`), records every message in arrival order, and processes each
 * `webhook-id` once (`processed`: the ids in the order first accepted with a 2xx), as the
 * README tells receivers to.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly processed: string[] = [];
  secrets: string[] = [];
  respond: (message: ReceivedWebhook) => number = () => 204;
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** The messages of `type` (optionally about one resource id), in arrival order. */
  of(type: string, resourceId?: string): ReceivedWebhook[] {
    return this.received.filter(
      (m) =>
        m.body.type === type &&
        (resourceId === undefined ||
          (m.body.data.resource as { id: string } | undefined)?.id === resourceId),
    );
  }

  /** Waits until `predicate` holds for the received messages. */
  async waitUntil(
    what: string,
    predicate: (received: ReceivedWebhook[]) => boolean,
  ): Promise<void> {
    await eventually(what, () => (predicate(this.received) ? true : undefined), 30_000, 50);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      const verified = this.secrets.some((secret) => {
        try {
          new Webhook(secret).verify(raw, headers);
          return true;
        } catch {
          return false;
        }
      });
      const message: ReceivedWebhook = {
        id: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        signatures: headers['webhook-signature'].split(' ').filter(Boolean),
        body: JSON.parse(raw) as ReceivedWebhook['body'],
        raw,
        verified,
        answered: 0,
      };
      message.answered = verified ? this.respond(message) : 401;
      if (message.answered < 300 && !this.processed.includes(message.id)) {
        this.processed.push(message.id);
      }
      this.received.push(message);
      res.statusCode = message.answered;
      res.end();
    });
  }
}

/** `POST /v1/webhook-endpoints` → 201 the endpoint with its secret. */
export async function registerEndpoint(
  token: string,
  body: { url: string; eventTypes: string[]; description?: string },
): Promise<WebhookEndpoint & { secret: string }> {
  return expectStatus<WebhookEndpoint & { secret: string }>(
    await api('relationships').post('/v1/webhook-endpoints').set(bearer(token)).send(body),
    201,
  );
}

/** `PATCH /v1/webhook-endpoints/{id}` → 200. */
export async function updateEndpoint(
  token: string,
  id: string,
  body: Record<string, unknown>,
): Promise<WebhookEndpoint> {
  // 409 `request.conflict` is the documented answer to a change that lost a race (here with the
  // delivery worker updating the same endpoint's failure state): nothing was written, retry.
  for (let attempt = 1; ; attempt++) {
    const response = await api('relationships')
      .patch(`/v1/webhook-endpoints/${id}`)
      .set(bearer(token))
      .send(body);
    const conflict =
      response.status === 409 && response.body?.code === errorCode('request.conflict');
    if (!conflict || attempt === 3) return expectStatus<WebhookEndpoint>(response, 200);
  }
}

/** `GET /v1/webhook-endpoints/{id}/deliveries` (first page) → 200. */
export async function deliveriesOf(
  token: string,
  endpointId: string,
  query: Record<string, string> = {},
): Promise<WebhookDelivery[]> {
  return expectStatus<Collection<WebhookDelivery>>(
    await api('relationships')
      .get(`/v1/webhook-endpoints/${endpointId}/deliveries`)
      .query(query)
      .set(bearer(token)),
    200,
  ).items;
}

/** Waits until the endpoint has a delivery that satisfies `predicate`; returns it. */
export async function waitForDelivery(
  token: string,
  endpointId: string,
  what: string,
  predicate: (delivery: WebhookDelivery) => boolean,
): Promise<WebhookDelivery> {
  return eventually(
    what,
    async () => (await deliveriesOf(token, endpointId)).find(predicate),
    30_000,
    200,
  );
}

/** A URL where nothing listens (connection refused at once): its deliveries fail fast. */
export const REFUSING_URL = 'http://127.0.0.1:1/hooks';

/**
 * A failed delivery of a new endpoint of `token`'s organisation: the endpoint points at
 * {@link REFUSING_URL} and subscribes to its own changes; a change of its description makes one
 * delivery, given up after the test system's 5 fast attempts.
 */
export async function failedWebhookDelivery(
  token: string,
): Promise<{ endpoint: WebhookEndpoint; delivery: WebhookDelivery }> {
  const endpoint = await registerEndpoint(token, {
    url: REFUSING_URL,
    eventTypes: ['webhook_endpoint.updated'],
  });
  await updateEndpoint(token, endpoint.id, { description: 'fails' });
  const delivery = await waitForDelivery(
    token,
    endpoint.id,
    'a failed delivery',
    (d) => d.status === 'failed',
  );
  return { endpoint, delivery };
}
