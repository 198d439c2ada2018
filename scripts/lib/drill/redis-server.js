// @ts-check
'use strict';
/**
 * The drill's own Redis: a `redis-server` child process on a port of its own, so that a drill can
 * kill it with SIGKILL and start it again on the same port and data directory.
 *
 * - `aof` mode: `--appendonly yes --appendfsync everysec --save ""` (what production should run:
 *   at most the last second of writes is lost in a crash);
 * - `none` mode: `--save "" --appendonly no` (what CI runs: a restart starts empty).
 *
 * Both run with `--maxmemory-policy noeviction` (BullMQ refuses to run on a Redis that evicts
 * keys).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** @typedef {'aof' | 'none'} RedisPersistence */

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class RedisServer {
  /**
   * @param {{ port: number, host: string, dir: string, bin?: string }} options
   *   `dir`: the data directory (AOF files, log), created when missing.
   */
  constructor(options) {
    this.port = options.port;
    this.host = options.host;
    this.dir = options.dir;
    this.bin = options.bin ?? 'redis-server';
    this.logFile = path.join(this.dir, 'redis.log');
    /** @type {RedisPersistence} */
    this.persistence = 'aof';
    /** @type {import('node:child_process').ChildProcess | null} */
    this.child = null;
    /** @type {Promise<void> | null} */
    this.exited = null;
  }

  /** `redis://host:port/0`. */
  get url() {
    return `redis://${this.host}:${this.port}/0`;
  }

  /** The command-line arguments for a persistence mode. @param {RedisPersistence} persistence */
  args(persistence) {
    const common = [
      '--port',
      String(this.port),
      '--bind',
      this.host,
      '--dir',
      this.dir,
      '--logfile',
      this.logFile,
      '--daemonize',
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
    ];
    return persistence === 'aof'
      ? [...common, '--appendonly', 'yes', '--appendfsync', 'everysec']
      : [...common, '--appendonly', 'no'];
  }

  /**
   * Starts redis-server in `persistence` mode (default: the last mode used) and waits until it
   * answers PING (it loads its AOF first in `aof` mode).
   * @param {RedisPersistence} [persistence]
   */
  async start(persistence = this.persistence, timeoutMs = 30000) {
    if (this.child) throw new Error('redis-server is already running');
    this.persistence = persistence;
    fs.mkdirSync(this.dir, { recursive: true });
    const child = spawn(this.bin, this.args(persistence), { stdio: 'ignore' });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        if (this.child === child) this.child = null;
        resolve(undefined);
      });
      child.once('error', () => {
        if (this.child === child) this.child = null;
        resolve(undefined);
      });
    });
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (this.child !== child) {
        throw new Error(`redis-server exited at start-up; see ${this.logFile}`);
      }
      const answer = await this.ping().catch((error) => String(error));
      if (answer === 'PONG') return;
      last = answer;
      await sleep(100);
    }
    throw new Error(`redis-server did not answer PING within ${timeoutMs} ms (${last})`);
  }

  /** Sends `signal` (default SIGKILL: no AOF rewrite, no goodbye) and waits for the exit. */
  async kill(/** @type {NodeJS.Signals} */ signal = 'SIGKILL') {
    const child = this.child;
    if (!child) return;
    child.kill(signal);
    await this.exited;
  }

  /** A clean stop (SIGTERM), SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 5000) {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([
      this.exited?.then(() => true),
      sleep(timeoutMs).then(() => false),
    ]);
    if (!stopped) await this.kill('SIGKILL');
  }

  /** Synchronous last resort for process exit: SIGKILL without waiting. */
  killNow() {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  /** One PING over a fresh connection. @returns {Promise<string>} */
  async ping() {
    const { Redis } = require('ioredis');
    const redis = new Redis({
      host: this.host,
      port: this.port,
      lazyConnect: true,
      connectTimeout: 1000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      return await redis.ping();
    } finally {
      redis.disconnect();
    }
  }
}

module.exports = { RedisServer };
