import { Locale } from '@app/contracts';
import {
  CUSTOMER_AGREEMENT_TEMPLATE,
  customerAgreementPath,
  customerAgreementText,
} from '../customer-agreements/customer-agreement-template';
import { languageSwitch } from '@app/platform';
import { pageT } from '../invitation-pages/invitation-page-i18n';
import { escapeHtml, htmlPage, signInFields } from '../invitation-pages/invitation-page.html';

/** The portal's base when the page is not told it (`PORTAL_URL`): the gateway's `/portal`. */
const DEFAULT_PORTAL_URL = '/portal';

const BASE = '/invitations/reseller-relationship';

/**
 * The page's language: `locale` the page's, `invitationLocale` the email's (the page's default
 * when the link names no language).
 */
export interface PageLanguage {
  locale: Locale;
  invitationLocale: Locale;
}

/**
 * A form action of the page: with `?lang=` unless English (a form posted without `lang` answers
 * in English).
 */
function withLang(path: string, language: PageLanguage): string {
  if (language.locale === 'en') return path;
  return `${path}${path.includes('?') ? '&' : '?'}lang=${language.locale}`;
}

/**
 * A URL of this page's own paths for an attribute value: its parts are constants, locales and
 * URL-encoded tokens (no quote or `<` can remain), so only `&` needs its entity.
 */
function attrUrl(url: string): string {
  return url.replace(/&/g, '&amp;');
}

/** The language switch: a link to the same page in each other language. */
function pageLanguageSwitch(selfPath: (lang: Locale) => string, locale: Locale): string {
  return languageSwitch(selfPath, locale, pageT(locale)('language'));
}

/**
 * The Customer Agreement box of both acceptance forms: the text of the current version in the
 * page's language, a link to that version's page, and the version posted back (recorded with the
 * acceptance).
 */
function customerAgreementField(locale: Locale): string {
  const t = pageT(locale);
  const { version, templateId } = CUSTOMER_AGREEMENT_TEMPLATE;
  const text = customerAgreementText(version, locale);
  // A constant path with the version URL-encoded (no quote, `<` or `&` can remain in it); escaping
  // would turn its slashes into entities.
  const agreementHref = customerAgreementPath(version);
  const link = `<a href="${agreementHref}" target="_blank" rel="noopener">${escapeHtml(t('agreementLink', { version }))}</a>`;
  const [before, after] = t('agreementAccept', { link: '\u0000' }).split('\u0000');
  return `<section class="agreement" aria-labelledby="agreement-heading">
<h2 id="agreement-heading">${escapeHtml(t('agreementHeading', { version }))}</h2>
<p class="hint">${escapeHtml(t('agreementTemplate', { templateId, version }))}</p>
${(text?.paragraphs ?? []).map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
</section>
<input type="hidden" name="customerAgreementVersion" value="${escapeHtml(version)}">
<div class="check"><input id="acceptCustomerAgreement" name="acceptCustomerAgreement" type="checkbox" value="true">
<label for="acceptCustomerAgreement">${escapeHtml(before)}${link}${escapeHtml(after ?? '')}</label></div>`;
}

/** What the customer's acceptance page shows about a reseller relationship request. */
export interface RelationshipInvitationPageModel {
  token: string;
  partnerName: string;
  partnerMpnId: string;
  /** The indirect provider of a joint request (seed 000), else null. */
  providerName: string | null;
  delegatedAdmin: boolean;
  inviterName: string;
  expiresAt: Date;
  /** The address the invitation was sent to (the account a sign-up from the page creates). */
  email?: string;
  /** The page's language, default English for an English invitation. */
  language?: PageLanguage;
  error?: string;
  /** The error's code (`auth.password_change_required` adds a link to the portal's page). */
  errorCode?: string;
  /** The portal's base URL (`PORTAL_URL`), e.g. `http://localhost:3000/portal`. */
  portalUrl?: string;
}

const ENGLISH: PageLanguage = { locale: 'en', invitationLocale: 'en' };

/**
 * The error paragraph, with the way on for the errors that have one (a temporary password: the
 * portal's password change, `${portalUrl}/change-password`).
 */
function errorBlock(
  locale: Locale,
  error?: string,
  code?: string,
  portalUrl = DEFAULT_PORTAL_URL,
): string {
  if (!error) return '';
  const t = pageT(locale);
  const next =
    code === 'auth.password_change_required'
      ? ` <a href="${escapeHtml(`${portalUrl}/change-password`)}">${escapeHtml(t('changePassword'))}</a>`
      : '';
  return `<p class="error" role="alert">${escapeHtml(error)}${next}</p>`;
}

/**
 * Seed 001 steps 5–6: the customer's Global admin follows the link, reads who asks for what and the
 * Customer Agreement, signs in and authorizes the partner(s) as resellers of record; without an
 * account, creates the organisation's account from the page (the second form). The first form
 * posts to `POST /invitations/reseller-relationship/accept`, the second to `…/sign-up`; both keep
 * the page's language.
 */
export function relationshipInvitationPage(model: RelationshipInvitationPageModel): string {
  const language = model.language ?? ENGLISH;
  const { locale } = language;
  const t = pageT(locale);
  const who = model.providerName
    ? t('invitesJoint', { partner: model.partnerName, provider: model.providerName })
    : t('invites', { partner: model.partnerName });
  const selfPath = (lang: Locale) =>
    `${BASE}?token=${encodeURIComponent(model.token)}&lang=${lang}`;
  return htmlPage(
    t('title'),
    `${pageLanguageSwitch(selfPath, locale)}
<p>${escapeHtml(who + (model.delegatedAdmin ? t('withDelegatedAdmin') : ''))}${locale === 'ja' ? '。' : '.'}</p>
<dl>
<dt>${escapeHtml(t('partner'))}</dt><dd>${escapeHtml(model.partnerName)}</dd>
<dt>${escapeHtml(t('partnerId'))}</dt><dd>${escapeHtml(model.partnerMpnId)}</dd>
${model.providerName ? `<dt>${escapeHtml(t('indirectProvider'))}</dt><dd>${escapeHtml(model.providerName)}</dd>` : ''}
<dt>${escapeHtml(t('delegatedAdmin'))}</dt><dd>${escapeHtml(model.delegatedAdmin ? t('requested') : t('notRequested'))}</dd>
<dt>${escapeHtml(t('invitedBy'))}</dt><dd>${escapeHtml(model.inviterName)}</dd>
<dt>${escapeHtml(t('validUntil'))}</dt><dd>${escapeHtml(model.expiresAt.toISOString())}</dd>
</dl>
${errorBlock(locale, model.error, model.errorCode, model.portalUrl)}
<form method="post" action="${attrUrl(withLang(`${BASE}/accept`, language))}">
<input type="hidden" name="token" value="${escapeHtml(model.token)}">
<p>${escapeHtml(t('signInAsAdmin'))}</p>
${signInFields(locale)}
${customerAgreementField(locale)}
<button type="submit">${escapeHtml(t('acceptButton'))}</button>
</form>
${model.email ? signUpForm(model.token, model.email, language) : ''}`,
    locale,
  );
}

/**
 * The second form of the invitation page: an invited customer without an account creates its
 * organisation, with the invitation's address as its Global admin's sign-in
 * (`POST /invitations/reseller-relationship/sign-up`).
 */
function signUpForm(token: string, email: string, language: PageLanguage): string {
  const t = pageT(language.locale);
  const field = (id: string, label: string, attrs: string, hint?: string) =>
    `<label for="${id}">${escapeHtml(label)}${hint ? ` <span class="hint">${escapeHtml(hint)}</span>` : ''}</label><input id="${id}" name="${id}" ${attrs} required>`;
  return `<section aria-labelledby="signup-heading">
<h2 id="signup-heading">${escapeHtml(t('noAccountHeading'))}</h2>
<p>${escapeHtml(t('noAccountIntro', { email }))}</p>
<form method="post" action="${attrUrl(withLang(`${BASE}/sign-up`, language))}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
${field('companyName', t('companyName'), 'type="text" autocomplete="organization" maxlength="200"')}
${field('domainPrefix', t('domainPrefix'), 'type="text" maxlength="27"', t('domainPrefixHint'))}
${field('firstName', t('firstName'), 'type="text" autocomplete="given-name" maxlength="100"')}
${field('lastName', t('lastName'), 'type="text" autocomplete="family-name" maxlength="100"')}
${field('addressLine1', t('addressLine1'), 'type="text" autocomplete="address-line1" maxlength="200"')}
${field('city', t('city'), 'type="text" autocomplete="address-level2" maxlength="100"')}
${field('postalCode', t('postalCode'), 'type="text" autocomplete="postal-code" maxlength="20"')}
${field('country', t('country'), 'type="text" autocomplete="country" maxlength="2"')}
${field('newPassword', t('newPassword'), 'type="password" autocomplete="new-password"')}
<button type="submit">${escapeHtml(t('signUpButton'))}</button>
</form>
</section>`;
}

/** The page after a sign-up from the invitation: what was made, and the way back. */
export function signedUpPage(
  model: { token: string; company: string; domain: string; email: string },
  language: PageLanguage,
): string {
  const t = pageT(language.locale);
  const back = `${BASE}?token=${encodeURIComponent(model.token)}&lang=${language.locale}`;
  return htmlPage(
    t('signedUpTitle'),
    `<p>${escapeHtml(t('signedUp', { company: model.company, domain: model.domain, email: model.email }))}</p>
<p><a href="${attrUrl(back)}">${escapeHtml(t('backToInvitation'))}</a></p>`,
    language.locale,
  );
}

/** What the acceptance page of a partner's reusable link shows. */
export interface PartnerLinkPageModel {
  /** The link's token (`<partnerId>.<0|1>.<link>`, `PartnerRelationshipLinks.tokenOfQuery`). */
  token: string;
  partnerName: string;
  partnerMpnId: string;
  delegatedAdmin: boolean;
  /** The page's language (default English). */
  locale?: Locale;
  error?: string;
  errorCode?: string;
  portalUrl?: string;
}

/**
 * The reusable link itself in language `lang` (`?invType=ResellerRelationship&partnerId=…&DAP=…
 * &link=…&lang=…`), rebuilt from its token (`<partnerId>.<0|1>.<link>`: a partner ID, a flag and a
 * base64url code, nothing to encode).
 */
function partnerLinkPath(token: string, lang: Locale): string {
  const [partnerId, flag, link] = token.split('.');
  const query = new URLSearchParams({
    invType: 'ResellerRelationship',
    partnerId,
    DAP: flag === '1' ? 'true' : 'false',
    link,
    lang,
  });
  return `${BASE}?${query.toString()}`;
}

/**
 * A partner's reusable reseller relationship link (Partner Center's RelationshipRequest URL): any
 * customer's Global admin signs in, accepts the Customer Agreement if not yet accepted, and
 * authorizes the partner as reseller of record. In `model.locale` (the link's `lang`, else the
 * browser's `Accept-Language`, else English: the link names no recipient), with a switch to the
 * other language; the form posts to `POST /invitations/reseller-relationship/partner-link/accept`
 * with `?lang=` unless English.
 */
export function partnerLinkPage(model: PartnerLinkPageModel): string {
  const locale = model.locale ?? 'en';
  const t = pageT(locale);
  const who =
    t('invites', { partner: model.partnerName }) +
    (model.delegatedAdmin ? t('withDelegatedAdmin') : '');
  const action = withLang(`${BASE}/partner-link/accept`, { locale, invitationLocale: 'en' });
  return htmlPage(
    t('title'),
    `${pageLanguageSwitch((lang) => partnerLinkPath(model.token, lang), locale)}
<p>${escapeHtml(who)}${locale === 'ja' ? '。' : '.'}</p>
<dl>
<dt>${escapeHtml(t('partner'))}</dt><dd>${escapeHtml(model.partnerName)}</dd>
<dt>${escapeHtml(t('partnerId'))}</dt><dd>${escapeHtml(model.partnerMpnId)}</dd>
<dt>${escapeHtml(t('delegatedAdmin'))}</dt><dd>${escapeHtml(model.delegatedAdmin ? t('requested') : t('notRequested'))}</dd>
</dl>
${errorBlock(locale, model.error, model.errorCode, model.portalUrl)}
<form method="post" action="${attrUrl(action)}">
<input type="hidden" name="token" value="${escapeHtml(model.token)}">
<p>${escapeHtml(t('signInAsAdmin'))}</p>
${signInFields(locale)}
${customerAgreementField(locale)}
<button type="submit">${escapeHtml(t('acceptButton'))}</button>
</form>`,
    locale,
  );
}

/**
 * The page shown after a successful acceptance, in `locale`, with the way to the portal (its
 * partners page, where the customer admin reviews partners and their privileges).
 */
export function relationshipAcceptedPage(
  partnerNames: string[],
  locale: Locale = 'en',
  portalUrl = DEFAULT_PORTAL_URL,
): string {
  const t = pageT(locale);
  const partners = partnerNames.join(t('and'));
  return htmlPage(
    t('acceptedTitle'),
    `<p>${escapeHtml(t(partnerNames.length > 1 ? 'acceptedMany' : 'acceptedOne', { partners }))}</p>
<p><a href="${escapeHtml(`${portalUrl}/customer/partners`)}">${escapeHtml(t('openPortal'))}</a></p>`,
    locale,
  );
}
