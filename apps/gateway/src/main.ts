import { readFileSync } from 'node:fs';
import { loadGatewayConfig } from './config/gateway.config';
import { buildGateway } from './gateway';

/**
 * `node main.js`: the gateway (apps/gateway/src/gateway.ts) on `PORT` (default 3000), the one base
 * URL of the API, routing by the OpenAPI document `npm run build` wrote (`OPENAPI_DOCUMENT`). A
 * bad configuration or a missing document prints one message and exits 1.
 */
async function main(): Promise<void> {
  const config = loadGatewayConfig(process.env);
  let document: Record<string, unknown> & { paths: Record<string, Record<string, unknown>> };
  try {
    document = JSON.parse(readFileSync(config.OPENAPI_DOCUMENT, 'utf8')) as typeof document;
  } catch (error) {
    throw new Error(
      `OPENAPI_DOCUMENT ${config.OPENAPI_DOCUMENT} cannot be read (npm run build writes it): ${(error as Error).message}`,
    );
  }
  const app = await buildGateway({
    config,
    document,
    logger: { level: config.LOG_LEVEL, base: { service: 'gateway' } },
  });
  const close = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
  await app.listen({ port: config.PORT, host: config.HOST });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
