import { Module } from '@nestjs/common';
import { SessionRevocationService } from './session-revocation.service';

/**
 * Writes the access-token revocation list that every service's `AuthGuard` reads (issue 9 point
 * 11). Imported by the features where sessions end (sign-in, users).
 */
@Module({ providers: [SessionRevocationService], exports: [SessionRevocationService] })
export class SessionRevocationModule {}
