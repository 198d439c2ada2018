import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { freePort } from '../../../../scripts/lib/system';

/** A message the sink accepted. */
export interface SinkMessage {
  to: string[];
  messageId: string;
  subject: string;
  receivedAt: Date;
}

/**
 * An SMTP server for tests that need answers MailDev does not give, chosen by the recipient's
 * local part:
 * - `bounce-…`: `550 5.1.1` at RCPT TO (a permanent failure);
 * - `greylist-…`: `451 4.7.1` at RCPT TO the first time an address is seen, accepted afterwards;
 * - `slow-…`: accepted after `slowMs` (a message in flight long enough to stop a worker mid-send);
 * - anything else: accepted.
 * It records what it accepted (recipients, Message-ID, subject) and what it refused.
 */
export class SmtpSink {
  readonly messages: SinkMessage[] = [];
  /** `<status> <recipient>` of every refusal, in order. */
  readonly refusals: string[] = [];
  private readonly greylisted = new Set<string>();
  private server: SMTPServer | undefined;
  port = 0;

  constructor(private readonly slowMs = 300) {}

  /** Listens on `port` (default: a free one). */
  async start(port?: number): Promise<void> {
    this.port = port ?? (await freePort());
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      disableReverseLookup: true,
      onRcptTo: (address: SMTPServerAddress, _session: SMTPServerSession, callback) => {
        const recipient = address.address.toLowerCase();
        const local = recipient.split('@')[0];
        if (local.startsWith('bounce-')) {
          this.refusals.push(`550 ${recipient}`);
          return callback(
            Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }),
          );
        }
        if (local.startsWith('greylist-') && !this.greylisted.has(recipient)) {
          this.greylisted.add(recipient);
          this.refusals.push(`451 ${recipient}`);
          return callback(
            Object.assign(new Error('4.7.1 Greylisted, try again later'), { responseCode: 451 }),
          );
        }
        callback();
      },
      onData: (stream, session, callback) => {
        let raw = '';
        stream.on('data', (chunk: Buffer) => {
          if (raw.length < 65536) raw += chunk.toString('utf8');
        });
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          const accept = () => {
            this.messages.push({
              to,
              messageId: /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(raw)?.[1] ?? '',
              subject: /^Subject:\s*(.*)$/im.exec(raw)?.[1]?.trim() ?? '',
              receivedAt: new Date(),
            });
            callback();
          };
          if (to.some((address) => address.startsWith('slow-'))) setTimeout(accept, this.slowMs);
          else accept();
        });
      },
    });
    // A client that goes away mid-session (a worker killed in a test) is not the sink's failure.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
  }

  /** The messages accepted for `address` so far. */
  to(address: string): SinkMessage[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(resolve) : resolve()));
  }
}
