import { Module } from '@nestjs/common';
import { SigningKeysService } from './signing-keys.service';

/** The signing keys, shared by the token issuer and the global guard's key resolver. */
@Module({ providers: [SigningKeysService], exports: [SigningKeysService] })
export class SigningKeysModule {}
