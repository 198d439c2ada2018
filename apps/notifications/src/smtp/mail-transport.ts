import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { Locale } from '@app/contracts';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { composeMessage } from './mime-message';
import { SmtpConnectionPool } from './smtp-connection-pool';

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
/** How long a connection may stay silent while a command waits for its reply. */
const SOCKET_TIMEOUT_MS = 30_000;

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
 * Email over SMTP: each message composed by nodemailer's `MailComposer` (written at once by
 * `composeMessage`) and sent over a pooled connection (`SmtpConnectionPool`: up to
 * `maxConnections` connections, each reused for `maxMessages` messages, Nagle off). Every message
 * is sent from `MAIL_FROM` with its own Message-ID and a `Content-Language` header. The pool is
 * closed at shutdown, after the worker has finished its active jobs.
 */
export class SmtpMailTransport extends MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(SmtpMailTransport.name);
  private readonly pool: SmtpConnectionPool;

  constructor(private readonly options: SmtpOptions) {
    super();
    this.pool = new SmtpConnectionPool({
      host: options.host,
      port: options.port,
      secure: options.secure,
      requireTls: options.requireTls ?? false,
      user: options.user,
      password: options.password,
      maxConnections: options.maxConnections,
      maxMessages: options.maxMessages,
      connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
      socketTimeoutMs: SOCKET_TIMEOUT_MS,
    });
  }

  /**
   * Compose the message in memory first, then hand its bytes and envelope to a pooled connection:
   * its DATA goes out in one write instead of one per part and header block, each a packet of its
   * own with Nagle off.
   */
  async send(mail: OutgoingMail): Promise<MailReceipt> {
    const message = new MailComposer(composerOptions(mail, this.options.from)).compile();
    const envelope = message.getEnvelope();
    const raw = await composeMessage(message);
    const info = await this.pool.send(envelope, raw);
    return { messageId: mail.messageId, response: info.response ?? '' };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.destroy();
    this.logger.log('SMTP pool closed');
  }
}
