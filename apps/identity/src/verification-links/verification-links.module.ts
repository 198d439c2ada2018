import { Module } from '@nestjs/common';
import { VerificationLinksService } from './verification-links.service';

/** Verification links of a partner's primary contact (at enrollment, or after a change). */
@Module({ providers: [VerificationLinksService], exports: [VerificationLinksService] })
export class VerificationLinksModule {}
