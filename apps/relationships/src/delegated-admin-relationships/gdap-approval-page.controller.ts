import { Body, Controller, Get, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import { PERMISSIONS, Public } from '@app/auth';
import { ApiResponse, Audited, RateLimited, HTML, HtmlPage } from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { InvitationFormSchema } from '../invitation-pages/invitation-page';
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
 * The page the approval request email links to (`${PUBLIC_URL}/invitations/delegated-admin-relationship?token=…`,
 * issue 10): the same flow as the invitation pages (`InvitationPages`: GET shows and changes
 * nothing; the form POSTs the single-use token with the Global admin's sign-in).
 */
@Controller('invitations/delegated-admin-relationship')
export class GdapApprovalPageController {
  private readonly page: InvitationPage<ApprovalPreview, z.infer<typeof DecisionFormSchema>>;

  constructor(
    private readonly relationships: DelegatedAdminRelationshipsService,
    private readonly pages: InvitationPages,
  ) {
    this.page = {
      form: DecisionFormSchema,
      preview: (token) => this.relationships.preview(token),
      render: (token, preview, error) => gdapApprovalPage(token, preview, error),
      permission: PERMISSIONS.gdapRequest,
      forbidden:
        "Only a Global admin of the customer's organisation can approve or reject a delegated admin relationship.",
      accept: async (caller, form) => {
        const decided = await this.relationships.decideByToken(caller, form.token, form.decision);
        return gdapDecidedPage(decided, decided.action);
      },
      logger: new Logger(GdapApprovalPageController.name),
    };
  }

  /**
   * `GET /invitations/delegated-admin-relationship?token=…` → 200 HTML (partner, relationship,
   * duration, roles in plain words, sign-in and approve/reject form); unknown or used token 404,
   * expired 410 (HTML). Changes nothing.
   */
  @Get()
  @ApiResponse(200, HtmlPage, 'The approval page.', undefined, HTML)
  @Public()
  @RateLimited('public', { query: ['token'] })
  show(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pages.show(reply, query, this.page);
  }

  /**
   * `POST /invitations/delegated-admin-relationship/decision` (form: token, email, password,
   * organization?, decision=approve|reject) → signs the customer's Global admin in through
   * identity, then decides as `POST …/delegatedAdminRelationships/{id}/requests` does; HTML result.
   */
  @Post('decision')
  @Audited('delegated_admin_relationship.approved', 'delegated_admin_relationship.rejected')
  @HttpCode(200)
  @ApiResponse(200, HtmlPage, 'The result page.', undefined, HTML)
  @Public()
  @RateLimited('public', { body: ['token', 'email'] })
  decide(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pages.accept(reply, body, this.page);
  }
}
