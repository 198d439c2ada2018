/**
 * Bounded poll until `read` returns a value that is not undefined, every `intervalMs`; throws
 * naming `what` after `timeoutMs`. The end-to-end tests await asynchronous outcomes (a delivery
 * row, a settled outbox row, a job state) with it, never with a fixed sleep.
 */
export async function eventually<T>(
  what: string,
  read: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
