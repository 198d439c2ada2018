import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@app/auth';
import { PublicJwk, SigningKeysService } from './signing-keys.service';

/** The public keys that verify identity's access tokens (libs/auth fetches them). */
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeysService) {}

  /** `GET /.well-known/jwks.json` → `{ keys: [{ kty, crv, x, y, kid, alg: 'ES256', use: 'sig' }] }`. */
  @Get('jwks.json')
  @Public()
  @Header('cache-control', 'public, max-age=300')
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    return { keys: await this.keys.publicJwks() };
  }
}
