import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { Pattern, RPC_CONTRACTS, RpcEnvelopeSchema, RpcRequest, RpcResponse } from '@app/contracts';
import { firstValueFrom, timeout } from 'rxjs';
import { DomainError, errorDataArray } from '../errors';
import { NamespacedNatsClient } from './namespaced-nats.transport';
import { rpcCallsTotal } from './rpc-metrics';

export interface RpcClientOptions {
  /** `nats://host:port` (`NATS_URL`). */
  natsUrl: string;
  /** Subject prefix (`MESSAGE_NAMESPACE`), the same as the answering services'. */
  namespace: string;
  /** The most milliseconds a call waits for its answer (`RPC_TIMEOUT_MS`). */
  timeoutMs: number;
  /** The caller's name in NATS' monitoring (the service's name). */
  name: string;
}

/**
 * Typed request/response calls to another service over NATS (one instance of the service's queue
 * group answers each call). The request is validated before it leaves and the answer when it
 * returns (schemas from `@app/contracts`). A domain error answered by the other service is
 * re-raised with its code and status; no answer within `timeoutMs`, no instance subscribed (NATS
 * answers "no responders" at once), or NATS away is 503 `dependency.unavailable` (the client
 * reconnects once NATS is back). Each call counts in `rpc_calls_total{pattern,outcome}`.
 */
export class RpcClient implements OnApplicationShutdown {
  private readonly logger = new Logger(RpcClient.name);
  private readonly client: NamespacedNatsClient;

  constructor(private readonly options: RpcClientOptions) {
    this.client = new NamespacedNatsClient({
      url: options.natsUrl,
      namespace: options.namespace,
      name: options.name,
    });
  }

  async send<P extends Pattern>(pattern: P, request: RpcRequest<P>): Promise<RpcResponse<P>> {
    let outcome = 'ok';
    try {
      return await this.call(pattern, request);
    } catch (error) {
      outcome =
        error instanceof DomainError
          ? error.code === 'dependency.unavailable'
            ? 'unavailable'
            : error.code
          : 'internal';
      throw error;
    } finally {
      rpcCallsTotal.inc({ pattern, outcome });
    }
  }

  private async call<P extends Pattern>(
    pattern: P,
    request: RpcRequest<P>,
  ): Promise<RpcResponse<P>> {
    const contract = RPC_CONTRACTS[pattern];
    const payload = contract.request.parse(request);
    let raw: unknown;
    try {
      raw = await firstValueFrom(
        this.client.send(pattern, payload).pipe(timeout({ first: this.options.timeoutMs })),
      );
    } catch (error) {
      this.logger.warn(`${pattern} failed: ${(error as Error)?.message ?? String(error)}`);
      throw new DomainError(
        'dependency.unavailable',
        503,
        'A service this request depends on did not answer in time. Retry later.',
        { pattern },
      );
    }
    const envelope = RpcEnvelopeSchema.safeParse(raw);
    if (!envelope.success) {
      throw new DomainError('dependency.invalid_response', 502, 'A dependency answered badly.', {
        pattern,
      });
    }
    if (!envelope.data.ok) {
      const { code, status, description, data } = envelope.data.error;
      throw new DomainError(code, status, description, errorDataArray(data));
    }
    const parsed = contract.response.safeParse(envelope.data.data);
    if (!parsed.success) {
      throw new DomainError('dependency.invalid_response', 502, 'A dependency answered badly.', {
        pattern,
      });
    }
    return parsed.data as RpcResponse<P>;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
