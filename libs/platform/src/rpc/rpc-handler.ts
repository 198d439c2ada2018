import { Logger } from '@nestjs/common';
import { Pattern, RPC_CONTRACTS, RpcEnvelope, RpcResponse } from '@app/contracts';
import { z } from 'zod';
import { DomainError } from '../errors';
import { describeIssues } from '../validation';
import { rpcHandledTotal } from './rpc-metrics';

const logger = new Logger('RpcHandler');

/**
 * Body of every `@MessagePattern` handler: validates the payload with the pattern's request schema,
 * runs `work`, and answers an envelope (`{ ok: true, data }` or `{ ok: false, error }`). A payload
 * that fails its schema answers 400 `message.invalid`; unexpected errors answer 500 without details.
 * Each run logs one line at debug level (`LOG_LEVEL=debug`): `<pattern> handled: <code>` (`ok` or
 * the error code), so an operator can count the requests each instance served; the same count is
 * the `rpc_handled_total{pattern,outcome}` series of the service's `/metrics`.
 */
export async function handleRpc<P extends Pattern>(
  pattern: P,
  payload: unknown,
  work: (request: z.infer<(typeof RPC_CONTRACTS)[P]['request']>) => Promise<RpcResponse<P>>,
): Promise<RpcEnvelope<RpcResponse<P>>> {
  const envelope = await run(pattern, payload, work);
  const outcome = envelope.ok ? 'ok' : envelope.error.code;
  rpcHandledTotal.inc({ pattern, outcome });
  logger.debug(`${pattern} handled: ${outcome}`);
  return envelope;
}

async function run<P extends Pattern>(
  pattern: P,
  payload: unknown,
  work: (request: z.infer<(typeof RPC_CONTRACTS)[P]['request']>) => Promise<RpcResponse<P>>,
): Promise<RpcEnvelope<RpcResponse<P>>> {
  const parsed = RPC_CONTRACTS[pattern].request.safeParse(payload);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'message.invalid',
        status: 400,
        description: `Invalid ${pattern} payload.`,
        data: describeIssues(parsed.error),
      },
    };
  }
  try {
    return { ok: true, data: await work(parsed.data as never) };
  } catch (error) {
    if (error instanceof DomainError) {
      return {
        ok: false,
        error: {
          code: error.code,
          status: error.status,
          description: error.message,
          data: error.data,
        },
      };
    }
    logger.error(`${pattern} failed`, error as Error);
    return {
      ok: false,
      error: { code: 'internal', status: 500, description: 'Internal error.' },
    };
  }
}
