import { Logger } from '@nestjs/common';
import { ClientNats, ServerNats } from '@nestjs/microservices';
import type { MsPattern } from '@nestjs/microservices';
import { connect, type ConnectionOptions, type NatsConnection, type Subscription } from 'nats';

/** Milliseconds between two attempts to reach NATS, for as long as the service runs. */
export const NATS_RECONNECT_WAIT_MS = 500;

/**
 * The connection options both sides use: the server at `url` (`nats://host:port`), a client name
 * for NATS' monitoring, and reconnection forever, `NATS_RECONNECT_WAIT_MS` apart (nats.js gives up
 * after 10 attempts by default, which would leave a service deaf to requests after a NATS restart
 * of 5 s). `waitOnFirstConnect`: the first connection is retried the same way instead of failing.
 */
export function natsConnectionOptions(
  url: string,
  name: string,
  waitOnFirstConnect: boolean,
): ConnectionOptions {
  return {
    servers: url,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: NATS_RECONNECT_WAIT_MS,
    waitOnFirstConnect,
  };
}

/** The NATS subject of a message pattern in a namespace: `<namespace><pattern>`. */
export function namespacedSubject(namespace: string, pattern: string): string {
  return `${namespace}${pattern}`;
}

export interface NamespacedNatsServerOptions {
  /** `nats://host:port` (`NATS_URL`). */
  url: string;
  /** Prefix of every subject (`MESSAGE_NAMESPACE`): parallel systems on one NATS never meet. */
  namespace: string;
  /**
   * The queue group: the service's name. NATS hands each request to one member of the group, so
   * with N instances of a service each request runs on exactly one of them.
   */
  queue: string;
  /**
   * On shutdown, the most milliseconds to wait for handlers in progress to answer after the
   * instance stopped taking requests (the callers' `RPC_TIMEOUT_MS`: later answers reach no one).
   */
  drainTimeoutMs: number;
}

/**
 * The NATS transport of `@nestjs/microservices` with every subject prefixed by a namespace and
 * every subscription in the service's queue group (see {@link NamespacedNatsServerOptions}).
 *
 * NATS down: when the first connection fails, the service starts anyway (HTTP, health) and
 * subscribes once NATS answers, retrying every `NATS_RECONNECT_WAIT_MS`; a lost connection is
 * re-established the same way, and nats.js subscribes again. Shutdown unsubscribes first (the
 * other instances of the group take the next requests), lets the handlers in progress answer
 * (at most `drainTimeoutMs`), then closes the connection.
 */
export class NamespacedNatsServer extends ServerNats {
  private readonly log = new Logger(NamespacedNatsServer.name);
  private readonly own: Subscription[] = [];
  private attempts = 0;
  private closed = false;
  private inFlight = 0;
  private idle: (() => void) | undefined;

  constructor(private readonly settings: NamespacedNatsServerOptions) {
    super(natsConnectionOptions(settings.url, settings.queue, false));
  }

  override async listen(callback: (error?: unknown) => void): Promise<void> {
    await super.listen((error?: unknown) => {
      if (!error) return callback();
      if (this.closed) return;
      this.log.warn(
        `NATS at ${this.settings.url} is not reachable (${describe(error)}); serving HTTP, ` +
          `subscribing once it is`,
      );
      callback();
      void super.listen((late?: unknown) => {
        if (late && !this.closed) this.log.error(`NATS subscription failed: ${describe(late)}`);
        if (!late) this.log.log(`NATS at ${this.settings.url} reached; subscribed`);
      });
    });
  }

  /** The first attempt fails at once when NATS is away; the later one waits for it. */
  override async createNatsClient(): Promise<NatsConnection> {
    const waitOnFirstConnect = this.attempts++ > 0;
    const client = await connect(
      natsConnectionOptions(this.settings.url, this.settings.queue, waitOnFirstConnect),
    );
    if (this.closed) {
      await client.close();
      throw new Error('closed before NATS was reached');
    }
    return client;
  }

  /** One queue subscription per message pattern, on its namespaced subject. */
  override bindEvents(client: NatsConnection): void {
    for (const pattern of this.messageHandlers.keys()) {
      const handler = this.getMessageHandler(pattern) as (error: unknown, message: unknown) => void;
      this.own.push(
        client.subscribe(namespacedSubject(this.settings.namespace, pattern), {
          queue: this.settings.queue,
          callback: handler.bind(this),
        }),
      );
    }
  }

  override async handleMessage(channel: string, message: unknown): Promise<unknown> {
    this.inFlight += 1;
    try {
      return await super.handleMessage(channel, message);
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  override async close(): Promise<void> {
    this.closed = true;
    for (const subscription of this.own.splice(0)) subscription.unsubscribe();
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.idle = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, this.settings.drainTimeoutMs))),
      ]);
      clearTimeout(timer);
    }
    await super.close();
  }
}

export interface NamespacedNatsClientOptions {
  /** `nats://host:port` (`NATS_URL`). */
  url: string;
  /** Prefix of every subject (`MESSAGE_NAMESPACE`), the same as the answering service's. */
  namespace: string;
  /** The caller's name in NATS' monitoring (e.g. `relationships`). */
  name: string;
}

/**
 * The NATS client of `@nestjs/microservices` sending to namespaced subjects. It connects on the
 * first call and, when NATS is away, keeps trying (`NATS_RECONNECT_WAIT_MS` apart): calls made
 * meanwhile wait for the connection and end at their caller's timeout. While a lost connection is
 * being re-established, Nest's client refuses calls at once (nothing is queued to run late).
 */
export class NamespacedNatsClient extends ClientNats {
  private closed = false;

  constructor(private readonly settings: NamespacedNatsClientOptions) {
    super(natsConnectionOptions(settings.url, settings.name, true));
  }

  protected override normalizePattern(pattern: MsPattern): string {
    return namespacedSubject(this.settings.namespace, super.normalizePattern(pattern));
  }

  override async createClient(): Promise<NatsConnection> {
    const client = (await super.createClient()) as NatsConnection;
    if (this.closed) {
      await client.close();
      throw new Error('closed before NATS was reached');
    }
    return client;
  }

  override async close(): Promise<void> {
    this.closed = true;
    await super.close();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
