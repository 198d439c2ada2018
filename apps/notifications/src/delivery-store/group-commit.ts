interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Largest number of items one flush takes. */
  maxBatch: number;
  /** Flushes running at once; items submitted meanwhile wait and go out together in the next. */
  maxConcurrent: number;
  /** How long the first item of a batch waits for company (0: until the end of the tick). */
  windowMs: number;
}

/**
 * Group commit: items submitted within `windowMs` of a batch's first item, or while the previous
 * flush is running, are written by one statement. `flush(items)` answers one result per item, in order. When a batch of several items
 * fails, each item is flushed again on its own, so that one bad item fails alone.
 */
export class GroupCommit<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly flush: (items: I[]) => Promise<O[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Resolves with this item's result once the batch that carries it is written. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.options.maxConcurrent) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      this.drain();
    };
    if (this.options.windowMs > 0) setTimeout(flush, this.options.windowMs);
    else setImmediate(flush);
  }

  private drain(): void {
    while (this.running < this.options.maxConcurrent && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.running += 1;
      void this.write(batch).finally(() => {
        this.running -= 1;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }

  private async write(batch: Pending<I, O>[]): Promise<void> {
    try {
      const results = await this.flush(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      for (const pending of batch) await this.write([pending]);
    }
  }
}
