import { Module } from '@nestjs/common';
import { EmailRenderer } from './email-renderer.service';
import { RenderEmailController } from './render-email.controller';
import { TemplateCatalog } from './template-catalog';

/**
 * The render step: every template compiled at boot (a template that is missing in English or does
 * not compile stops the service), and the draft preview message handler.
 */
@Module({
  controllers: [RenderEmailController],
  providers: [
    { provide: TemplateCatalog, useFactory: () => TemplateCatalog.load() },
    EmailRenderer,
  ],
  exports: [EmailRenderer],
})
export class RenderingModule {}
