import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { Public } from '@app/auth';
import {
  Audited,
  RateLimited,
  ZodPipe,
  asLinkPage,
  linkErrorPage,
  ApiResponse,
  HTML,
  HtmlPage,
} from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  ResendFromLinkSchema,
  ResendVerificationSchema,
  VerifyTokenSchema,
  AcceptedSchema,
  VerificationResultSchema,
} from './dto/verification.dto';
import { EnrollmentVerificationService } from './enrollment-verification.service';
import {
  LinkPageLanguage,
  VERIFICATION_PAGE_TEXT,
  VerificationOutcome,
  linkPageLanguage,
  renderVerificationPage,
} from './verification-page';

/**
 * A failed verification as its page (the error's status) in `language`, rethrowing what has no
 * page.
 */
function errorPage(
  reply: FastifyReply,
  error: unknown,
  token: string,
  language: LinkPageLanguage,
): string {
  return linkErrorPage(reply, error, VERIFICATION_PAGE_TEXT, (code) =>
    renderVerificationPage(
      code,
      { resendToken: code === 'enrollment.token_expired' ? token : undefined },
      language,
    ),
  );
}

/**
 * The verification links of a partner's primary contact (seed 004 step 8): the page the emailed
 * link opens, its JSON form, and the public resends. Every route is public: the token is the proof.
 * Each is rate limited per client address and per target (the email, or the link's token): 429
 * `request.throttled` with `Retry-After`.
 */
@Controller('v1/enrollments')
export class EnrollmentVerificationController {
  constructor(private readonly verification: EnrollmentVerificationService) {}

  /**
   * `POST /v1/enrollments/verification/resend` `{ email }` (public) → 202 `{ accepted: true }`
   * always: a new verification link goes to `email` if it has a verification pending (an
   * enrollment's primary contact, or a changed primary contact email), earlier links stop working,
   * at most `VERIFICATION_LINKS_PER_HOUR` links an hour. The answer never tells whether the address
   * is known.
   */
  @Post('verification/resend')
  @ApiResponse(
    202,
    AcceptedSchema,
    'Accepted: a verification email is sent if an enrollment waits for that address.',
  )
  @HttpCode(202)
  @Public()
  @Audited('enrollment.verification_resent')
  @RateLimited('public', { body: ['email'] })
  async resend(
    @Body(new ZodPipe(ResendVerificationSchema, 'body'))
    body: z.infer<typeof ResendVerificationSchema>,
  ): Promise<{ accepted: true }> {
    await this.verification.resendTo(body.email);
    return { accepted: true };
  }

  /**
   * `GET /v1/enrollments/verify?token=...&lang=en|ja`: the target of the emailed link, in `lang`
   * (the email's language), else the browser's `Accept-Language`, else English, with a switch to
   * the other language. Changes nothing (issue
   * 9 point 14: a mail scanner's prefetch must not spend the link): answers a small HTML page with
   * the partner's name and a button that POSTs the token to `verify/confirm` (200), or why the link
   * cannot verify (400 incomplete, 404 unknown, 410 used or expired, with a button that sends a new
   * link).
   */
  @Get('verify')
  @ApiResponse(200, HtmlPage, 'The verification page (its button confirms).', undefined, HTML)
  @Public()
  @RateLimited('public', { query: ['token'] })
  async verifyPage(
    @Query('token') token: unknown,
    @Query('lang') lang: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    asLinkPage(reply);
    const parsed = VerifyTokenSchema.safeParse({ token });
    if (!parsed.success) {
      void reply.status(400);
      return renderVerificationPage('request.invalid', {}, linkPageLanguage(lang, acceptLanguage));
    }
    const language = linkPageLanguage(lang, acceptLanguage, {
      path: 'verify',
      token: parsed.data.token,
    });
    try {
      const { legalName } = await this.verification.preview(parsed.data.token);
      return renderVerificationPage(
        'confirm',
        { legalName, confirmToken: parsed.data.token },
        language,
      );
    } catch (error) {
      return errorPage(reply, error, parsed.data.token, language);
    }
  }

  /**
   * `POST /v1/enrollments/verify/confirm[?lang=en|ja]` (the button of the link's page, `token=...`
   * url-encoded): follows the link; the page in `lang` (default English). Answers a small HTML page: verified and what happens next
   * (200), or why not (400 incomplete, 404 unknown, 410 used or expired, with a button that sends a
   * new link; 409 wrong state).
   */
  @Post('verify/confirm')
  @ApiResponse(200, HtmlPage, 'The page saying the address is verified.', undefined, HTML)
  @HttpCode(200)
  @Public()
  @Audited('enrollment.verified', 'partner_profile.primary_contact_changed')
  @RateLimited('public', { body: ['token'] })
  async confirmPage(
    @Body() body: unknown,
    @Query('lang') lang: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    asLinkPage(reply);
    const language = linkPageLanguage(lang, undefined);
    const parsed = ResendFromLinkSchema.safeParse(body);
    if (!parsed.success) {
      void reply.status(400);
      return renderVerificationPage('request.invalid', {}, language);
    }
    try {
      const result = await this.verification.verify(parsed.data.token);
      const outcome: VerificationOutcome =
        result.purpose === 'primary_contact'
          ? 'primary_contact'
          : result.status === 'active'
            ? 'active'
            : 'in_review';
      return renderVerificationPage(
        outcome,
        { legalName: result.legalName, email: result.primaryContactEmail },
        language,
      );
    } catch (error) {
      return errorPage(reply, error, parsed.data.token, language);
    }
  }

  /**
   * `POST /v1/enrollments/verify/resend[?lang=en|ja]` (the form of an expired link's page,
   * `token=...` url-encoded) → 200 page in `lang` (default English): a new link goes to the address the expired one was sent to, if that
   * verification is still pending (same cap as the JSON resend). The page says the same whatever
   * happened.
   */
  @Post('verify/resend')
  @ApiResponse(200, HtmlPage, 'The page saying a new link is on its way.', undefined, HTML)
  @HttpCode(200)
  @Public()
  @Audited('enrollment.verification_resent')
  @RateLimited('public', { body: ['token'] })
  async resendPage(
    @Body() body: unknown,
    @Query('lang') lang: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    asLinkPage(reply);
    const language = linkPageLanguage(lang, undefined);
    const parsed = ResendFromLinkSchema.safeParse(body);
    if (!parsed.success) {
      void reply.status(400);
      return renderVerificationPage('request.invalid', {}, language);
    }
    await this.verification.resendForToken(parsed.data.token);
    return renderVerificationPage('resent', {}, language);
  }

  /**
   * `POST /v1/enrollments/verify` `{ token }` → 200 `{ enrollmentId, status, purpose,
   * primaryContactEmail }`. 404 `enrollment.token_not_found`, 410 `enrollment.token_used`,
   * 410 `enrollment.token_expired` (also when a newer link replaced it), 409
   * `enrollment.invalid_state`.
   */
  @Post('verify')
  @ApiResponse(200, VerificationResultSchema, 'The verified enrollment.')
  @HttpCode(200)
  @Public()
  @Audited('enrollment.verified', 'partner_profile.primary_contact_changed')
  @RateLimited('public', { body: ['token'] })
  async verify(
    @Body(new ZodPipe(VerifyTokenSchema, 'body')) body: z.infer<typeof VerifyTokenSchema>,
  ) {
    const { enrollmentId, status, purpose, primaryContactEmail } = await this.verification.verify(
      body.token,
    );
    return { enrollmentId, status, purpose, primaryContactEmail };
  }
}
