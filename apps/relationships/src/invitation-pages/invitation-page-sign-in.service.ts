import { Inject, Injectable, Logger } from '@nestjs/common';
import { AccessTokenVerifier, Caller, callerFromClaims } from '@app/auth';
import { ERROR_CODES, errorNameOf } from '@app/contracts';
import { DomainError } from '@app/platform';
import { z } from 'zod';
import { APP_CONFIG, RelationshipsConfig } from '../config/relationships.config';

/** What identity's `POST /v1/auth/token` answers. */
const TokenAnswerSchema = z.object({ accessToken: z.string().min(1) });

/** What identity answers when it refuses: the API error body (`code` a number of ERROR_CODES). */
const ErrorAnswerSchema = z.object({
  code: z.number().int(),
  description: z.string(),
  data: z.array(z.unknown()).optional(),
});

/** `data` of identity's 409 `auth.organization_required`: the organisations to choose from. */
const OrganizationsSchema = z.array(z.object({ id: z.string(), name: z.string() })).max(20);

/** What the page says for identity's 409 `auth.organization_required`. */
export function organizationRequiredMessage(organizations: { id: string; name: string }[]): string {
  const which = organizations.map((o) => `${o.name} (organization ID ${o.id})`).join('; ');
  return `This email address and password sign in to several organizations${which ? `: ${which}` : ''}. Enter the organization to sign in to (its ID, Partner ID or domain) and submit again.`;
}

const IDENTITY_TIMEOUT_MS = 5000;

/** What identity's `POST /v1/customer-signups` answers (201). */
const SignUpAnswerSchema = z.object({
  tenantId: z.string(),
  domain: z.string(),
  userId: z.string(),
});

/** A customer organisation signing up from an invitation page (identity's customer sign-up body). */
export interface InvitationSignUp {
  companyName: string;
  domainPrefix: string;
  address: { addressLine1: string; city: string; postalCode: string; country: string };
  country: string;
  cloud: string;
  locale: string;
  globalAdmin: { firstName: string; lastName: string; email: string; password: string };
}

/**
 * Signs a person in for the invitation pages (`/invitations/*`): the page's form posts email,
 * password and (optional) organization here, which go to identity's `POST /v1/auth/token` over
 * HTTP (`IDENTITY_PUBLIC_URL`)
 * with the visitor's address in `X-Forwarded-For` (identity trusts it from this service's address
 * only, `TRUST_PROXY`, so its per-address sign-in limit counts each visitor, not this server);
 * the issued access token is verified through the JWKS like any API token.
 * Errors: 401 `auth.unauthenticated` (wrong credentials or token), 403
 * `auth.password_change_required` (a temporary password: change it first), 409
 * `auth.organization_required` (the address and password sign in to several organisations: the
 * page names them and asks for the organisation; sign-in names are per organisation, issue 9
 * point 9; an invitation does not record its invitee's organisation), 429 as identity
 * answered it (`request.throttled` for the visitor's address, `auth.locked` for the account; with
 * `data.retryAfterSeconds`), 503 `dependency.unavailable` (identity does not answer).
 */
@Injectable()
export class InvitationPageSignIn {
  private readonly logger = new Logger(InvitationPageSignIn.name);

  constructor(
    private readonly verifier: AccessTokenVerifier,
    @Inject(APP_CONFIG) private readonly config: RelationshipsConfig,
  ) {}

  /** @param visitorAddress the client address of the page's request (`request.ip`). */
  async signIn(
    credentials: { email: string; password: string; organization?: string },
    visitorAddress: string,
  ): Promise<Caller> {
    let response: Response;
    try {
      response = await fetch(`${this.config.IDENTITY_PUBLIC_URL}/v1/auth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-forwarded-for': visitorAddress,
        },
        body: JSON.stringify({
          email: credentials.email,
          password: credentials.password,
          ...(credentials.organization ? { organization: credentials.organization } : {}),
        }),
        signal: AbortSignal.timeout(IDENTITY_TIMEOUT_MS),
      });
    } catch (error) {
      this.logger.warn(`sign-in through identity failed: ${(error as Error).message}`);
      throw new DomainError('dependency.unavailable', 503, 'Sign-in is unavailable. Retry later.');
    }
    const answer: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const description = z.object({ description: z.string() }).safeParse(answer);
      const refusal = ErrorAnswerSchema.safeParse(answer);
      if (response.status === 429 && refusal.success) {
        const header = Number(response.headers.get('retry-after'));
        const retryAfterSeconds = Number.isInteger(header) && header >= 0 ? header : 1;
        throw new DomainError(
          errorNameOf(refusal.data.code) ?? 'request.throttled',
          429,
          refusal.data.description,
          { retryAfterSeconds },
        );
      }
      if (
        response.status === 409 &&
        refusal.success &&
        refusal.data.code === ERROR_CODES['auth.organization_required']
      ) {
        const organizations = OrganizationsSchema.safeParse(refusal.data.data ?? []);
        throw new DomainError(
          'auth.organization_required',
          409,
          organizationRequiredMessage(organizations.success ? organizations.data : []),
        );
      }
      // Identity's own refusal (e.g. `auth.email_unverified`) travels in `data.reason`: the page
      // explains it in its language and shows the way on.
      const reason = refusal.success ? errorNameOf(refusal.data.code) : undefined;
      throw new DomainError(
        'auth.unauthenticated',
        response.status >= 500 ? 503 : 401,
        description.success ? description.data.description : 'Sign-in failed.',
        reason ? { reason } : undefined,
      );
    }
    const token = TokenAnswerSchema.safeParse(answer);
    if (!token.success) {
      throw new DomainError('dependency.invalid_response', 502, 'Sign-in answered badly.');
    }
    const caller = callerFromClaims(
      await this.verifier.verify(token.data.accessToken).catch(() => {
        throw new DomainError('auth.unauthenticated', 401, 'Sign-in failed.');
      }),
    );
    if (caller.passwordChangeRequired) {
      throw new DomainError(
        'auth.password_change_required',
        403,
        'You are signed in with a temporary password: change it first, then follow the link again.',
      );
    }
    return caller;
  }

  /**
   * Creates a customer organisation through identity's `POST /v1/customer-signups` (the visitor's
   * address in `X-Forwarded-For`, as for sign-in) and answers `{ tenantId, domain, userId }`.
   * Identity's refusal is rethrown with its code and status (400 `request.invalid` /
   * `user.weak_password`, 409 `customer.domain_taken`, 429 with `data.retryAfterSeconds`); 503
   * `dependency.unavailable` when identity does not answer.
   */
  async signUp(
    input: InvitationSignUp,
    visitorAddress: string,
  ): Promise<z.infer<typeof SignUpAnswerSchema>> {
    let response: Response;
    try {
      response = await fetch(`${this.config.IDENTITY_PUBLIC_URL}/v1/customer-signups`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-forwarded-for': visitorAddress,
        },
        body: JSON.stringify(input),
        signal: AbortSignal.timeout(IDENTITY_TIMEOUT_MS),
      });
    } catch (error) {
      this.logger.warn(`sign-up through identity failed: ${(error as Error).message}`);
      throw new DomainError('dependency.unavailable', 503, 'Sign-up is unavailable. Retry later.');
    }
    const answer: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const refusal = ErrorAnswerSchema.safeParse(answer);
      if (response.status >= 500 || !refusal.success) {
        throw new DomainError(
          'dependency.unavailable',
          503,
          'Sign-up is unavailable. Retry later.',
        );
      }
      const header = Number(response.headers.get('retry-after'));
      throw new DomainError(
        errorNameOf(refusal.data.code) ?? 'request.invalid',
        response.status,
        refusal.data.description,
        response.status === 429
          ? { retryAfterSeconds: Number.isInteger(header) && header >= 0 ? header : 1 }
          : undefined,
      );
    }
    const created = SignUpAnswerSchema.safeParse(answer);
    if (!created.success) {
      throw new DomainError('dependency.invalid_response', 502, 'Sign-up answered badly.');
    }
    return created.data;
  }
}
