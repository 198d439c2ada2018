import { Body, Controller, Get, Headers, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import { PERMISSIONS, Public } from '@app/auth';
import { ApiResponse, Audited, RateLimited, HTML, HtmlPage, linkPageLocale } from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { InvitationFormSchema, langOf } from '../invitation-pages/invitation-page';
import { invitationErrorPage } from '../invitation-pages/invitation-page.html';
import { gdapApprovalErrorText, gdapApprovalT } from './gdap-approval-page-i18n';
import { InvitationPage, InvitationPages } from '../invitation-pages/invitation-pages.service';
import {
  ApprovalPreview,
  DelegatedAdminRelationshipsService,
} from './delegated-admin-relationships.service';
import { gdapApprovalPage, gdapDecidedPage } from './gdap-approval-page.html';

const DecisionFormSchema = InvitationFormSchema.extend({
  decision: z.enum(['approve', 'reject']),
});

/**
 * The page the approval request email links to
 * (`${PUBLIC_URL}/invitations/delegated-admin-relationship?token=…&lang=<recipient's locale>`,
 * issue 10): the same flow as the invitation pages (`InvitationPages`: GET shows and changes
 * nothing; the form POSTs the single-use token with the Global admin's sign-in).
 */
@Controller('invitations/delegated-admin-relationship')
export class GdapApprovalPageController {
  private readonly logger = new Logger(GdapApprovalPageController.name);

  constructor(
    private readonly relationships: DelegatedAdminRelationshipsService,
    private readonly pages: InvitationPages,
  ) {}

  /**
   * The page in the language of `lang` (`?lang=en|ja`: the approval email adds the recipient's
   * language to its link; the page's switch and its form keep it), else the browser's
   * `Accept-Language` for the link (a posted form without `lang`: English), else English.
   */
  private page(
    lang: string | undefined,
    acceptLanguage: string | string[] | undefined,
  ): InvitationPage<ApprovalPreview, z.infer<typeof DecisionFormSchema>> {
    const locale = linkPageLocale(lang, acceptLanguage);
    return {
      form: DecisionFormSchema,
      preview: (token) => this.relationships.preview(token, locale),
      render: (token, preview, error, errorCode) =>
        gdapApprovalPage(
          token,
          preview,
          error && gdapApprovalErrorText(locale, errorCode ?? '', error),
          locale,
        ),
      errorPage: (message, errorCode) =>
        invitationErrorPage(
          gdapApprovalErrorText(locale, errorCode ?? '', message),
          gdapApprovalT(locale)('errorTitle'),
          locale,
        ),
      permission: PERMISSIONS.gdapRequest,
      forbidden:
        "Only a Global admin of the customer's organisation can approve or reject a delegated admin relationship.",
      accept: async (caller, form) => {
        const decided = await this.relationships.decideByToken(caller, form.token, form.decision);
        return gdapDecidedPage(decided, decided.action, locale);
      },
      logger: this.logger,
    };
  }

  /**
   * `GET /invitations/delegated-admin-relationship?token=…[&lang=en|ja]` → 200 HTML (partner,
   * relationship, duration, roles in plain words, language switch, sign-in and approve/reject
   * form) in `lang`, else the browser's language, else English; unknown or used token 404,
   * expired 410 (HTML). Changes nothing.
   */
  @Get()
  @ApiResponse(200, HtmlPage, 'The approval page.', undefined, HTML)
  @Public()
  @RateLimited('public', { query: ['token'] })
  show(
    @Query() query: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.pages.show(reply, query, this.page(langOf(query), acceptLanguage));
  }

  /**
   * `POST /invitations/delegated-admin-relationship/decision[?lang=en|ja]` (form: token, email,
   * password, organization?, decision=approve|reject) → signs the customer's Global admin in
   * through identity, then decides as `POST …/delegatedAdminRelationships/{id}/requests` does;
   * HTML result in `lang` (default English).
   */
  @Post('decision')
  @Audited('delegated_admin_relationship.approved', 'delegated_admin_relationship.rejected')
  @HttpCode(200)
  @ApiResponse(200, HtmlPage, 'The result page.', undefined, HTML)
  @Public()
  @RateLimited('public', { body: ['token', 'email'] })
  decide(
    @Body() body: unknown,
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.pages.accept(reply, body, this.page(langOf(query), undefined));
  }
}
