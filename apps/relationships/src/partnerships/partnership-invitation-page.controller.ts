import { Body, Controller, Get, Headers, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import { PERMISSIONS, Public } from '@app/auth';
import { Locale } from '@app/contracts';
import {
  Audited,
  DomainError,
  RateLimited,
  ApiResponse,
  HTML,
  HtmlPage,
  linkPageLocale,
} from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { pageT } from '../invitation-pages/invitation-page-i18n';
import { InvitationFormSchema, isChecked, langOf } from '../invitation-pages/invitation-page';
import { invitationErrorPage } from '../invitation-pages/invitation-page.html';
import { partnershipErrorText } from './partnership-invitation-page-i18n';
import { InvitationPage, InvitationPages } from '../invitation-pages/invitation-pages.service';
import {
  partnershipAcceptedPage,
  partnershipInvitationPage,
} from './partnership-invitation-page.html';
import { PartnershipInvitationPreview, PartnershipsService } from './partnerships.service';

const AcceptFormSchema = InvitationFormSchema.extend({ authorize: z.string().optional() });

/**
 * The page a partnership request's link opens (seed 004 steps 2–3: follow the link, sign in,
 * check the box and select Authorize indirect provider). Plain HTML forms, no scripts; every
 * value escaped.
 */
@Controller('invitations/partnership')
export class PartnershipInvitationPageController {
  private readonly logger = new Logger(PartnershipInvitationPageController.name);

  constructor(
    private readonly partnerships: PartnershipsService,
    private readonly pages: InvitationPages,
  ) {}

  /**
   * The page in the language of `lang` (`?lang=en|ja`) when supported; unset or unsupported: for
   * the link (`posted` false) the invitation's locale (the language of its email), for a posted
   * form English (its action names any other language); a page without an invitation (unknown,
   * used, revoked or expired link) in the browser's `Accept-Language`, else English.
   */
  private page(
    lang: string | undefined,
    posted: boolean,
    acceptLanguage: string | string[] | undefined,
  ): InvitationPage<PartnershipInvitationPreview, z.infer<typeof AcceptFormSchema>> {
    const localeOf = (stored: Locale) => linkPageLocale(lang, undefined, posted ? 'en' : stored);
    const bare = linkPageLocale(lang, posted ? undefined : acceptLanguage);
    return {
      form: AcceptFormSchema,
      preview: (token) => this.partnerships.preview(token),
      render: (token, preview, error, errorCode) => {
        const locale = localeOf(preview.locale);
        return partnershipInvitationPage({
          token,
          ...preview,
          locale,
          error: error && partnershipErrorText(locale, errorCode ?? '', error),
        });
      },
      errorPage: (message, errorCode) =>
        invitationErrorPage(
          partnershipErrorText(bare, errorCode ?? '', message),
          pageT(bare)('errorTitle'),
          bare,
        ),
      checkForm: (form) => {
        if (!isChecked(form.authorize)) {
          throw new DomainError(
            'partnership.authorization_required',
            400,
            'Check the box to authorize the indirect provider.',
          );
        }
      },
      permission: PERMISSIONS.relationshipsManage,
      forbidden:
        'Only a Global admin or an Admin agent of the indirect reseller can authorize an indirect provider.',
      accept: async (caller, form) => {
        const provider = await this.partnerships.accept(caller, form.token, true);
        return partnershipAcceptedPage(provider.name, provider.mpnId, bare);
      },
      logger: this.logger,
    };
  }

  /**
   * `GET /invitations/partnership?token=…[&lang=en|ja]` → 200 HTML in the invitation's language
   * (or `lang`): which indirect provider (name, Partner ID) invites, a language switch, and a
   * sign-in + authorize form. Unknown/used/revoked/expired token → 404/409/410 HTML.
   */
  @Get()
  @ApiResponse(200, HtmlPage, 'The invitation page (its button accepts).', undefined, HTML)
  @Public()
  @RateLimited('public', { query: ['token'] })
  show(
    @Query() query: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.pages.show(reply, query, this.page(langOf(query), false, acceptLanguage));
  }

  /**
   * `POST /invitations/partnership/accept[?lang=en|ja]` (form: token, email, password,
   * organization?, authorize) → signs the user in through identity, then runs the same acceptance
   * as `POST /v1/partnership-requests/accept` and answers an HTML result page in `lang` (200, or
   * the error's status with the form again when the invitation is still usable).
   */
  @Post('accept')
  @ApiResponse(200, HtmlPage, 'The page saying the partnership is established.', undefined, HTML)
  @Audited('partnership.established')
  @HttpCode(200)
  @Public()
  @RateLimited('public', { body: ['token', 'email'] })
  accept(
    @Body() body: unknown,
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.pages.accept(reply, body, this.page(langOf(query), true, undefined));
  }
}
