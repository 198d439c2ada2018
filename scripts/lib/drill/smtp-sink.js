// @ts-check
'use strict';
/**
 * The drill's SMTP sink: an in-process `smtp-server` that records every message it accepts (its
 * Message-ID header, envelope recipients, arrival time) before it answers 250, so that anything
 * the worker saw accepted is counted. It can go down (stop listening, so connections are refused,
 * and end the open ones with 421) and come back on the same port.
 */
const { SMTPServer } = require('smtp-server');

/**
 * @typedef {object} ReceivedMessage
 * @property {string | null} messageId  the Message-ID header, angle brackets included
 * @property {string[]} to              envelope recipients, lower-case
 * @property {number} at                arrival (ms since the epoch)
 * @property {string | null} raw        the whole message, kept only when `keepRaw(to)` said so
 */

/**
 * The value of a header in a message's header block (unfolded), or null.
 * @param {string} head the header block @param {string} name
 */
function headerValue(head, name) {
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const pattern = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im');
  const match = pattern.exec(unfolded);
  return match ? match[1].trim() : null;
}

class SmtpSink {
  /**
   * @param {{ host: string, port: number, keepRaw?: (to: string[]) => boolean }} options
   */
  constructor(options) {
    this.host = options.host;
    this.port = options.port;
    this.keepRaw = options.keepRaw ?? (() => false);
    /** @type {ReceivedMessage[]} */
    this.messages = [];
    /** @type {SMTPServer | null} */
    this.server = null;
    /** @type {Array<(message: ReceivedMessage) => void>} */
    this.listeners = [];
  }

  get up() {
    return this.server !== null;
  }

  /**
   * Calls `listener` for every message from now on, until the returned function is called.
   * @param {(message: ReceivedMessage) => void} listener @returns {() => void}
   */
  onMessage(listener) {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Listens on host:port (the same port every time). */
  async start() {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      // No TLS to negotiate: the worker connects with SMTP_SECURE=false, as to MailDev.
      disabledCommands: ['STARTTLS'],
      logger: false,
      // When the sink goes down, open connections get 421 at once (the default waits 30 s).
      closeTimeout: 1,
      onData: (stream, session, callback) => {
        /** @type {Buffer[]} */
        const chunks = [];
        stream.on('data', (chunk) => chunks.push(/** @type {Buffer} */ (chunk)));
        stream.once('error', (error) => callback(error));
        stream.once('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const end = raw.search(/\r?\n\r?\n/);
          const head = end >= 0 ? raw.slice(0, end) : raw;
          const to = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
          /** @type {ReceivedMessage} */
          const message = {
            messageId: headerValue(head, 'Message-ID'),
            to,
            at: Date.now(),
            raw: this.keepRaw(to) ? raw : null,
          };
          this.messages.push(message);
          for (const listener of this.listeners) listener(message);
          callback(null, 'Message accepted');
        });
      },
    });
    server.on('error', () => undefined);
    await new Promise((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.server.off('error', reject);
        resolve(undefined);
      });
    });
    this.server = server;
  }

  /** Goes down: stops listening (connections are refused) and ends open connections with 421. */
  async stop() {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise((resolve) => server.close(() => resolve(undefined)));
  }
}

module.exports = { SmtpSink, headerValue };
