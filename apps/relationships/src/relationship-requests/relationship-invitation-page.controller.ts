import { Body, Controller, Get, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import { PERMISSIONS, Public } from '@app/auth';
import { ApiResponse, Audited, RateLimited, HTML, HtmlPage } from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { InvitationFormSchema, isChecked } from '../invitation-pages/invitation-page';
import { InvitationPage, InvitationPages } from '../invitation-pages/invitation-pages.service';
import { PartnerRelationshipLinks } from './partner-relationship-links.service';
import {
  partnerLinkPage,
  relationshipAcceptedPage,
  relationshipInvitationPage,
} from './relationship-invitation-page.html';
import { RelationshipRequestsService } from './relationship-requests.service';

const AcceptFormSchema = InvitationFormSchema.extend({
  acceptCustomerAgreement: z.string().optional(),
  /** The version of the Customer Agreement the page showed (recorded with the acceptance). */
  customerAgreementVersion: z.string().trim().min(1).max(50).optional(),
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
  private readonly partnerLink: InvitationPage<
    Awaited<ReturnType<RelationshipRequestsService['previewPartnerLink']>>,
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
          customerAgreementVersion: form.customerAgreementVersion,
        });
        return relationshipAcceptedPage(accepted.relationships.map((r) => r.partnerName));
      },
      logger: new Logger(RelationshipInvitationPageController.name),
    };
    this.partnerLink = {
      ...this.page,
      preview: (token) => this.requests.previewPartnerLink(token),
      render: (token, preview, error) => partnerLinkPage({ token, ...preview, error }),
      accept: async (caller, form) => {
        const accepted = await this.requests.acceptPartnerLink(caller, {
          token: form.token,
          acceptCustomerAgreement: isChecked(form.acceptCustomerAgreement),
          customerAgreementVersion: form.customerAgreementVersion,
        });
        return relationshipAcceptedPage(accepted.relationships.map((r) => r.partnerName));
      },
    };
  }

  /**
   * `GET /invitations/reseller-relationship?token=…` → 200 HTML: who invites (partner, Partner ID,
   * joint indirect provider, delegated admin privileges), the Customer Agreement's version with a
   * link to its text, and a sign-in + accept form. Unknown/used/revoked/expired token →
   * 404/409/410 HTML. A partner's reusable link (`?invType=ResellerRelationship&partnerId=…&DAP=…
   * &link=…`, `GET /v1/customers/relationshiprequests`) draws the same page for that partner, its
   * form posting to `…/partner-link/accept`; a rotated or forged one → 404 HTML.
   */
  @Get()
  @Public()
  @RateLimited('public', { query: ['token', 'partnerId'] })
  @ApiResponse(200, HtmlPage, 'The acceptance page.', undefined, HTML)
  show(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const partnerLinkToken = PartnerRelationshipLinks.tokenOfQuery(query);
    if (partnerLinkToken !== null) {
      return this.pages.show(reply, { token: partnerLinkToken }, this.partnerLink);
    }
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
  @ApiResponse(200, HtmlPage, 'The result page.', undefined, HTML)
  accept(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pages.accept(reply, body, this.page);
  }

  /**
   * `POST /invitations/reseller-relationship/partner-link/accept` (form: token (the link's partner,
   * variant and code), email, password, organization?, acceptCustomerAgreement,
   * customerAgreementVersion) → signs the person in through identity; only a customer's Global
   * admin accepts (a partner's user: 403 `relationship_request.customer_only`, another role: 403);
   * establishes the relationship with the link's partner (the link stays usable for other
   * customers) and answers an HTML result page. A rotated link → 404 page.
   */
  @Post('partner-link/accept')
  @Audited('reseller_relationship.established')
  @HttpCode(200)
  @Public()
  @RateLimited('public', { body: ['token', 'email'] })
  @ApiResponse(200, HtmlPage, 'The result page.', undefined, HTML)
  acceptPartnerLink(
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.pages.accept(reply, body, this.partnerLink);
  }
}
