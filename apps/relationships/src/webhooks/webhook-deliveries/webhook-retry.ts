/** The retry policy of webhook deliveries (issue 14: retries over at least a day, capped). */
export interface WebhookRetryPolicy {
  /** Delay before the first retry, in milliseconds (`WEBHOOK_RETRY_BASE_MS`, default 5 s). */
  baseMs: number;
  /** Longest delay between two attempts (`WEBHOOK_RETRY_MAX_DELAY_MS`, default 1 h). */
  maxDelayMs: number;
  /** Attempts before the delivery is given up (`WEBHOOK_MAX_ATTEMPTS`, default 36). */
  maxAttempts: number;
}

/**
 * The delay after failed attempt number `attempt` (1 for the first attempt), in milliseconds:
 * `min(baseMs * 2^(attempt - 1), maxDelayMs)`. Defaults: 5 s, 10 s, 20 s, … 42 min 40 s, then 1 h.
 */
export function webhookRetryDelayMs(attempt: number, policy: WebhookRetryPolicy): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 40));
  return Math.min(policy.baseMs * 2 ** exponent, policy.maxDelayMs);
}

/**
 * How long after its first attempt a delivery's last attempt comes (the sum of the delays between
 * the `maxAttempts` attempts), in milliseconds: about 26.5 hours with the defaults.
 */
export function webhookRetryWindowMs(policy: WebhookRetryPolicy): number {
  let total = 0;
  for (let attempt = 1; attempt < policy.maxAttempts; attempt++) {
    total += webhookRetryDelayMs(attempt, policy);
  }
  return total;
}
