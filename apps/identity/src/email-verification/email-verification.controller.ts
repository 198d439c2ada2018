import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { Public } from '@app/auth';
import {
  Audited,
  RateLimited,
  asLinkPage,
  linkErrorPage,
  ApiResponse,
  HTML,
  HtmlPage,
} from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  EMAIL_VERIFICATION_PAGE_TEXT,
  renderEmailVerificationPage,
} from './email-verification-page';
import { EmailVerificationService } from './email-verification.service';
import { LinkPageLanguage, linkPageLanguage } from '../enrollment-verification/verification-page';

/** The token of a link (query of the `GET`, url-encoded field of the `POST`). */
const LinkTokenSchema = z.object({ token: z.string().trim().min(16).max(200) });

/** A failed link as its page (the error's status) in `language`; anything else is rethrown. */
function errorPage(reply: FastifyReply, error: unknown, language: LinkPageLanguage): string {
  return linkErrorPage(reply, error, EMAIL_VERIFICATION_PAGE_TEXT, (code) =>
    renderEmailVerificationPage(code, {}, language),
  );
}

/**
 * The link a new user receives to prove its sign-in address before its first sign-in (issue 9
 * point 7). Public (the token is the proof), rate limited per client address and per token (429
 * `request.throttled`). `GET` never changes anything (issue 9 point 14): only the page's button
 * (`POST`) spends the link, so a mail scanner's prefetch cannot.
 */
@Controller('v1/auth/email-verification')
export class EmailVerificationController {
  constructor(private readonly verification: EmailVerificationService) {}

  /**
   * `GET /v1/auth/email-verification?token=...&lang=en|ja` → 200 HTML in `lang` (the email's
   * language), else the browser's `Accept-Language`, else English, with a language switch: the
   * address and its organization, and a button that POSTs the token; 400 (incomplete), 404 (unknown), 410 (used, expired or replaced)
   * pages.
   */
  @Get()
  @ApiResponse(
    200,
    HtmlPage,
    'The page that verifies the address (its button confirms).',
    undefined,
    HTML,
  )
  @Public()
  @RateLimited('public', { query: ['token'] })
  async page(
    @Query() query: unknown,
    @Query('lang') lang: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    asLinkPage(reply);
    const parsed = LinkTokenSchema.safeParse(query);
    if (!parsed.success) {
      void reply.status(400);
      return renderEmailVerificationPage(
        'request.invalid',
        {},
        linkPageLanguage(lang, acceptLanguage),
      );
    }
    const language = linkPageLanguage(lang, acceptLanguage, {
      path: 'email-verification',
      token: parsed.data.token,
    });
    try {
      const who = await this.verification.preview(parsed.data.token);
      return renderEmailVerificationPage('confirm', { ...who, token: parsed.data.token }, language);
    } catch (error) {
      return errorPage(reply, error, language);
    }
  }

  /**
   * `POST /v1/auth/email-verification[?lang=en|ja]` (`token=...`, url-encoded or JSON) → 200 HTML
   * in `lang` (default English): the address is verified and the user can sign in; 400, 404 `link.not_found`, 410 `link.used` /
   * `link.expired` pages.
   */
  @Post()
  @ApiResponse(200, HtmlPage, 'The page saying the address is verified.', undefined, HTML)
  @HttpCode(200)
  @Public()
  @Audited('user.email_verified')
  @RateLimited('public', { body: ['token'] })
  async verify(
    @Body() body: unknown,
    @Query('lang') lang: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    asLinkPage(reply);
    const language = linkPageLanguage(lang, undefined);
    const parsed = LinkTokenSchema.safeParse(body);
    if (!parsed.success) {
      void reply.status(400);
      return renderEmailVerificationPage('request.invalid', {}, language);
    }
    try {
      return renderEmailVerificationPage(
        'verified',
        await this.verification.verify(parsed.data.token),
        language,
      );
    } catch (error) {
      return errorPage(reply, error, language);
    }
  }
}
