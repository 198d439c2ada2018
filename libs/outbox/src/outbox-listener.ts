import { Logger } from '@nestjs/common';
import { Client, type Notification } from 'pg';

/** What an `OutboxListener` needs. */
export interface OutboxListenerOptions {
  /** The service's own database, e.g. `postgres://postgres@127.0.0.1:5432/pcp_identity`. */
  connectionString: string;
  /** The channel the outbox insert trigger notifies. */
  channel: string;
  /** Called for every notification, and once after each (re)connection. */
  onNotify: () => void;
  /** First reconnection delay, in milliseconds (doubles up to `maxDelayMs`). */
  minDelayMs?: number;
  /** Longest reconnection delay, in milliseconds. */
  maxDelayMs?: number;
}

/**
 * One dedicated PostgreSQL connection (the `pg` package's `Client`, outside MikroORM's pool) that
 * runs `LISTEN <channel>` and calls `onNotify` for each notification: the outbox insert trigger
 * notifies at commit, so a row written by any process wakes the relay at once.
 *
 * When the connection is lost (PostgreSQL restarted, `pg_terminate_backend`, a network cut) it
 * reconnects with exponential backoff (`minDelayMs` doubling up to `maxDelayMs`); meanwhile the
 * relay's polling keeps relaying. After every (re)connection `onNotify` runs once, since rows may
 * have been written while nobody listened. It never throws: failures are logged once per outage.
 */
export class OutboxListener {
  private readonly logger = new Logger(OutboxListener.name);
  private client: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;

  constructor(private readonly options: OutboxListenerOptions) {}

  /** Connect and listen (in the background). */
  start(): void {
    void this.connect();
  }

  /** Stop listening and close the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Whether the LISTEN connection is up (for logs and tests). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  private async connect(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.options.connectionString,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
      application_name: 'outbox-listener',
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      if (this.failures === 0) {
        this.logger.warn(
          `outbox LISTEN connection lost (${error?.message ?? 'closed'}); polling meanwhile, reconnecting`,
        );
      }
      this.failures += 1;
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message: Notification) => {
      if (message.channel === this.options.channel) this.options.onNotify();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.options.channel.replace(/"/g, '')}"`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (lost) return;
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.failures > 0) this.logger.log('outbox LISTEN connection restored');
    this.failures = 0;
    this.options.onNotify();
  }

  private scheduleReconnect(): void {
    const min = this.options.minDelayMs ?? 250;
    const max = this.options.maxDelayMs ?? 5000;
    const delay = Math.min(max, min * 2 ** Math.min(this.failures - 1, 16));
    this.timer = setTimeout(() => void this.connect(), delay);
    this.timer.unref();
  }
}
