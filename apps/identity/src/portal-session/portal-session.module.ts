import { Module } from '@nestjs/common';
import { SignInModule } from '../sign-in/sign-in.module';
import { CsrfGuard } from './csrf.guard';
import { PortalSessionController } from './portal-session.controller';

/**
 * The portal's cookie session (issue 12): sign-in, refresh, sign-out and password change with
 * the refresh token in an HttpOnly cookie and CSRF protection, over `SignInModule`'s
 * `AuthService`. Its Fastify plugins are registered at start (`registerPortalSessionPlugins`).
 */
@Module({
  imports: [SignInModule],
  controllers: [PortalSessionController],
  providers: [CsrfGuard],
})
export class PortalSessionModule {}
