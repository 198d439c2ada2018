import { Body, Controller, Get, HttpCode, Inject, Logger, Post, Query, Res } from '@nestjs/common';
import { AccessTokenVerifier, Caller, PERMISSIONS, Public, hasPermission } from '@app/auth';
import { DomainError } from '@app/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { APP_CONFIG, RelationshipsConfig } from '../config/relationships.config';
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

/** What identity's `POST /v1/auth/token` answers (either spelling of the token field). */
const TokenAnswerSchema = z.union([
  z.object({ accessToken: z.string().min(1) }).transform((a) => a.accessToken),
  z.object({ access_token: z.string().min(1) }).transform((a) => a.access_token),
]);

const IDENTITY_TIMEOUT_MS = 5000;

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
    private readonly verifier: AccessTokenVerifier,
    @Inject(APP_CONFIG) private readonly config: RelationshipsConfig,
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
      const caller = await this.signIn(form.email, form.password);
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

  /** Sign in through identity's HTTP API and verify the access token it issues. */
  private async signIn(email: string, password: string): Promise<Caller> {
    let response: Response;
    try {
      response = await fetch(`${this.config.IDENTITY_PUBLIC_URL}/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ email, password }),
        signal: AbortSignal.timeout(IDENTITY_TIMEOUT_MS),
      });
    } catch (error) {
      this.logger.warn(`sign-in through identity failed: ${(error as Error).message}`);
      throw new DomainError('dependency.unavailable', 503, 'Sign-in is unavailable. Retry later.');
    }
    const answer: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const description = z.object({ description: z.string() }).safeParse(answer);
      throw new DomainError(
        'auth.unauthenticated',
        response.status >= 500 ? 503 : 401,
        description.success ? description.data.description : 'Sign-in failed.',
      );
    }
    const token = TokenAnswerSchema.safeParse(answer);
    if (!token.success) {
      throw new DomainError('dependency.invalid_response', 502, 'Sign-in answered badly.');
    }
    const claims = await this.verifier.verify(token.data).catch(() => {
      throw new DomainError('auth.unauthenticated', 401, 'Sign-in failed.');
    });
    if (claims.pwc === true) {
      throw new DomainError(
        'auth.password_change_required',
        403,
        'You are signed in with a temporary password: change it first, then follow the link again.',
      );
    }
    return {
      userId: claims.sub,
      tenantId: claims.tid,
      tenantKind: claims.tkind,
      roles: claims.roles,
      email: claims.email,
      name: claims.name,
      locale: claims.locale,
      passwordChangeRequired: false,
    };
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
