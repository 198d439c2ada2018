import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { Pattern, RPC_CONTRACTS, RpcEnvelopeSchema, RpcRequest, RpcResponse } from '@app/contracts';
import { firstValueFrom, timeout } from 'rxjs';
import { DomainError } from '../errors';
import { NamespacedRedisClient, redisOptionsFromUrl } from './namespaced-redis.transport';

export interface RpcClientOptions {
  redisUrl: string;
  namespace: string;
  timeoutMs: number;
}

/**
 * Typed request/response calls to another service. The request is validated before it leaves and
 * the answer when it returns (schemas from `@app/contracts`). A domain error answered by the other
 * service is re-raised with its code and status; no answer within `timeoutMs` (or no handler) is
 * 503 `dependency.unavailable`, and so is a call while Redis is away (the client reconnects once it
 * is back).
 */
export class RpcClient implements OnApplicationShutdown {
  private readonly logger = new Logger(RpcClient.name);
  private readonly client: NamespacedRedisClient;

  constructor(private readonly options: RpcClientOptions) {
    this.client = new NamespacedRedisClient(
      redisOptionsFromUrl(options.redisUrl),
      options.namespace,
    );
  }

  async send<P extends Pattern>(pattern: P, request: RpcRequest<P>): Promise<RpcResponse<P>> {
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
      throw new DomainError(code, status, description, data);
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
