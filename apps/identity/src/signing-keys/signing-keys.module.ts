import { Module } from '@nestjs/common';
import { AuditEventsModule } from '../audit-events/audit-events.module';
import { JwksController } from './jwks.controller';
import { SigningKeysController } from './signing-keys.controller';
import { SigningKeysService } from './signing-keys.service';

/**
 * The access-token signing keys (generation, rotation, retirement), the JWKS that publishes them
 * and the operator's rotation route; the service is shared by the token issuer (sign-in) and the
 * global guard's key resolver.
 */
@Module({
  imports: [AuditEventsModule],
  controllers: [JwksController, SigningKeysController],
  providers: [SigningKeysService],
  exports: [SigningKeysService],
})
export class SigningKeysModule {}
