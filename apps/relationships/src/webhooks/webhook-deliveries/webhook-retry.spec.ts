import { webhookRetryDelayMs, webhookRetryWindowMs } from './webhook-retry';

const DEFAULTS = { baseMs: 5000, maxDelayMs: 3_600_000, maxAttempts: 36 };

describe('webhook retry policy', () => {
  it('doubles from 5 s and caps at an hour', () => {
    expect([1, 2, 3, 4].map((n) => webhookRetryDelayMs(n, DEFAULTS))).toEqual([
      5000, 10000, 20000, 40000,
    ]);
    expect(webhookRetryDelayMs(10, DEFAULTS)).toBe(2_560_000);
    expect(webhookRetryDelayMs(11, DEFAULTS)).toBe(3_600_000);
    expect(webhookRetryDelayMs(500, DEFAULTS)).toBe(3_600_000);
  });

  it('retries over more than a day with the defaults (issue 14)', () => {
    const window = webhookRetryWindowMs(DEFAULTS);
    expect(window).toBeGreaterThan(24 * 3_600_000);
    expect(window).toBeLessThan(30 * 3_600_000);
  });
});
