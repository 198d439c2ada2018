import { Module } from '@nestjs/common';
import { VerificationLinksService } from './verification-links.service';

/**
 * Emailed single-use links: a partner's primary contact verification (at enrollment, or after a
 * change), a user's sign-in address verification and password reset (issue 9 points 7, 8).
 */
@Module({ providers: [VerificationLinksService], exports: [VerificationLinksService] })
export class VerificationLinksModule {}
