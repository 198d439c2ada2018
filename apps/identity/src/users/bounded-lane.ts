import { DomainError } from '@app/platform';

/**
 * At most `concurrency` tasks at once; up to `queueLimit` more wait in arrival order; one more is
 * refused at once with 503 `service.busy` (`data.retryAfterSeconds`: 1, sent as `Retry-After`).
 * Used for the password hashes of public routes (see `PasswordHasher.hashForPublicRoute`), so that
 * a flood of them holds a bounded share of the CPU and of libuv's thread pool and never builds an
 * unbounded queue.
 */
export class BoundedLane {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly queueLimit: number,
  ) {}

  /** Tasks running now and waiting now. */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  /** Run `task` in the lane. @throws 503 `service.busy` when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      if (this.waiting.length >= this.queueLimit) {
        throw new DomainError(
          'service.busy',
          503,
          'Too many passwords are being set right now (sign-ups, enrollments, resets): retry in a moment.',
          { retryAfterSeconds: 1 },
        );
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter; otherwise it is freed.
      if (next) next();
      else this.active -= 1;
    }
  }
}
