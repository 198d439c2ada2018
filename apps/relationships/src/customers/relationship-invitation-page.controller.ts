import { Body, Controller, Get, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import { PERMISSIONS, Public, hasPermission } from '@app/auth';
import { DomainError } from '@app/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { InvitationPageSignIn } from '../invitations/invitation-page-sign-in.service';
import { invitationErrorPage } from '../partnerships/invitation-page.html';
import { RelationshipRequestsService } from './relationship-requests.service';
import {
  relationshipAcceptedPage,
  relationshipInvitationPage,
} from './relationship-invitation-page.html';

const TokenQuerySchema = z.object({ token: z.string().trim().min(20).max(200) });

const AcceptFormSchema = z.object({
  token: z.string().trim().min(20).max(200),
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(200),
  acceptCustomerAgreement: z.string().optional(),
});

/**
 * The page a reseller relationship request's link opens by default
 * (`CUSTOMER_ACCEPT_URL_*` = `${PUBLIC_URL}/invitations/reseller-relationship`; seed 001 steps
 * 5–6; seed README: where a person must act on a link, as a page too). Plain HTML forms, no
 * scripts; every value escaped.
 */
@Controller('invitations/reseller-relationship')
export class RelationshipInvitationPageController {
  private readonly logger = new Logger(RelationshipInvitationPageController.name);

  constructor(
    private readonly requests: RelationshipRequestsService,
    private readonly pageSignIn: InvitationPageSignIn,
  ) {}

  /**
   * `GET /invitations/reseller-relationship?token=…` → 200 HTML: who invites (partner, Partner ID,
   * joint indirect provider, delegated admin privileges) and a sign-in + accept form.
   * Unknown/used/revoked/expired token → 404/409/410 HTML.
   */
  @Get()
  @Public()
  async show(
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    void reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    const parsed = TokenQuerySchema.safeParse(query);
    if (!parsed.success) {
      void reply.status(404);
      return invitationErrorPage('This invitation link is not valid.');
    }
    try {
      const preview = await this.requests.preview(parsed.data.token);
      return relationshipInvitationPage({ token: parsed.data.token, ...preview });
    } catch (error) {
      return this.errorPage(reply, error);
    }
  }

  /**
   * `POST /invitations/reseller-relationship/accept` (form: token, email, password,
   * acceptCustomerAgreement) → signs the customer's Global admin in through identity's
   * `POST /v1/auth/token`, then runs the same acceptance as
   * `POST /v1/customers/relationship-requests/accept` and answers an HTML result page.
   */
  @Post('accept')
  @HttpCode(200)
  @Public()
  async accept(
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    void reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    const parsed = AcceptFormSchema.safeParse(body);
    if (!parsed.success) {
      void reply.status(400);
      return invitationErrorPage(
        'The form is incomplete: email, password and the invitation token are required.',
      );
    }
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
        acceptCustomerAgreement:
          form.acceptCustomerAgreement === 'true' || form.acceptCustomerAgreement === 'on',
      });
      return relationshipAcceptedPage(accepted.relationships.map((r) => r.partnerName));
    } catch (error) {
      return this.errorPage(reply, error, form.token);
    }
  }

  /** The error as a page: the form again while the invitation is usable, else the reason. */
  private async errorPage(reply: FastifyReply, error: unknown, token?: string): Promise<string> {
    if (!(error instanceof DomainError)) {
      this.logger.error(error instanceof Error ? error.stack : String(error));
      void reply.status(500);
      return invitationErrorPage('Something went wrong. Retry later.');
    }
    void reply.status(error.status);
    if (token && !error.code.startsWith('invitation.')) {
      try {
        const preview = await this.requests.preview(token);
        return relationshipInvitationPage({ token, ...preview, error: error.message });
      } catch {
        // The invitation itself is no longer usable: fall through to the plain error page.
      }
    }
    return invitationErrorPage(error.message);
  }
}
