import { Injectable, Logger } from '@nestjs/common';
import { Caller, Permission, hasPermission } from '@app/auth';
import { DomainError, asLinkPage } from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  InvitationFormSchema,
  InvitationPageKind,
  failedInvitationPage,
  incompleteFormPage,
  showInvitationPage,
} from './invitation-page';
import { InvitationPageSignIn, InvitationSignUp } from './invitation-page-sign-in.service';

/** The fields every acceptance form posts. */
export type InvitationForm = z.infer<typeof InvitationFormSchema>;

/**
 * One kind of invitation page (`/invitations/partnership`, `/invitations/reseller-relationship`):
 * how its invitation is previewed and drawn, what its form posts, who may accept it and what
 * accepting does.
 */
export interface InvitationPage<P, F extends InvitationForm> extends InvitationPageKind<P> {
  /** The acceptance form: `InvitationFormSchema` extended with the kind's own fields. */
  form: z.ZodType<F>;
  /** Checks of the form before anyone is signed in (e.g. the authorize box). @throws DomainError */
  checkForm?(form: F): void;
  /** What the signed-in person needs to accept, and the 403 page's words when they lack it. */
  permission: Permission;
  forbidden: string;
  /** Accept as the signed-in `caller`; answers the result page. @throws DomainError */
  accept(caller: Caller, form: F): Promise<string>;
  /** Where unexpected failures are logged. */
  logger: Logger;
}

/**
 * The flow both invitation pages share: `GET` of the link draws the invitation (or a
 * 404/409/410 page), `POST …/accept` checks the form, signs the person in through identity,
 * checks their permission and accepts, answering an HTML page either way (200, or the error's
 * status with the form again while the invitation is still usable). Pages are `text/html`,
 * `cache-control: no-store`.
 */
@Injectable()
export class InvitationPages {
  constructor(private readonly pageSignIn: InvitationPageSignIn) {}

  /** `GET` of the link: the invitation's page, or why the link cannot be used. */
  show<P, F extends InvitationForm>(
    reply: FastifyReply,
    query: unknown,
    page: InvitationPage<P, F>,
  ): Promise<string> {
    return showInvitationPage(reply, query, page, page.logger);
  }

  /**
   * `POST` of the acceptance form: 400 page for an incomplete form; otherwise the kind's checks,
   * sign-in, 403 `auth.forbidden` without `page.permission`, then `page.accept`.
   */
  async accept<P, F extends InvitationForm>(
    reply: FastifyReply,
    body: unknown,
    page: InvitationPage<P, F>,
  ): Promise<string> {
    asLinkPage(reply);
    const parsed = page.form.safeParse(body);
    if (!parsed.success) return incompleteFormPage(reply, page);
    const form = parsed.data;
    try {
      page.checkForm?.(form);
      const caller = await this.pageSignIn.signIn(
        { email: form.email, password: form.password, organization: form.organization },
        reply.request.ip,
      );
      if (!hasPermission(caller.tenantKind, caller.roles, page.permission)) {
        throw new DomainError('auth.forbidden', 403, page.forbidden);
      }
      return await page.accept(caller, form);
    } catch (error) {
      return failedInvitationPage(reply, error, form.token, page, page.logger);
    }
  }

  /**
   * `POST` of an invitation page's sign-up form (an invitee without an account): the form parsed
   * by `schema` (400 page when incomplete), the organisation created through identity
   * (`InvitationPageSignIn.signUp`, `toSignUp` builds its body from the form and the still-usable
   * invitation's preview), then `done` draws the result page. A refusal (weak password, domain
   * taken, throttled) draws the invitation page again with the reason and the refusal's status.
   */
  async signUp<P, F extends { token: string }>(
    reply: FastifyReply,
    body: unknown,
    schema: z.ZodType<F>,
    page: InvitationPageKind<P> & { logger: Logger },
    toSignUp: (form: F, preview: P) => InvitationSignUp,
    done: (form: F, preview: P, created: { domain: string }) => string,
  ): Promise<string> {
    asLinkPage(reply);
    const parsed = schema.safeParse(body);
    if (!parsed.success) return incompleteFormPage(reply, page);
    const form = parsed.data;
    try {
      const preview = await page.preview(form.token);
      const created = await this.pageSignIn.signUp(toSignUp(form, preview), reply.request.ip);
      return done(form, preview, created);
    } catch (error) {
      return failedInvitationPage(reply, error, form.token, page, page.logger);
    }
  }
}
