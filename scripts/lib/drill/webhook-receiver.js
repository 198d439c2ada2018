// @ts-check
'use strict';
/**
 * The drill's webhook receiver (issue 14 "Signed events"): an in-process HTTP server standing for
 * a partner's system. It verifies each message's Standard Webhooks signature with the
 * `standardwebhooks` package before it answers 204, records the message (its `webhook-id`, the
 * invitation's address for `reseller_relationship.requested`, arrival time), and can go down (stop listening,
 * so connections are refused, and end the open ones) and come back on the same port.
 */
const http = require('node:http');
const { Webhook } = require('standardwebhooks');

/**
 * @typedef {object} ReceivedWebhook
 * @property {string} id          the `webhook-id` header
 * @property {string} type        the event type
 * @property {string | null} email  `data.after.email` of an invitation event
 * @property {boolean} verified   the signature verified with the endpoint's secret
 * @property {number} at          arrival (ms since the epoch)
 */

class WebhookReceiver {
  /** @param {{ host: string, port: number }} options */
  constructor(options) {
    this.host = options.host;
    this.port = options.port;
    /** The endpoint's signing secrets (set once it is registered). @type {string[]} */
    this.secrets = [];
    /** @type {ReceivedWebhook[]} */
    this.messages = [];
    /** @type {http.Server | null} */
    this.server = null;
    /** @type {Array<(message: ReceivedWebhook) => void>} */
    this.listeners = [];
  }

  get url() {
    return `http://${this.host}:${this.port}/hooks`;
  }

  /**
   * Calls `listener` for every verified message from now on, until the returned function is called.
   * @param {(message: ReceivedWebhook) => void} listener @returns {() => void}
   */
  onMessage(listener) {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Listen (again) on the receiver's port. @returns {Promise<void>} */
  start() {
    const server = http.createServer((req, res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
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
        /** @type {{ type?: string, data?: { after?: { email?: string } } }} */
        let body = {};
        try {
          body = JSON.parse(raw);
        } catch {
          body = {};
        }
        /** @type {ReceivedWebhook} */
        const message = {
          id: headers['webhook-id'],
          type: body.type ?? '',
          email: body.data?.after?.email ?? null,
          verified,
          at: Date.now(),
        };
        this.messages.push(message);
        if (verified) for (const listener of this.listeners) listener(message);
        res.statusCode = verified ? 204 : 401;
        res.end();
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => resolve());
    });
  }

  /** Stop listening and end the open connections: senders see refused connections. */
  async stop() {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(() => resolve(undefined)));
  }
}

module.exports = { WebhookReceiver };
