import { Controller, Post } from '@nestjs/common';
import { PERMISSIONS, RequirePermission } from '@app/auth';
import { Audited, ApiResponse } from '@app/platform';
import { SigningKeyView, SigningKeysService } from './signing-keys.service';
import { SigningKeyRotationSchema } from './dto/signing-key.dto';

/** The platform operator's control of the access-token signing keys. */
@Controller('v1/platform/signing-keys')
export class SigningKeysController {
  constructor(private readonly keys: SigningKeysService) {}

  /**
   * `POST /v1/platform/signing-keys/rotate` → 201 `{ key, keys }`: the new active key and every
   * published key (`{ kid, alg, status: 'active' | 'previous', createdAt, rotatedAt, retireAfter,
   * publicJwk }`). The replaced key keeps verifying until `retireAfter` (rotation + access-token
   * TTL + 60 s), so tokens already issued stay valid; new tokens carry the new `kid` at once on
   * every instance within a few seconds. Permission `platform.operate`.
   */
  @Post('rotate')
  @ApiResponse(201, SigningKeyRotationSchema, 'The new signing key and every key still published.')
  @RequirePermission(PERMISSIONS.platformOperate)
  @Audited('signing_key.rotated')
  rotate(): Promise<{ key: SigningKeyView; keys: SigningKeyView[] }> {
    return this.keys.rotate();
  }
}
