import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { handleRpc } from '@app/platform';
import { PATTERNS } from '@app/contracts';
import { EmailRenderer } from './email-renderer.service';

/** Request/response messages of the rendering step. No HTTP route. */
@Controller()
export class RenderEmailController {
  constructor(private readonly renderer: EmailRenderer) {}

  /**
   * `notifications.email.render` (read-only): the draft an inviter reviews before the email goes
   * (seeds 000/001/002 "review the draft email message"). Request `RenderEmailRequestSchema`
   * `{ template, locale, data, link? }`; answers `RenderedEmailSchema` `{ subject, text, html,
   * locale }` (`locale` is `en` when the requested translation is missing). Errors:
   * 400 `message.invalid`, 400 `email.data_invalid`, 400 `email.link_required`,
   * 400 `email.link_invalid`.
   */
  @MessagePattern(PATTERNS.renderEmail)
  handle(@Payload() payload: unknown) {
    return handleRpc(PATTERNS.renderEmail, payload, (request) =>
      Promise.resolve(
        this.renderer.render(request.template, request.locale, request.data, request.link),
      ),
    );
  }
}
