import { Body, Controller, Get, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import { PERMISSIONS, Public, hasPermission } from '@app/auth';
import { DomainError } from '@app/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { InvitationPageSignIn } from '../invitations/invitation-page-sign-in.service';
import {
  invitationErrorPage,
  partnershipAcceptedPage,
  partnershipInvitationPage,
} from './invitation-page.html';
import { PartnershipsService } from './partnerships.service';

const TokenQuerySchema = z.object({ token: z.string().trim().min(16).max(256) });

const AcceptFormSchema = z.object({
  token: z.string().trim().min(16).max(256),
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(200),
  authorize: z.string().optional(),
});

/**
 * The page a partnership request's link opens (seed 004 steps 2–3; seed README: where a person
 * must act on a link, as a page too). Plain HTML forms, no scripts; every value escaped.
 */
@Controller('invitations/partnership')
export class PartnershipInvitationPageController {
  private readonly logger = new Logger(PartnershipInvitationPageController.name);

  constructor(
    private readonly partnerships: PartnershipsService,
    private readonly pageSignIn: InvitationPageSignIn,
  ) {}

  /**
   * `GET /invitations/partnership?token=…` → 200 HTML: which indirect provider (name, Partner ID)
   * invites, and a sign-in + authorize form. Unknown/used/revoked/expired token → 404/409/410 HTML.
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
      const preview = await this.partnerships.preview(parsed.data.token);
      return partnershipInvitationPage({ token: parsed.data.token, ...preview });
    } catch (error) {
      return this.errorPage(reply, error);
    }
  }

  /**
   * `POST /invitations/partnership/accept` (form: token, email, password, authorize) → signs the
   * user in through identity's `POST /v1/auth/token`, then runs the same acceptance as
   * `POST /v1/partnership-requests/accept` and answers an HTML result page (200, or the error's
   * status with the form again when the invitation is still usable).
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
      if (form.authorize !== 'true' && form.authorize !== 'on') {
        throw new DomainError(
          'partnership.authorization_required',
          400,
          'Check the box to authorize the indirect provider.',
        );
      }
      const caller = await this.pageSignIn.signIn(form.email, form.password);
      if (!hasPermission(caller.tenantKind, caller.roles, PERMISSIONS.relationshipsManage)) {
        throw new DomainError(
          'auth.forbidden',
          403,
          'Only a Global admin or an Admin agent of the indirect reseller can authorize an indirect provider.',
        );
      }
      const provider = await this.partnerships.accept(caller, form.token, true);
      return partnershipAcceptedPage(provider.name, provider.mpnId);
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
        const preview = await this.partnerships.preview(token);
        return partnershipInvitationPage({ token, ...preview, error: error.message });
      } catch {
        // The invitation itself is no longer usable: fall through to the plain error page.
      }
    }
    return invitationErrorPage(error.message);
  }
}
