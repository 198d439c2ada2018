// @ts-check
'use strict';
/**
 * The parent side of the benchmark's SMTP sink (smtp-sink.js, a forked child process): start it,
 * ask it how many load emails arrived and when, and wait for the other emails (verification links
 * of the partners the bench enrolls).
 */
const { fork } = require('node:child_process');
const path = require('node:path');
const { simpleParser } = require('mailparser');

/**
 * @typedef {object} Sink
 * @property {number | undefined} pid
 * @property {number} port
 * @property {() => Promise<{ received: number, duplicates: number }>} count
 *   load emails received so far (every copy) and how many were a second copy to one recipient
 * @property {() => Promise<Map<string, number>>} arrivals  first arrival (epoch ms) per recipient
 * @property {(to: string, timeoutMs?: number) => Promise<string>} waitForMail
 *   the raw text of the next non-load email to `to`, waited for (bounded)
 * @property {() => Promise<void>} stop
 */

/**
 * Forks the sink on `port` (127.0.0.1) and resolves once it listens.
 * @param {number} port
 * @param {string} loadDomain recipients `…@loadDomain` are only counted
 * @returns {Promise<Sink>}
 */
async function startSink(port, loadDomain) {
  const child = fork(path.join(__dirname, 'smtp-sink.js'), [String(port), loadDomain], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  /** @type {Map<number, (message: any) => void>} */
  const replies = new Map();
  /** @type {Map<string, string[]>} */
  const mailbox = new Map();
  /** @type {Map<string, () => void>} */
  const mailWaiters = new Map();
  let nextId = 0;
  let exited = false;
  child.on('exit', () => (exited = true));

  child.on('message', (/** @type {any} */ message) => {
    if (message.type === 'mail') {
      for (const to of message.to) {
        mailbox.set(to, [...(mailbox.get(to) ?? []), message.raw]);
        mailWaiters.get(to)?.();
      }
      return;
    }
    const reply = replies.get(message.id);
    if (reply) {
      replies.delete(message.id);
      reply(message);
    }
  });

  /** @param {string} type @returns {Promise<any>} */
  const ask = (type) =>
    new Promise((resolve, reject) => {
      if (exited) {
        reject(new Error('the SMTP sink has exited'));
        return;
      }
      nextId += 1;
      const id = nextId;
      const timer = setTimeout(() => {
        replies.delete(id);
        reject(new Error(`the SMTP sink did not answer "${type}"`));
      }, 30_000);
      replies.set(id, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      child.send({ type, id });
    });

  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the SMTP sink did not start')), 15_000);
    child.once('exit', (code) => reject(new Error(`the SMTP sink exited (${String(code)})`)));
    child.on('message', (/** @type {any} */ message) => {
      if (message.type === 'listening') {
        clearTimeout(timer);
        resolve(undefined);
      }
    });
  });

  return {
    pid: child.pid,
    port,
    async count() {
      const reply = await ask('count');
      return { received: reply.received, duplicates: reply.duplicates };
    },
    async arrivals() {
      const reply = await ask('arrivals');
      return new Map(reply.arrivals);
    },
    waitForMail(to, timeoutMs = 30_000) {
      const key = to.toLowerCase();
      return new Promise((resolve, reject) => {
        const take = () => {
          const queue = mailbox.get(key);
          if (!queue || queue.length === 0) return false;
          clearTimeout(timer);
          mailWaiters.delete(key);
          resolve(/** @type {string} */ (queue.shift()));
          return true;
        };
        const timer = setTimeout(() => {
          mailWaiters.delete(key);
          reject(new Error(`no email to ${to} reached the sink within ${timeoutMs} ms`));
        }, timeoutMs);
        if (!take()) mailWaiters.set(key, () => void take());
      });
    },
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/**
 * The text and HTML parts of a raw MIME message, decoded (mailparser: base64 or quoted-printable).
 * @param {string} raw
 * @returns {Promise<string>}
 */
async function textOf(raw) {
  const mail = await simpleParser(raw);
  return `${mail.text ?? ''}\n${typeof mail.html === 'string' ? mail.html : ''}`;
}

/**
 * The first `http(s)://…token=…` link in a raw message (parsed with mailparser: its parts may be
 * base64 or quoted-printable).
 * @param {string} raw
 * @returns {Promise<string>}
 */
async function linkIn(raw) {
  const text = await textOf(raw);
  const match = /https?:\/\/[^\s"'<>]+token=[A-Za-z0-9_-]+/.exec(text);
  if (!match) throw new Error('the email carries no link with a token');
  return match[0].replace(/&amp;/g, '&');
}

module.exports = { startSink, linkIn, textOf };
