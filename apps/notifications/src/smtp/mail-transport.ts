import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { Locale } from '@app/contracts';
import { connect } from 'node:net';
import { Transporter, createTransport } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { composeMessage } from './mime-message';

/** A rendered email ready for SMTP. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<key@domain>`, angle brackets included. */
  messageId: string;
  locale: Locale;
}

/** What the SMTP server answered when it accepted the message. */
export interface MailReceipt {
  messageId: string;
  /** The server's reply line, e.g. `250 Message queued as 1a2b3c`. */
  response: string;
}

/** Sends one email. Rejects with the SMTP error when the server refuses or cannot be reached. */
export abstract class MailTransport {
  abstract send(mail: OutgoingMail): Promise<MailReceipt>;
}

export interface SmtpOptions {
  host: string;
  port: number;
  secure: boolean;
  /** Refuse to send unless STARTTLS upgrades the connection (nodemailer `requireTLS`). */
  requireTls?: boolean;
  user?: string;
  password?: string;
  from: string;
  /** Connections the pool opens at most. */
  maxConnections: number;
  /** Messages sent over one connection before the pool replaces it. */
  maxMessages: number;
}

/** How long opening a connection and receiving the server's greeting may take, each. */
const CONNECTION_TIMEOUT_MS = 10_000;

type SocketCallback = (error: Error | null, socket?: { connection: unknown }) => void;

/**
 * nodemailer's `getSocket` hook: a TCP connection with Nagle's algorithm off. An SMTP client writes
 * a message in several small packets (the last one the lone `.` that ends DATA); with Nagle on,
 * that last write waits for the server to acknowledge the previous one, and the server delays its
 * ACK by up to 40 ms, which caps each connection at a few dozen messages a second. The socket is
 * handed over while it connects, so that nodemailer handles its errors and timeouts (a refused
 * connection fails the message and frees the pool's slot) and speaks SMTP over it as usual
 * (implicit TLS and STARTTLS included).
 */
function openNoDelaySocket(options: { host?: string; port?: number }, callback: SocketCallback) {
  callback(null, {
    connection: connect({ host: options.host, port: Number(options.port), noDelay: true }),
  });
}

/**
 * Whether an SMTP failure is permanent: a 5xx reply (RFC 5321 "permanent negative completion",
 * e.g. `550 mailbox unavailable`), except an authentication failure, which is this deployment's
 * configuration to fix and is worth retrying once it is fixed.
 */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const { responseCode, code } = (error ?? {}) as { responseCode?: unknown; code?: unknown };
  return (
    typeof responseCode === 'number' &&
    responseCode >= 500 &&
    responseCode < 600 &&
    code !== 'EAUTH'
  );
}

/** A one-line description of an SMTP failure (never the message body). */
export function describeSmtpFailure(error: unknown): string {
  const { response, code, message } = (error ?? {}) as {
    response?: unknown;
    code?: unknown;
    message?: unknown;
  };
  const text = typeof response === 'string' ? response : typeof message === 'string' ? message : '';
  return `${typeof code === 'string' ? `${code}: ` : ''}${text}`.slice(0, 1000) || 'SMTP failure';
}

/**
 * What `MailComposer` builds `mail` from, sent from `from`: its own Message-ID, a
 * `Content-Language` header, and text and HTML parts base64-encoded when they need encoding
 * (`textEncoding`): nodemailer's quoted-printable encoder walks every character in JavaScript
 * while base64 is Node's native codec; every mail client decodes both (RFC 2045).
 */
export function composerOptions(mail: OutgoingMail, from: string): Mail.Options {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: { 'Content-Language': mail.locale },
    textEncoding: 'base64',
  };
}

/**
 * nodemailer over a pooled SMTP transport (`pool: true`: up to `maxConnections` connections, each
 * reused for `maxMessages` messages, Nagle off). Every message is sent from `MAIL_FROM` with its own
 * Message-ID and a `Content-Language` header. The pool is closed at shutdown, after the worker has
 * finished its active jobs.
 */
export class SmtpMailTransport extends MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(SmtpMailTransport.name);
  private readonly transporter: Transporter;

  constructor(private readonly options: SmtpOptions) {
    super();
    this.transporter = createTransport({
      pool: true,
      host: options.host,
      port: options.port,
      secure: options.secure,
      requireTLS: options.requireTls ?? false,
      ...(options.user && options.password
        ? { auth: { user: options.user, pass: options.password } }
        : {}),
      maxConnections: options.maxConnections,
      maxMessages: options.maxMessages,
      getSocket: openNoDelaySocket,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: CONNECTION_TIMEOUT_MS,
      socketTimeout: 30_000,
    } as Parameters<typeof createTransport>[0]);
  }

  /**
   * Compose the message in memory first (`composeMessage`: the bytes nodemailer's own `build()`
   * makes of it, in one pass), then hand it over whole (`raw`, with its envelope): its DATA goes
   * out in one write instead of one per part and header block, each a packet of its own with
   * Nagle off.
   */
  async send(mail: OutgoingMail): Promise<MailReceipt> {
    const message = new MailComposer(composerOptions(mail, this.options.from)).compile();
    const envelope = message.getEnvelope();
    const raw = await composeMessage(message);
    const info = (await this.transporter.sendMail({ envelope, raw })) as { response?: string };
    return { messageId: mail.messageId, response: info.response ?? '' };
  }

  onApplicationShutdown(): void {
    this.transporter.close();
    this.logger.log('SMTP pool closed');
  }
}
