import { JOB_RETRY, retryDelayMs } from '@app/contracts';
import { jobBackoffStrategy } from './job-backoff';

describe('job retry backoff (JOB_RETRY)', () => {
  const low = () => 0;
  const high = () => 0.999999;

  it('starts at half a second and doubles per retry', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, high))).toEqual([500, 1000, 2000, 4000]);
  });

  it('is capped at maxDelayMs however many retries came before', () => {
    for (const n of [5, 6, 10, 39, 1000]) {
      expect(retryDelayMs(n, high)).toBe(JOB_RETRY.maxDelayMs);
    }
  });

  it('draws each delay from the upper jitter fraction of its ceiling', () => {
    expect(retryDelayMs(1, low)).toBe(250);
    expect(retryDelayMs(10, low)).toBe(JOB_RETRY.maxDelayMs / 2);
    for (let i = 0; i < 200; i++) {
      const delay = retryDelayMs(4);
      expect(delay).toBeGreaterThanOrEqual(2000);
      expect(delay).toBeLessThanOrEqual(4000);
    }
  });

  it('rides out several minutes of outage, and a 30 s outage costs at most one capped delay', () => {
    const total = (random: () => number) =>
      Array.from({ length: JOB_RETRY.attempts - 1 }, (_, i) => retryDelayMs(i + 1, random)).reduce(
        (sum, delay) => sum + delay,
        0,
      );
    expect(total(low)).toBeGreaterThan(2 * 60_000);
    expect(total(high)).toBeLessThan(6 * 60_000);
    // The longest wait between two attempts bounds how late an email is after the server is back.
    expect(Math.max(...Array.from({ length: 40 }, (_, i) => retryDelayMs(i + 1, high)))).toBe(8000);
  });

  it('is the BullMQ strategy of the custom backoff type', async () => {
    expect(JOB_RETRY.backoff.type).not.toMatch(/^(fixed|exponential)$/);
    const delay = await jobBackoffStrategy(3, JOB_RETRY.backoff.type);
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThanOrEqual(2000);
  });
});
