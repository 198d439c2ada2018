// @ts-check
'use strict';
/**
 * The benchmark's SMTP sink, run as its own child process (`fork`) so that its CPU is counted
 * apart from the bench client and the services. Like the reference's sink, it answers with Nagle's
 * algorithm off (`noDelay`): a small reply is not held back until the client acknowledges the
 * previous one. It accepts every message (no TLS, no auth) and:
 * - for a recipient under the load domain (argv[3], e.g. `load.bench.example`), only records the
 *   arrival time (ms since the epoch, sub-millisecond) at the end of DATA, per recipient;
 * - for any other recipient (verification emails of the partners the bench enrolls), sends the
 *   raw message to the parent (`{ type: 'mail', to, raw }`) so that it can follow the link.
 *
 * IPC requests from the parent: `{ type: 'count', id }` → `{ type: 'count', id, received,
 * duplicates }`; `{ type: 'arrivals', id }` → `{ type: 'arrivals', id, arrivals: [[to, ms]…] }`.
 * On start it sends `{ type: 'listening', port }`. Usage: `node smtp-sink.js <port> <loadDomain>`.
 */
const { performance } = require('node:perf_hooks');
const { SMTPServer } = require('smtp-server');

const port = Number(process.argv[2]);
const loadDomain = `@${String(process.argv[3] ?? 'load.bench.example').toLowerCase()}`;

/** Arrival time per load recipient (first arrival). @type {Map<string, number>} */
const arrivals = new Map();
let received = 0;
let duplicates = 0;

/** @param {unknown} message */
function send(message) {
  if (process.send) process.send(message);
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  banner: 'bench sink',
  size: 1024 * 1024,
  noDelay: true,
  onData(stream, session, callback) {
    const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
    const isLoad = recipients.every((to) => to.endsWith(loadDomain));
    /** @type {Buffer[]} */
    const chunks = [];
    stream.on('data', (chunk) => {
      if (!isLoad) chunks.push(chunk);
    });
    stream.on('end', () => {
      const at = performance.timeOrigin + performance.now();
      if (isLoad) {
        for (const to of recipients) {
          received += 1;
          if (arrivals.has(to)) duplicates += 1;
          else arrivals.set(to, at);
        }
      } else {
        send({ type: 'mail', to: recipients, raw: Buffer.concat(chunks).toString('utf8') });
      }
      callback(null, 'OK: queued in the bench sink');
    });
  },
});

server.on('error', (error) => {
  process.stderr.write(`smtp sink: ${error.message}\n`);
});

process.on('message', (/** @type {{ type: string, id: number }} */ message) => {
  switch (message.type) {
    case 'count':
      send({ type: 'count', id: message.id, received, duplicates });
      break;
    case 'arrivals':
      send({ type: 'arrivals', id: message.id, arrivals: [...arrivals] });
      break;
    default:
      break;
  }
});

// The parent going away (Ctrl-C, crash) takes the sink with it.
process.on('disconnect', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});

server.listen(port, '127.0.0.1', () => send({ type: 'listening', port }));
