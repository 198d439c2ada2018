import { FilterQuery, LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Collection,
  decodeCursor,
  DomainError,
  keysetAfter,
  queryString,
  RequestContext,
  toCollection,
} from '@app/platform';
import { JOBS, JOB_RETRY, QUEUES, SendEmailJob, SendEmailJobSchema } from '@app/contracts';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { OutboxService } from '@app/outbox';
import { APP_CONFIG, NotificationsConfig } from '../config/notifications.config';
import { Delivery } from './delivery.entity';
import { DeliveryListQuery } from './dto/delivery.query';
import {
  DeliveryReplayResponse,
  DeliveryResponse,
  isReplayable,
  toDeliveryResponse,
} from './dto/delivery.response';

/** How long a replay waits for Redis to take its job. */
const QUEUE_TIMEOUT_MS = 5000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The BullMQ job id of replay number `n` of a delivery (job ids cannot hold `:`). */
export function replayJobId(idempotencyKey: string, n: number): string {
  return `${idempotencyKey.replace(/:/g, '_')}-replay-${n}`;
}

/**
 * The operator's view of the worker's deliveries: list them by status (failed deliveries are the
 * ones to act on), read one, and replay a failed one once its cause is fixed (a mailbox that did
 * not exist, an SMTP server that refused for too long).
 */
@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger(DeliveriesService.name);

  constructor(
    private readonly em: EntityManager,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: NotificationsConfig,
    private readonly outbox: OutboxService,
    private readonly context: RequestContext,
  ) {
    // Without a listener BullMQ prints Redis errors as stack traces; one log line is enough.
    this.queue.on('error', (error) => this.logger.warn(`queue ${queue.name}: ${error.message}`));
  }

  /**
   * Deliveries, newest first, optionally of one status; keyset-paginated (`size`, `seek`).
   * @throws 400 `request.invalid_cursor` for a forged `seek`.
   */
  async list(query: DeliveryListQuery): Promise<Collection<DeliveryResponse>> {
    const where: FilterQuery<Delivery> = {
      ...(query.status ? { status: query.status } : {}),
      ...keysetAfter(decodeCursor(query.seek), 'createdAt', 'desc', 'date'),
    };
    const rows = await this.em.fork().find(Delivery, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: query.size + 1,
    });
    return toCollection(
      rows,
      query.size,
      toDeliveryResponse,
      (row) => ({ k: row.createdAt.toISOString(), id: row.id }),
      (seek) => `/v1/deliveries?${queryString({ status: query.status, size: query.size, seek })}`,
    );
  }

  /** @throws 404 `delivery.not_found`. */
  async get(idempotencyKey: string): Promise<DeliveryResponse> {
    const row = await this.em.fork().findOne(Delivery, { idempotencyKey });
    if (!row) throw new DomainError('delivery.not_found', 404, 'The delivery was not found.');
    return toDeliveryResponse(row);
  }

  /**
   * Send a failed delivery again: its kept job (template, recipient, locale, data, the still sealed
   * link) is added to the queue as a new job `<key>-replay-<n>` with the same idempotency key, so
   * the email keeps its Message-ID; the delivery is unsettled until that job records an outcome.
   * @throws 404 `delivery.not_found`; 409 `delivery.not_replayable` unless the delivery failed for
   *   good (sent, skipped, pending and retrying deliveries are not replayed) and its job data was
   *   kept; 503 `dependency.unavailable` when the queue cannot be reached (nothing changes).
   * The audit event `delivery.replayed` (issue 14, in the operator's trail) leaves through the
   * outbox in the same transaction: it exists if and only if the replay does.
   */
  async replay(
    idempotencyKey: string,
    operator: { userId: string; tenantId: string },
  ): Promise<DeliveryReplayResponse> {
    return this.em.fork().transactional(async (tx) => {
      const row = await tx.findOne(
        Delivery,
        { idempotencyKey },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!row) throw new DomainError('delivery.not_found', 404, 'The delivery was not found.');
      if (!isReplayable(row)) {
        throw new DomainError(
          'delivery.not_replayable',
          409,
          row.status === 'failed' && row.settled
            ? 'The job of this delivery was not kept, so it cannot be replayed.'
            : `Only a delivery that failed for good can be replayed; this one is ${row.status === 'failed' ? 'still being retried' : row.status}.`,
          { status: row.status, settled: row.settled },
        );
      }
      const job: SendEmailJob = SendEmailJobSchema.parse({
        template: row.template,
        to: row.recipient,
        locale: row.locale,
        data: row.data,
        ...(row.sealedLink ? { sealedLink: row.sealedLink } : {}),
        idempotencyKey: row.idempotencyKey,
        ...(row.expiresAt ? { expiresAt: row.expiresAt.toISOString() } : {}),
      });
      const n = row.replays + 1;
      const jobId = replayJobId(row.idempotencyKey, n);
      const before = { status: row.status, settled: row.settled, replays: row.replays };
      row.replays = n;
      row.settled = false;
      row.updatedAt = new Date();
      const ids = this.context.current();
      this.outbox.enqueue(tx, JOBS.auditRecorded, {
        id: randomUUID(),
        occurredAt: row.updatedAt.toISOString(),
        type: 'delivery.replayed',
        actor: {
          kind: 'operator',
          userId: operator.userId,
          tenantId: operator.tenantId,
          onBehalfOfTenantId: null,
        },
        tenantIds: [operator.tenantId],
        resource: { type: 'delivery', id: row.idempotencyKey },
        before,
        after: { status: row.status, settled: false, replays: n, jobId, template: row.template },
        requestId: ids.requestId,
        correlationId: ids.correlationId,
        source: 'notifications',
      });
      await tx.flush();
      try {
        // A job added late (Redis came back after the timeout) finds the delivery settled again
        // (this transaction rolled back) and completes without sending.
        await withTimeout(
          this.queue.add(JOBS.sendEmail, job, {
            jobId,
            attempts: JOB_RETRY.attempts,
            backoff: { ...JOB_RETRY.backoff },
            removeOnComplete: { age: 24 * 3600 },
            removeOnFail: { age: Math.round(this.config.FAILED_JOB_RETENTION_HOURS * 3600) },
          }),
          QUEUE_TIMEOUT_MS,
        );
      } catch (error) {
        this.logger.error(`replay of ${idempotencyKey} not queued: ${(error as Error).message}`);
        throw new DomainError(
          'dependency.unavailable',
          503,
          'The queue is unavailable; nothing was replayed. Try again.',
        );
      }
      this.logger.log(`delivery ${idempotencyKey} replayed as job ${jobId}`);
      return { delivery: toDeliveryResponse(row), jobId };
    });
  }
}
