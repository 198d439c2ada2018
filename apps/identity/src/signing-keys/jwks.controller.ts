import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@app/auth';
import { NotRateLimited, ApiResponse } from '@app/platform';
import { PublicJwk, SigningKeysService } from './signing-keys.service';
import { JwksSchema } from './dto/signing-key.dto';

/**
 * The public keys that verify identity's access tokens (libs/auth fetches them): the active key
 * and, after a rotation, the previous one until every token it signed has expired.
 */
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeysService) {}

  /**
   * `GET /.well-known/jwks.json` → `{ keys: [{ kty, crv, x, y, kid, alg: 'ES256', use: 'sig' }] }`,
   * cacheable for a minute (a verifier meeting an unknown `kid` fetches it again at once).
   */
  @Get('jwks.json')
  @ApiResponse(200, JwksSchema, 'The public keys that verify access tokens (RFC 7517).', [
    'Cache-Control',
  ])
  @Public()
  @NotRateLimited('public keys every service and client fetches and caches; answered from memory')
  @Header('cache-control', 'public, max-age=60')
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    return { keys: await this.keys.publicJwks() };
  }
}
