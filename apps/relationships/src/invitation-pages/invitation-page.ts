import { Logger } from '@nestjs/common';
import { DomainError, asLinkPage } from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { invitationErrorPage } from './invitation-page.html';

/**
 * The mechanics both invitation pages share (`/invitations/partnership`,
 * `/invitations/reseller-relationship`): the token in the link, the sign-in form, and how a failure
 * becomes a page (seed README: where a person must act on a link, as a page too).
 */
export const InvitationLinkQuerySchema = z.object({ token: z.string().trim().min(16).max(256) });

/** Fields every acceptance form posts (`application/x-www-form-urlencoded`). */
export const InvitationFormSchema = z.object({
  token: z.string().trim().min(16).max(256),
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(200),
  /** Optional (an empty field posts ''): the organisation to sign in to, see `signInFields`. */
  organization: z
    .string()
    .trim()
    .max(254)
    .optional()
    .transform((v) => v || undefined),
});

/** The query's `lang` (the page's language: `?lang=en|ja`), anything else in it ignored. */
export function langOf(query: unknown): string | undefined {
  const lang = (query as { lang?: unknown } | null | undefined)?.lang;
  return typeof lang === 'string' ? lang : undefined;
}

/** A checked HTML checkbox posts `on` (or the `value` the form gives it: `true`). */
export function isChecked(value: string | undefined): boolean {
  return value === 'on' || value === 'true';
}

/**
 * A 429 or 503 page carries `Retry-After` from the error's `data.retryAfterSeconds`, as the API
 * error filter does for JSON answers.
 */
function setRetryAfter(reply: FastifyReply, error: DomainError): void {
  const seconds = (error.data as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if ((error.status === 429 || error.status === 503) && typeof seconds === 'number') {
    void reply.header('retry-after', String(seconds));
  }
}

/** How one kind of invitation is previewed and drawn. */
export interface InvitationPageKind<P> {
  preview(token: string): Promise<P>;
  /** The page with its form; `error` (and its code, see `errorCodeOf`) when a submission failed. */
  render(token: string, preview: P, error?: string, errorCode?: string): string;
  /** The page of a reason alone (no form); default: `invitationErrorPage` in English. */
  errorPage?(message: string, errorCode?: string): string;
}

/**
 * The code a page explains an error by: identity's own refusal for a failed sign-in (kept in
 * `data.reason` by `InvitationPageSignIn`, e.g. `auth.email_unverified`), else the error's code.
 */
export function errorCodeOf(error: DomainError): string {
  const reason = (error.data as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : error.code;
}

/**
 * `GET` of the link: the invitation's page, or a 404/409/410 page when the token is not valid,
 * used, revoked or expired.
 */
export async function showInvitationPage<P>(
  reply: FastifyReply,
  query: unknown,
  kind: InvitationPageKind<P>,
  logger: Logger,
): Promise<string> {
  asLinkPage(reply);
  const parsed = InvitationLinkQuerySchema.safeParse(query);
  if (!parsed.success) {
    void reply.status(404);
    const message = 'This invitation link is not valid.';
    return kind.errorPage
      ? kind.errorPage(message, 'invitation.link_invalid')
      : invitationErrorPage(message);
  }
  try {
    return kind.render(parsed.data.token, await kind.preview(parsed.data.token));
  } catch (error) {
    return errorPage(reply, error, logger, kind);
  }
}

/**
 * A failed acceptance as a page with the error's status: the form again (with the reason) while
 * the invitation is still usable, else the reason alone. Unexpected errors are a 500 page that
 * says nothing about internals.
 */
export async function failedInvitationPage<P>(
  reply: FastifyReply,
  error: unknown,
  token: string,
  kind: InvitationPageKind<P>,
  logger: Logger,
): Promise<string> {
  if (error instanceof DomainError && !error.code.startsWith('invitation.')) {
    void reply.status(error.status);
    setRetryAfter(reply, error);
    try {
      return kind.render(token, await kind.preview(token), error.message, errorCodeOf(error));
    } catch {
      // The invitation itself is no longer usable: fall through to the plain error page.
    }
  }
  return errorPage(reply, error, logger, kind);
}

function errorPage<P>(
  reply: FastifyReply,
  error: unknown,
  logger: Logger,
  kind: InvitationPageKind<P>,
): string {
  const page = kind.errorPage ?? ((message: string) => invitationErrorPage(message));
  if (!(error instanceof DomainError)) {
    logger.error(error instanceof Error ? error.stack : String(error));
    void reply.status(500);
    return page('Something went wrong. Retry later.', 'unexpected');
  }
  void reply.status(error.status);
  setRetryAfter(reply, error);
  return page(error.message, errorCodeOf(error));
}

/** An incomplete form: 400 page (in the kind's language when it draws its own error pages). */
export function incompleteFormPage<P>(reply: FastifyReply, kind?: InvitationPageKind<P>): string {
  void reply.status(400);
  const message = 'The form is incomplete: email, password and the invitation token are required.';
  return kind?.errorPage ? kind.errorPage(message, 'incomplete') : invitationErrorPage(message);
}
