import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { Public } from '@app/auth';
import {
  Audited,
  DomainError,
  RateLimited,
  ZodPipe,
  asLinkPage,
  linkErrorPage,
  ApiResponse,
  HTML,
  HtmlPage,
} from '@app/platform';
import type { FastifyReply } from 'fastify';
import {
  PasswordResetFormSchema,
  PasswordResetRequestInput,
  PasswordResetRequestSchema,
  ResetLinkSchema,
} from './dto/password-reset.dto';
import {
  PASSWORD_RESET_PAGE_TEXT,
  passwordResetFormText,
  renderPasswordResetPage,
} from './password-reset-page';
import { LinkPageLanguage, linkPageLanguage } from '../enrollment-verification/verification-page';
import { PasswordResetService } from './password-reset.service';
import { AcceptedSchema } from '../enrollment-verification/dto/verification.dto';

/**
 * A refused link (or a busy hashing lane, with `Retry-After`) as its page in `language` with the
 * error's status; anything else is rethrown.
 */
function resetErrorPage(reply: FastifyReply, error: unknown, language: LinkPageLanguage): string {
  return linkErrorPage(reply, error, PASSWORD_RESET_PAGE_TEXT, (code) =>
    renderPasswordResetPage(code, {}, language),
  );
}

/**
 * Forgotten password (issue 9 point 8). Every route is public and rate limited per client address
 * and per target (the email, the link's token): 429 `request.throttled` with `Retry-After`. The
 * link's `GET` changes nothing (issue 9 point 14); only its form's `POST` does.
 */
@Controller('v1/auth')
export class PasswordResetController {
  constructor(private readonly passwordReset: PasswordResetService) {}

  /**
   * `POST /v1/auth/password-reset-requests` `{ email }` (public) → 202 `{ accepted: true }`
   * always, whether or not the address has an account: each enabled account with that sign-in
   * name (verified or not) is emailed a single-use link that expires after
   * `PASSWORD_RESET_TTL_MINUTES`, naming its organization; earlier links of the account stop
   * working.
   */
  @Post('password-reset-requests')
  @ApiResponse(202, AcceptedSchema, 'Accepted: a reset link is sent if the address has an account.')
  @HttpCode(202)
  @Public()
  @Audited('user.password_reset_requested')
  @RateLimited('public', { body: ['email'] })
  async request(
    @Body(new ZodPipe(PasswordResetRequestSchema, 'body')) body: PasswordResetRequestInput,
  ): Promise<{ accepted: true }> {
    await this.passwordReset.request(body.email);
    return { accepted: true };
  }

  /**
   * `GET /v1/auth/password-reset?token=...&lang=en|ja` → 200 HTML in `lang` (the email's
   * language), else the browser's `Accept-Language`, else English, with a language switch: the
   * account and a new password form that POSTs to `password-reset` (keeping `lang`); 400 (incomplete), 404 (unknown), 410 (used, expired, replaced)
   * pages. Nothing changes.
   */
  @Get('password-reset')
  @ApiResponse(200, HtmlPage, 'The page that sets a new password.', undefined, HTML)
  @Public()
  @RateLimited('public', { query: ['token'] })
  async page(
    @Query() query: unknown,
    @Query('lang') lang: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    asLinkPage(reply);
    const parsed = ResetLinkSchema.safeParse(query);
    if (!parsed.success) {
      void reply.status(400);
      return renderPasswordResetPage('request.invalid', {}, linkPageLanguage(lang, acceptLanguage));
    }
    const language = linkPageLanguage(lang, acceptLanguage, {
      path: 'password-reset',
      token: parsed.data.token,
    });
    try {
      const account = await this.passwordReset.preview(parsed.data.token);
      return renderPasswordResetPage('form', { ...account, token: parsed.data.token }, language);
    } catch (error) {
      return resetErrorPage(reply, error, language);
    }
  }

  /**
   * `POST /v1/auth/password-reset[?lang=en|ja]` (the page's form, url-encoded: `token`,
   * `password`, `passwordConfirmation`) → 200 HTML in `lang` (default English): the password is changed, the address verified, every
   * session revoked and the link spent. 400 with the form again (passwords differ, or
   * `user.weak_password`: the rules it fails), 404 / 410 link pages, 503 `service.busy` page (with
   * `Retry-After`).
   */
  @Post('password-reset')
  @ApiResponse(200, HtmlPage, 'The page saying the password is changed.', undefined, HTML)
  @HttpCode(200)
  @Public()
  @Audited('user.password_reset')
  @RateLimited('public', { body: ['token'] })
  async reset(
    @Body() body: unknown,
    @Query('lang') lang: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    asLinkPage(reply);
    const language = linkPageLanguage(lang, undefined);
    const { locale } = language;
    const parsed = PasswordResetFormSchema.safeParse(body);
    if (!parsed.success) {
      void reply.status(400);
      return renderPasswordResetPage('request.invalid', {}, language);
    }
    const { token, password, passwordConfirmation } = parsed.data;
    const again = async (error: string): Promise<string> => {
      void reply.status(400);
      const account = await this.passwordReset.preview(token);
      return renderPasswordResetPage('form', { ...account, token, error }, language);
    };
    try {
      if (password !== passwordConfirmation) {
        return await again(passwordResetFormText(locale, 'passwordsDiffer'));
      }
      await this.passwordReset.reset(token, password);
      return renderPasswordResetPage('done', {}, language);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'user.weak_password') {
        try {
          // English keeps identity's own description (the rules the password fails).
          return await again(
            locale === 'en' ? error.message : passwordResetFormText(locale, 'weakPassword'),
          );
        } catch (linkError) {
          return resetErrorPage(reply, linkError, language);
        }
      }
      return resetErrorPage(reply, error, language);
    }
  }
}
