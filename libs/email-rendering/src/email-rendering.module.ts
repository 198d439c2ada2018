import { Module } from '@nestjs/common';
import { EmailRenderer } from './email-renderer.service';
import { TemplateCatalog } from './template-catalog';

/**
 * The render step (STYLE.md "Render, then deliver"): every template compiled once at boot (a
 * template that is missing in English or does not compile stops the service). The notifications
 * worker renders what it delivers with it; relationships renders the inviter's draft with it, in
 * process, so that creating an invitation never waits on notifications (DESIGN.md
 * "Communication": no write path waits on notifications).
 */
@Module({
  providers: [
    { provide: TemplateCatalog, useFactory: () => TemplateCatalog.load() },
    EmailRenderer,
  ],
  exports: [EmailRenderer],
})
export class EmailRenderingModule {}
