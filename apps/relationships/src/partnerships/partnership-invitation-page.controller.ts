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
  partnershipAcceptedPage,
  partnershipInvitationPage,
} from './partnership-invitation-page.html';
import { PartnershipsService } from './partnerships.service';

const AcceptFormSchema = InvitationFormSchema.extend({ authorize: z.string().optional() });

/**
 * The page a partnership request's link opens (seed 004 steps 2–3: follow the link, sign in,
 * check the box and select Authorize indirect provider). Plain HTML forms, no scripts; every
 * value escaped.
 */
@Controller('invitations/partnership')
export class PartnershipInvitationPageController {
  private readonly logger = new Logger(PartnershipInvitationPageController.name);
  private readonly page: InvitationPageKind<Awaited<ReturnType<PartnershipsService['preview']>>>;

  constructor(
    private readonly partnerships: PartnershipsService,
    private readonly pageSignIn: InvitationPageSignIn,
  ) {
    this.page = {
      preview: (token) => this.partnerships.preview(token),
      render: (token, preview, error) => partnershipInvitationPage({ token, ...preview, error }),
    };
  }

  /**
   * `GET /invitations/partnership?token=…` → 200 HTML: which indirect provider (name, Partner ID)
   * invites, and a sign-in + authorize form. Unknown/used/revoked/expired token → 404/409/410 HTML.
   */
  @Get()
  @Public()
  show(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return showInvitationPage(reply, query, this.page, this.logger);
  }

  /**
   * `POST /invitations/partnership/accept` (form: token, email, password, authorize) → signs the
   * user in through identity, then runs the same acceptance as
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
    asInvitationPage(reply);
    const parsed = AcceptFormSchema.safeParse(body);
    if (!parsed.success) return incompleteFormPage(reply);
    const form = parsed.data;
    try {
      if (!isChecked(form.authorize)) {
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
      return failedInvitationPage(reply, error, form.token, this.page, this.logger);
    }
  }
}
