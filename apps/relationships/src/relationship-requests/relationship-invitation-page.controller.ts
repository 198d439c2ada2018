import { Body, Controller, Get, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import { PERMISSIONS, Public } from '@app/auth';
import { Audited, RateLimited } from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { InvitationFormSchema, isChecked } from '../invitation-pages/invitation-page';
import { InvitationPage, InvitationPages } from '../invitation-pages/invitation-pages.service';
import {
  relationshipAcceptedPage,
  relationshipInvitationPage,
} from './relationship-invitation-page.html';
import { RelationshipRequestsService } from './relationship-requests.service';

const AcceptFormSchema = InvitationFormSchema.extend({
  acceptCustomerAgreement: z.string().optional(),
});

/**
 * The page a reseller relationship request's link opens by default
 * (`CUSTOMER_ACCEPT_URL_*` = `${PUBLIC_URL}/invitations/reseller-relationship`; seed 001 steps
 * 5–6). Plain HTML forms, no scripts; every value escaped.
 */
@Controller('invitations/reseller-relationship')
export class RelationshipInvitationPageController {
  private readonly page: InvitationPage<
    Awaited<ReturnType<RelationshipRequestsService['preview']>>,
    z.infer<typeof AcceptFormSchema>
  >;

  constructor(
    private readonly requests: RelationshipRequestsService,
    private readonly pages: InvitationPages,
  ) {
    this.page = {
      form: AcceptFormSchema,
      preview: (token) => this.requests.preview(token),
      render: (token, preview, error) => relationshipInvitationPage({ token, ...preview, error }),
      permission: PERMISSIONS.customerPartnersManage,
      forbidden:
        "Only a Global admin of the customer's organisation can accept a reseller relationship.",
      accept: async (caller, form) => {
        const accepted = await this.requests.accept(caller, {
          token: form.token,
          acceptCustomerAgreement: isChecked(form.acceptCustomerAgreement),
        });
        return relationshipAcceptedPage(accepted.relationships.map((r) => r.partnerName));
      },
      logger: new Logger(RelationshipInvitationPageController.name),
    };
  }

  /**
   * `GET /invitations/reseller-relationship?token=…` → 200 HTML: who invites (partner, Partner ID,
   * joint indirect provider, delegated admin privileges) and a sign-in + accept form.
   * Unknown/used/revoked/expired token → 404/409/410 HTML.
   */
  @Get()
  @Public()
  @RateLimited('public', { query: ['token'] })
  show(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pages.show(reply, query, this.page);
  }

  /**
   * `POST /invitations/reseller-relationship/accept` (form: token, email, password, organization?,
   * acceptCustomerAgreement) → signs the customer's Global admin in through identity, then runs
   * the same acceptance as `POST /v1/customers/relationship-requests/accept` and answers an HTML
   * result page.
   */
  @Post('accept')
  @Audited('reseller_relationship.established')
  @HttpCode(200)
  @Public()
  @RateLimited('public', { body: ['token', 'email'] })
  accept(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pages.accept(reply, body, this.page);
  }
}
