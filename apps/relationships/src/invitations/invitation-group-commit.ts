import { SqlParams, isDatabaseUnavailable } from '@app/platform';

/**
 * One invitation write as fragments of a statement (`InvitationsService.send`): its data-modifying
 * CTEs and its select expression, the CTE names ending in `tag` (`''` when it is written alone, so
 * that its statement is the one it always was), its values added to `params`.
 */
export interface StatementFragments {
  ctes: string[];
  /** The expression of the statement's select list (`invitation_email_take(…)`, or `1`). */
  select: string;
  /**
   * The advisory locks its select expression takes, in the order it takes them (the caps' partner
   * lock, then its recipient lock), as the texts hashed to the lock keys; empty without an email.
   */
  locks: string[];
}

/** One write waiting for its batch. */
export interface GroupedWrite {
  /**
   * What decides the statement's text besides the batch size (whether it queues an email, whether
   * it records an idempotent answer): a batch holds writes of one shape, so that a handful of texts
   * is prepared once per connection and then only bound and executed.
   */
  shape: string;
  /** Builds the fragments; called again for the write alone when its batch is rolled back. */
  build(params: SqlParams, tag: string): Promise<StatementFragments>;
  /** Runs the write alone, as one statement: its own errors (429, unique violation) are its answer. */
  alone(): Promise<void>;
}

/** Executes one statement outside a transaction block (atomic by itself). */
export type ExecuteStatement = (text: string, values: unknown[]) => Promise<unknown>;

/** The most writes one statement carries. */
export const MAX_GROUP = 16;

interface Waiting {
  write: GroupedWrite;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit of invitation writes (issue 13 goal 1, "group commit"): each invitation is one
 * statement that is a whole transaction by itself, so each paid its own round trip, its own
 * executor start and its own WAL flush at commit. Writes arriving while a statement is in flight
 * wait for it and then go together, as the CTEs of one statement: one round trip, one commit for
 * up to `MAX_GROUP` invitations (measured on the bench's statement, 10 a statement: PostgreSQL's
 * CPU per invitation 0.30 → 0.17 ms, the driver's 0.18 → 0.08 ms). A write that finds nothing in
 * flight goes at once, alone: no write waits for company.
 *
 * All or nothing, per write: the statement commits every write of the batch or none. When
 * PostgreSQL refuses it (an error with a SQLSTATE: a cap reached by one of them, a unique
 * violation of an idempotent record, a deadlock), nothing was written, and every write runs again
 * alone, so that each gets its own answer: the refused one its error, the others their 201. Any
 * other failure (the connection lost, when the outcome is unknown) is every write's answer, as it
 * would have been alone.
 *
 * Deadlocks: the caps' function takes a partner's lock, then a recipient's. A statement of several
 * writes takes every lock its writes will take first, the partners' then the recipients', each
 * class in one order (by text), so that two statements (of two instances) never wait on each other
 * in a circle; the function's own calls then find them held.
 *
 * Batch sizes are powers of two (1, 2, 4, 8, 16): a statement's text depends on its size, and each
 * text is prepared once per connection.
 */
export class InvitationGroupCommit {
  private readonly waiting: Waiting[] = [];
  private running = false;

  constructor(private readonly execute: ExecuteStatement) {}

  /** Write `write` in the next statement; resolves once it is committed. */
  write(write: GroupedWrite): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ write, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) await this.run(this.nextBatch());
    } finally {
      this.running = false;
    }
  }

  /** The oldest waiting write and the next ones of its shape, a power of two of them. */
  private nextBatch(): Waiting[] {
    const shape = this.waiting[0].write.shape;
    const same = this.waiting.filter((w) => w.write.shape === shape).slice(0, MAX_GROUP);
    const size = 2 ** Math.floor(Math.log2(same.length));
    const batch = same.slice(0, size);
    for (const taken of batch) this.waiting.splice(this.waiting.indexOf(taken), 1);
    return batch;
  }

  private async run(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) return this.runAlone(batch[0]);
    let built = false;
    try {
      const statement = await groupStatement(batch.map((w) => w.write));
      built = true;
      await this.execute(statement.text, statement.values);
    } catch (error) {
      // Built and sent, outcome unknown: the error is every write's answer.
      if (built && !rolledBack(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      // Not built (a write fails alone, with its own error), or nothing of it written.
      for (const waiting of batch) await this.runAlone(waiting);
      return;
    }
    for (const waiting of batch) waiting.resolve();
  }

  private async runAlone(waiting: Waiting): Promise<void> {
    try {
      await waiting.write.alone();
      waiting.resolve();
    } catch (error) {
      waiting.reject(error);
    }
  }
}

/**
 * The statement of several writes: their CTEs (tagged `_1`, `_2`, …), then a select list of the
 * advisory locks they take, in the deadlock-free order (see `InvitationGroupCommit`), and of their
 * select expressions.
 */
export async function groupStatement(
  writes: GroupedWrite[],
): Promise<{ text: string; values: unknown[] }> {
  const params = new SqlParams();
  const ctes: string[] = [];
  const selects: string[] = [];
  const locks: Set<string>[] = [];
  for (const [i, write] of writes.entries()) {
    const fragments = await write.build(params, `_${i + 1}`);
    ctes.push(...fragments.ctes);
    selects.push(fragments.select);
    fragments.locks.forEach((lock, position) => {
      (locks[position] ??= new Set()).add(lock);
    });
  }
  const lockExpressions = locks.flatMap((keys) =>
    [...keys]
      .sort()
      .map((key) => `pg_advisory_xact_lock(hashtextextended(${params.add(key)}::text, 0))`),
  );
  return {
    text: `with ${ctes.join(', ')} select ${[...lockExpressions, ...selects].join(', ')}`,
    values: params.values,
  };
}

/**
 * Whether PostgreSQL answered `error` for the statement (a SQLSTATE, with a severity): the statement
 * was rolled back and nothing of it was written. Not when the connection failed under it
 * (`isDatabaseUnavailable`: no SQLSTATE, or class 08 or 57P01–57P03, which a backend terminated
 * just after its commit also answers): its statement may have committed.
 */
export function rolledBack(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || isDatabaseUnavailable(error)) return false;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string';
}
