import { Module } from '@nestjs/common';
import { VerificationLinksModule } from '../verification-links/verification-links.module';
import { EmailVerificationController } from './email-verification.controller';
import { EmailVerificationService } from './email-verification.service';

/** A new user's sign-in address verification link: its page and its button (issue 9 point 7). */
@Module({
  imports: [VerificationLinksModule],
  controllers: [EmailVerificationController],
  providers: [EmailVerificationService],
})
export class EmailVerificationModule {}
