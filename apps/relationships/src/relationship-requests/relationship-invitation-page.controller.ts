import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Logger,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { PERMISSIONS, Public } from '@app/auth';
import { CountryCode } from '@app/contracts';
import {
  ApiResponse,
  AuditExempt,
  Audited,
  RateLimited,
  HTML,
  HtmlPage,
  linkPageLocale,
} from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { APP_CONFIG, RelationshipsConfig } from '../config/relationships.config';
import { errorText, pageLocale, pageT } from '../invitation-pages/invitation-page-i18n';
import { InvitationFormSchema, isChecked } from '../invitation-pages/invitation-page';
import { invitationErrorPage } from '../invitation-pages/invitation-page.html';
import { InvitationPage, InvitationPages } from '../invitation-pages/invitation-pages.service';
import { PartnerRelationshipLinks } from './partner-relationship-links.service';
import {
  partnerLinkPage,
  relationshipAcceptedPage,
  relationshipInvitationPage,
  signedUpPage,
} from './relationship-invitation-page.html';
import { RelationshipRequestsService } from './relationship-requests.service';

const AcceptFormSchema = InvitationFormSchema.extend({
  acceptCustomerAgreement: z.string().optional(),
  /** The version of the Customer Agreement the page showed (recorded with the acceptance). */
  customerAgreementVersion: z.string().trim().min(1).max(50).optional(),
});

/** The query of the page and of its forms' actions: the page's language (default: the email's). */
const LangQuerySchema = z.object({ lang: z.string().optional() });

/** The sign-up form of the invitation page (an invitee without an account). */
const SignUpFormSchema = z.object({
  token: z.string().trim().min(16).max(256),
  companyName: z.string().trim().min(1).max(200),
  domainPrefix: z.string().trim().min(1).max(50),
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  addressLine1: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  postalCode: z.string().trim().min(1).max(20),
  country: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .pipe(CountryCode),
  newPassword: z.string().min(1).max(200),
});

type Preview = Awaited<ReturnType<RelationshipRequestsService['preview']>>;
type PartnerLinkPreview = Awaited<ReturnType<RelationshipRequestsService['previewPartnerLink']>>;

/**
 * The page a reseller relationship request's link opens by default
 * (`CUSTOMER_ACCEPT_URL_*` = `${PUBLIC_URL}/invitations/reseller-relationship`; seed 001 steps
 * 5–6). Plain HTML forms, no scripts; every value escaped.
 */
@Controller('invitations/reseller-relationship')
export class RelationshipInvitationPageController {
  private readonly logger = new Logger(RelationshipInvitationPageController.name);

  constructor(
    private readonly requests: RelationshipRequestsService,
    private readonly pages: InvitationPages,
    @Inject(APP_CONFIG) private readonly config: RelationshipsConfig,
  ) {}

  /**
   * A partner's reusable link page in the link's `lang`; unset or unsupported: for the link
   * (`posted` false) the browser's `Accept-Language` (the link names no recipient and stores no
   * language), else English; for a posted form English, as its action names any other language.
   * Refusals are worded in that language by their code.
   */
  private partnerLinkPage(
    lang: string | undefined,
    posted: boolean,
    acceptLanguage?: string | string[],
  ): InvitationPage<PartnerLinkPreview, z.infer<typeof AcceptFormSchema>> {
    const locale = linkPageLocale(lang, posted ? undefined : acceptLanguage);
    const english = this.page(undefined, true);
    return {
      ...english,
      preview: (token) => this.requests.previewPartnerLink(token),
      render: (token, preview, error, errorCode) =>
        partnerLinkPage({
          token,
          ...preview,
          locale,
          error: error && errorText(locale, errorCode ?? '', error),
          errorCode,
          portalUrl: this.config.PORTAL_URL,
        }),
      errorPage: (message, errorCode) =>
        invitationErrorPage(
          errorText(locale, errorCode ?? '', message),
          pageT(locale)('errorTitle'),
          locale,
        ),
      accept: async (caller, form) => {
        const accepted = await this.requests.acceptPartnerLink(caller, {
          token: form.token,
          acceptCustomerAgreement: isChecked(form.acceptCustomerAgreement),
          customerAgreementVersion: form.customerAgreementVersion,
        });
        return relationshipAcceptedPage(
          accepted.relationships.map((r) => r.partnerName),
          locale,
          this.config.PORTAL_URL,
        );
      },
    };
  }

  /**
   * The invitation page in language `lang` (the `lang` parameter; unset or unsupported: for the
   * link (`posted` false) the invitation's locale, the language of its email; for a posted form,
   * English, as its action names any other language; a page without the invitation (unknown,
   * used, revoked or expired link) opened from the link: the browser's `Accept-Language`, else
   * English). Errors are worded in that language by their code; in English, an error without a
   * translation keeps its description.
   */
  private page(
    lang: string | undefined,
    posted: boolean,
    acceptLanguage?: string | string[],
  ): InvitationPage<Preview, z.infer<typeof AcceptFormSchema>> {
    const localeOf = (preview: Preview) => pageLocale(lang, posted ? 'en' : preview.locale);
    return {
      form: AcceptFormSchema,
      preview: (token) => this.requests.preview(token),
      render: (token, preview, error, errorCode) => {
        const locale = localeOf(preview);
        return relationshipInvitationPage({
          token,
          ...preview,
          language: { locale, invitationLocale: preview.locale },
          error: error && errorText(locale, errorCode ?? '', error),
          errorCode,
          portalUrl: this.config.PORTAL_URL,
        });
      },
      errorPage: (message, errorCode) => {
        const locale = linkPageLocale(lang, posted ? undefined : acceptLanguage);
        const t = pageT(locale);
        return invitationErrorPage(
          errorText(locale, errorCode ?? '', message),
          t('errorTitle'),
          locale,
        );
      },
      permission: PERMISSIONS.customerPartnersManage,
      forbidden:
        "Only a Global admin of the customer's organisation can accept a reseller relationship.",
      accept: async (caller, form) => {
        const accepted = await this.requests.accept(caller, {
          token: form.token,
          acceptCustomerAgreement: isChecked(form.acceptCustomerAgreement),
          customerAgreementVersion: form.customerAgreementVersion,
        });
        const preview = accepted.relationships.map((r) => r.partnerName);
        return relationshipAcceptedPage(preview, pageLocale(lang, 'en'), this.config.PORTAL_URL);
      },
      logger: this.logger,
    };
  }

  /** The `lang` of a query (anything else in it is the route's own business). */
  private static langOf(query: unknown): string | undefined {
    const parsed = LangQuerySchema.safeParse(query);
    return parsed.success ? parsed.data.lang : undefined;
  }

  /**
   * `GET /invitations/reseller-relationship?token=…` → 200 HTML: who invites (partner, Partner ID,
   * joint indirect provider, delegated admin privileges), the Customer Agreement's version with a
   * link to its text, and a sign-in + accept form. Unknown/used/revoked/expired token →
   * 404/409/410 HTML. A partner's reusable link (`?invType=ResellerRelationship&partnerId=…&DAP=…
   * &link=…[&lang=en|ja]`, `GET /v1/customers/relationshiprequests`) draws the same page for that
   * partner in its `lang`, else the browser's `Accept-Language`, else English, its form posting to
   * `…/partner-link/accept?lang=`; a rotated or forged one → 404 HTML in that language.
   */
  @Get()
  @Public()
  @RateLimited('public', { query: ['token', 'partnerId'] })
  @ApiResponse(200, HtmlPage, 'The acceptance page.', undefined, HTML)
  show(
    @Query() query: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const partnerLinkToken = PartnerRelationshipLinks.tokenOfQuery(query);
    if (partnerLinkToken !== null) {
      return this.pages.show(
        reply,
        { token: partnerLinkToken },
        this.partnerLinkPage(
          RelationshipInvitationPageController.langOf(query),
          false,
          acceptLanguage,
        ),
      );
    }
    return this.pages.show(
      reply,
      query,
      this.page(RelationshipInvitationPageController.langOf(query), false, acceptLanguage),
    );
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
  accept(
    @Body() body: unknown,
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.pages.accept(
      reply,
      body,
      this.page(RelationshipInvitationPageController.langOf(query), true),
    );
  }

  /**
   * `POST /invitations/reseller-relationship/sign-up[?lang=en|ja]` (form: token, companyName,
   * domainPrefix, firstName, lastName, addressLine1, city, postalCode, country, newPassword) → an
   * invitee without an account creates its customer organisation through identity's
   * `POST /v1/customer-signups`, with the invitation's address as its Global admin, the inviting
   * partner's cloud and the page's language; answers a page saying a verification email is on its
   * way and linking back to the invitation (the invitation stays pending: accepting is the page's
   * first form, once the address is verified). Refusals draw the invitation page again with the
   * reason (400 incomplete form or weak password, 409 `customer.domain_taken`, 429, 503); an
   * invitation no longer usable → its 404/409/410 page.
   */
  @Post('sign-up')
  @AuditExempt(
    'Identity creates the organisation (POST /v1/customer-signups) and writes organization.signed_up; this page changes nothing of its own.',
  )
  @HttpCode(200)
  @Public()
  @RateLimited('public', { body: ['token', 'domainPrefix'] })
  @ApiResponse(200, HtmlPage, 'The result page.', undefined, HTML)
  signUp(
    @Body() body: unknown,
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const lang = RelationshipInvitationPageController.langOf(query);
    return this.pages.signUp(
      reply,
      body,
      SignUpFormSchema,
      this.page(lang, true),
      (form, preview) => ({
        companyName: form.companyName,
        domainPrefix: form.domainPrefix,
        address: {
          addressLine1: form.addressLine1,
          city: form.city,
          postalCode: form.postalCode,
          country: form.country,
        },
        country: form.country,
        cloud: preview.cloud,
        locale: pageLocale(lang, 'en'),
        globalAdmin: {
          firstName: form.firstName,
          lastName: form.lastName,
          email: preview.email,
          password: form.newPassword,
        },
      }),
      (form, preview, created) => {
        const locale = pageLocale(lang, 'en');
        return signedUpPage(
          {
            token: form.token,
            company: form.companyName,
            domain: created.domain,
            email: preview.email,
          },
          { locale, invitationLocale: preview.locale },
        );
      },
    );
  }

  /**
   * `POST /invitations/reseller-relationship/partner-link/accept[?lang=en|ja]` (form: token (the link's partner,
   * variant and code), email, password, organization?, acceptCustomerAgreement,
   * customerAgreementVersion) → signs the person in through identity; only a customer's Global
   * admin accepts (a partner's user: 403 `relationship_request.customer_only`, another role: 403);
   * establishes the relationship with the link's partner (the link stays usable for other
   * customers) and answers an HTML result page in the page's language (`lang`, else English;
   * refusals worded by code). A rotated link → 404 page.
   */
  @Post('partner-link/accept')
  @Audited('reseller_relationship.established')
  @HttpCode(200)
  @Public()
  @RateLimited('public', { body: ['token', 'email'] })
  @ApiResponse(200, HtmlPage, 'The result page.', undefined, HTML)
  acceptPartnerLink(
    @Body() body: unknown,
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.pages.accept(
      reply,
      body,
      this.partnerLinkPage(RelationshipInvitationPageController.langOf(query), true),
    );
  }
}
