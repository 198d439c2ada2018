import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { Webhook } from 'standardwebhooks';
import { SEND_TIME_DENIED_RANGES } from '../webhook-endpoints/webhook-url';

/** Bytes of a receiver's answer read at most (the rest is discarded; only the status matters). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** One signed message: the body and what signs it. */
export interface SignedMessage {
  /** `webhook-id`: the delivery id, the same on every retry and replay. */
  id: string;
  /** The JSON body `{ type, timestamp, data }`. */
  body: string;
  /** The secrets that sign it (`whsec_…`): the current one, and a rotated-out one still valid. */
  secrets: string[];
}

/** How one attempt went. */
export interface SendOutcome {
  succeeded: boolean;
  /** The receiver's HTTP status; null when no answer came. */
  statusCode: number | null;
  /** Why it failed (non-2xx status, timeout, refused address, connection error); null on success. */
  error: string | null;
  durationMs: number;
}

/**
 * The Standard Webhooks headers of `message` sent at `at`: `webhook-id`, `webhook-timestamp`
 * (seconds since the epoch) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">`, one per secret, space-separated).
 */
export function signedHeaders(message: SignedMessage, at: Date): Record<string, string> {
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': message.secrets
      .map((secret) => new Webhook(secret).sign(message.id, at, message.body))
      .join(' '),
  };
}

/**
 * Sends signed webhook messages (issue 14): a POST of the JSON body with the Standard Webhooks
 * headers, no redirects followed, at most `timeoutMs` for the whole exchange. Connections go
 * through request-filtering-agent: the address the host name resolves to is checked at connect
 * time, so a private, loopback, link-local or unspecified address is refused whatever DNS answers
 * (no DNS rebinding into the internal network), unless `allowPrivateNetworks` (development and
 * tests; refused in production by the configuration). 2xx is success.
 */
export class WebhookSender {
  private readonly httpAgent: RequestFilteringHttpAgent;
  private readonly httpsAgent: RequestFilteringHttpsAgent;

  constructor(private readonly options: { timeoutMs: number; allowPrivateNetworks: boolean }) {
    const filtering = {
      allowPrivateIPAddress: options.allowPrivateNetworks,
      allowMetaIPAddress: false,
      // Ranges ipaddr.js calls unicast that still reach the local network (`::7f00:1`).
      denyIPAddressList: options.allowPrivateNetworks ? [] : [...SEND_TIME_DENIED_RANGES],
    };
    this.httpAgent = new RequestFilteringHttpAgent({ ...filtering, keepAlive: false });
    this.httpsAgent = new RequestFilteringHttpsAgent({ ...filtering, keepAlive: false });
  }

  /** POST `message` to `url`; never throws (a failure is an outcome). */
  async send(url: string, message: SignedMessage, at: Date = new Date()): Promise<SendOutcome> {
    const started = Date.now();
    const outcome = (statusCode: number | null, error: string | null): SendOutcome => ({
      succeeded: error === null && statusCode !== null && statusCode >= 200 && statusCode < 300,
      statusCode,
      error,
      durationMs: Date.now() - started,
    });
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return outcome(null, 'invalid URL');
    }
    const https = target.protocol === 'https:';
    return new Promise<SendOutcome>((resolve) => {
      let settled = false;
      const finish = (result: SendOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = (https ? httpsRequest : httpRequest)(
        target,
        {
          method: 'POST',
          agent: https ? this.httpsAgent : this.httpAgent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(message.body),
            'user-agent': 'partner-channel-webhooks/1',
            ...signedHeaders(message, at),
          },
        },
        (res) => {
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) res.destroy();
          });
          const status = res.statusCode ?? null;
          const done = () =>
            finish(
              outcome(
                status,
                status !== null && status >= 200 && status < 300 ? null : `HTTP ${status}`,
              ),
            );
          res.on('end', done);
          res.on('close', done);
          res.on('error', done);
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new Error(`timeout after ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      req.on('error', (error: Error) => finish(outcome(null, describe(error))));
      req.end(message.body);
    });
  }

  /** Close idle sockets (none are kept: keep-alive is off). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** An error as the attempt log shows it (no stack), at most 500 characters. */
function describe(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const text = code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  return text.slice(0, 500);
}
