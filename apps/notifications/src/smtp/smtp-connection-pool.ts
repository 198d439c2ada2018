import { Logger } from '@nestjs/common';
import { connect } from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { Pool } from 'tarn';

/** Where and how the pool connects (see `SmtpOptions`). */
export interface SmtpConnectionSettings {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (port 465). */
  secure: boolean;
  /** Refuse to send unless STARTTLS upgrades the connection. */
  requireTls: boolean;
  user?: string;
  password?: string;
  /** Connections open at most. */
  maxConnections: number;
  /** Messages sent over one connection before it is replaced. */
  maxMessages: number;
  /** How long opening a connection, and then the server's greeting, may take (each), ms. */
  connectionTimeoutMs: number;
  /** How long the connection may stay silent while a command waits for its reply, ms. */
  socketTimeoutMs: number;
}

/** One SMTP connection of the pool and what decides whether it may carry another message. */
interface PooledConnection {
  connection: SMTPConnection;
  messages: number;
  /** False once it failed, timed out, was closed by the server or sent a refused message. */
  usable: boolean;
  /**
   * Fails the send in progress: a connection that fails or closes mid-send reports it as an
   * `error` event and never calls that send's callback.
   */
  inFlight: ((error: Error) => void) | null;
}

/** How long a send waits for a connection of the pool when all are busy, ms. */
const ACQUIRE_TIMEOUT_MS = 60_000;
/** An unused connection is closed after this long (servers drop idle clients too), ms. */
const IDLE_TIMEOUT_MS = 30_000;

/**
 * A pool of nodemailer SMTP connections (`nodemailer/lib/smtp-connection`, pooled by tarn) that
 * sends messages already composed: each send hands the connection the message's bytes, which it
 * dot-stuffs and writes at once. nodemailer's own pooled transport (`sendMail` with `raw`) runs the
 * same message through its mail pipeline again (a MIME tree for the raw source, a read stream
 * started on the next turn of the event loop, a newline transform) before it reaches the same
 * connection: about 250 µs of CPU a message more under the request contexts' async hooks.
 *
 * The connections behave as nodemailer's pool's do: opened on demand up to `maxConnections` with
 * Nagle's algorithm off (every small SMTP reply would otherwise wait for a delayed ACK), implicit
 * TLS or STARTTLS (`requireTls` refuses a server without it) and AUTH when credentials are set;
 * replaced after `maxMessages` messages; dropped after any failure, a message the server refused
 * included, and when the server closes them; closed after 30 s unused. A send fails with the
 * connection's error when the connection fails or closes under it. A connection that cannot be
 * opened fails the send waiting for it with the connection's error (`ECONNECTION`, `ETIMEDOUT`,
 * `EAUTH`, `ETLS` or the server's greeting reply), so that the worker retries it with backoff.
 */
export class SmtpConnectionPool {
  private readonly logger = new Logger(SmtpConnectionPool.name);
  private readonly pool: Pool<PooledConnection>;

  constructor(private readonly settings: SmtpConnectionSettings) {
    this.pool = new Pool<PooledConnection>({
      create: () => this.open(),
      destroy: (pooled) => this.close(pooled),
      validate: (pooled) => pooled.usable && pooled.messages < settings.maxMessages,
      min: 0,
      max: settings.maxConnections,
      acquireTimeoutMillis: ACQUIRE_TIMEOUT_MS,
      createTimeoutMillis: settings.connectionTimeoutMs * 3,
      idleTimeoutMillis: IDLE_TIMEOUT_MS,
      propagateCreateError: true,
    });
  }

  /**
   * Send `message` (a whole RFC 5322 message, CRLF line breaks) to `envelope.to` over a pooled
   * connection.
   * @returns nodemailer's `SentMessageInfo` (`response`: the server's reply to the end of DATA).
   * @throws the `SMTPError` of the connection or of the command the server refused
   *   (`responseCode`, `response`, `code`).
   */
  async send(
    envelope: SMTPConnection.Envelope,
    message: Buffer,
  ): Promise<SMTPConnection.SentMessageInfo> {
    const pooled = await this.pool.acquire().promise;
    try {
      return await new Promise<SMTPConnection.SentMessageInfo>((resolve, reject) => {
        pooled.inFlight = reject;
        pooled.connection.send(envelope, message, (error, info) => {
          pooled.inFlight = null;
          pooled.messages += 1;
          if (error) reject(error);
          else resolve(info);
        });
      });
    } catch (error) {
      // As nodemailer's pool does: a connection whose message failed is not used again.
      pooled.usable = false;
      throw error;
    } finally {
      pooled.inFlight = null;
      this.pool.release(pooled);
    }
  }

  /** Close every connection; sends waiting for one fail. */
  async destroy(): Promise<void> {
    await this.pool.destroy();
  }

  /** Open, greet, secure and authenticate one connection. */
  private open(): Promise<PooledConnection> {
    const { host, port, secure, requireTls, user, password } = this.settings;
    return new Promise<PooledConnection>((resolve, reject) => {
      const connection = new SMTPConnection({
        host,
        port,
        secure,
        requireTLS: requireTls,
        // Handed over while it connects: the connection handles its errors and timeouts.
        connection: connect({ host, port, noDelay: true }),
        connectionTimeout: this.settings.connectionTimeoutMs,
        greetingTimeout: this.settings.connectionTimeoutMs,
        socketTimeout: this.settings.socketTimeoutMs,
      });
      const pooled: PooledConnection = { connection, messages: 0, usable: true, inFlight: null };
      let settled = false;
      const fail = (error: Error) => {
        pooled.usable = false;
        if (settled) {
          pooled.inFlight?.(error);
          pooled.inFlight = null;
          return;
        }
        settled = true;
        connection.close();
        reject(error);
      };
      connection.on('error', (error: Error) => {
        if (settled && pooled.usable) {
          this.logger.warn(`SMTP connection to ${host}:${port} failed: ${error.message}`);
        }
        fail(error);
      });
      connection.once('end', () => {
        fail(
          Object.assign(new Error('The SMTP server closed the connection.'), {
            code: 'ECONNECTION',
          }),
        );
      });
      connection.connect(() => {
        const ready = () => {
          if (settled) return;
          settled = true;
          resolve(pooled);
        };
        // nodemailer's pool skips AUTH on a server that offers none (its `allowsAuth`, untyped).
        const allowsAuth = (connection as SMTPConnection & { allowsAuth?: boolean }).allowsAuth;
        if (!user || !password || !allowsAuth) return ready();
        connection.login({ credentials: { user, pass: password } }, (error) => {
          if (error) fail(error);
          else ready();
        });
      });
    });
  }

  /** Say QUIT on a connection still in order; drop any other. */
  private close(pooled: PooledConnection): void {
    if (pooled.usable) {
      pooled.usable = false;
      pooled.connection.quit();
    } else {
      pooled.connection.close();
    }
  }
}
