import { Body, Controller, Get, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import { PERMISSIONS, Public } from '@app/auth';
import { Audited, DomainError, RateLimited, ApiResponse, HTML, HtmlPage } from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { InvitationFormSchema, isChecked } from '../invitation-pages/invitation-page';
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
  private readonly page: InvitationPage<
    PartnershipInvitationPreview,
    z.infer<typeof AcceptFormSchema>
  >;

  constructor(
    private readonly partnerships: PartnershipsService,
    private readonly pages: InvitationPages,
  ) {
    this.page = {
      form: AcceptFormSchema,
      preview: (token) => this.partnerships.preview(token),
      render: (token, preview, error) => partnershipInvitationPage({ token, ...preview, error }),
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
        return partnershipAcceptedPage(provider.name, provider.mpnId);
      },
      logger: new Logger(PartnershipInvitationPageController.name),
    };
  }

  /**
   * `GET /invitations/partnership?token=…` → 200 HTML: which indirect provider (name, Partner ID)
   * invites, and a sign-in + authorize form. Unknown/used/revoked/expired token → 404/409/410 HTML.
   */
  @Get()
  @ApiResponse(200, HtmlPage, 'The invitation page (its button accepts).', undefined, HTML)
  @Public()
  @RateLimited('public', { query: ['token'] })
  show(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pages.show(reply, query, this.page);
  }

  /**
   * `POST /invitations/partnership/accept` (form: token, email, password, organization?, authorize) → signs the
   * user in through identity, then runs the same acceptance as
   * `POST /v1/partnership-requests/accept` and answers an HTML result page (200, or the error's
   * status with the form again when the invitation is still usable).
   */
  @Post('accept')
  @ApiResponse(200, HtmlPage, 'The page saying the partnership is established.', undefined, HTML)
  @Audited('partnership.established')
  @HttpCode(200)
  @Public()
  @RateLimited('public', { body: ['token', 'email'] })
  accept(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pages.accept(reply, body, this.page);
  }
}
