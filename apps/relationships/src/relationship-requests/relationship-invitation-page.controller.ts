import { Body, Controller, Get, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import { PERMISSIONS, Public, hasPermission } from '@app/auth';
import { DomainError } from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  InvitationFormSchema,
  InvitationPageKind,
  asInvitationPage,
  failedInvitationPage,
  incompleteFormPage,
  isChecked,
  showInvitationPage,
} from '../invitation-pages/invitation-page';
import { InvitationPageSignIn } from '../invitation-pages/invitation-page-sign-in.service';
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
  private readonly logger = new Logger(RelationshipInvitationPageController.name);
  private readonly page: InvitationPageKind<
    Awaited<ReturnType<RelationshipRequestsService['preview']>>
  >;

  constructor(
    private readonly requests: RelationshipRequestsService,
    private readonly pageSignIn: InvitationPageSignIn,
  ) {
    this.page = {
      preview: (token) => this.requests.preview(token),
      render: (token, preview, error) => relationshipInvitationPage({ token, ...preview, error }),
    };
  }

  /**
   * `GET /invitations/reseller-relationship?token=…` → 200 HTML: who invites (partner, Partner ID,
   * joint indirect provider, delegated admin privileges) and a sign-in + accept form.
   * Unknown/used/revoked/expired token → 404/409/410 HTML.
   */
  @Get()
  @Public()
  show(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return showInvitationPage(reply, query, this.page, this.logger);
  }

  /**
   * `POST /invitations/reseller-relationship/accept` (form: token, email, password,
   * acceptCustomerAgreement) → signs the customer's Global admin in through identity, then runs
   * the same acceptance as `POST /v1/customers/relationship-requests/accept` and answers an HTML
   * result page.
   */
  @Post('accept')
  @HttpCode(200)
  @Public()
  async accept(
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    asInvitationPage(reply);
    const parsed = AcceptFormSchema.safeParse(body);
    if (!parsed.success) return incompleteFormPage(reply);
    const form = parsed.data;
    try {
      const caller = await this.pageSignIn.signIn(form.email, form.password);
      if (!hasPermission(caller.tenantKind, caller.roles, PERMISSIONS.customerPartnersManage)) {
        throw new DomainError(
          'auth.forbidden',
          403,
          "Only a Global admin of the customer's organisation can accept a reseller relationship.",
        );
      }
      const accepted = await this.requests.accept(caller, {
        token: form.token,
        acceptCustomerAgreement: isChecked(form.acceptCustomerAgreement),
      });
      return relationshipAcceptedPage(accepted.relationships.map((r) => r.partnerName));
    } catch (error) {
      return failedInvitationPage(reply, error, form.token, this.page, this.logger);
    }
  }
}
