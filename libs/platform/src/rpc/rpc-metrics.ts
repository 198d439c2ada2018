import { Counter } from 'prom-client';

/**
 * The request/response series of a process, registered in its `MetricsRegistry` (they are
 * module-level because `handleRpc` is a function, not a provider; a registry adds them when it is
 * made). Summed over every instance of every service, handler runs per call is 1.0 when each call
 * runs on exactly one instance (NATS queue groups); `npm run bench -- --instances N` prints it.
 * - `rpc_handled_total{pattern,outcome}`: handler runs of this instance (`outcome` is `ok` or the
 *   error code answered, e.g. `message.invalid`);
 * - `rpc_calls_total{pattern,outcome}`: calls this instance made (`ok`, the error code answered,
 *   or `unavailable`: no answer within `RPC_TIMEOUT_MS`, no instance subscribed, or NATS away).
 */
export const rpcHandledTotal = new Counter({
  name: 'rpc_handled_total',
  help: 'Request/response handler runs of this instance, by pattern and outcome (ok or the error code).',
  labelNames: ['pattern', 'outcome'],
  registers: [],
});

export const rpcCallsTotal = new Counter({
  name: 'rpc_calls_total',
  help: 'Request/response calls this instance made, by pattern and outcome (ok, the error code answered, or unavailable).',
  labelNames: ['pattern', 'outcome'],
  registers: [],
});
