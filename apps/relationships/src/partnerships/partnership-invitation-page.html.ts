import { Locale } from '@app/contracts';
import { languageSwitch, withLangParam } from '@app/platform';
import { pageT } from '../invitation-pages/invitation-page-i18n';
import { escapeHtml, htmlPage, signInFields } from '../invitation-pages/invitation-page.html';
import { partnershipT } from './partnership-invitation-page-i18n';

const BASE = '/invitations/partnership';

/** What the acceptance page shows about the invitation. */
export interface InvitationPageModel {
  token: string;
  providerName: string;
  providerMpnId: string;
  providerCountry: string;
  inviterName: string;
  expiresAt: Date;
  /** The page's language (default English). */
  locale?: Locale;
  /** Why the last submission was refused, already in the page's language. */
  error?: string;
}

/** A form action: with `?lang=` unless English (a form posted without `lang` answers in English). */
function action(path: string, locale: Locale): string {
  return locale === 'en' ? path : withLangParam(path, locale);
}

/**
 * Seed 004 steps 2–3: follow the link, sign in, "check the box and then select Authorize indirect
 * provider". The form posts to `POST /invitations/partnership/accept` (with the page's `lang`); a
 * switch links to the page in the other language.
 */
export function partnershipInvitationPage(model: InvitationPageModel): string {
  const locale = model.locale ?? 'en';
  const t = partnershipT(locale);
  const provider = model.providerName;
  const self = (l: Locale) => `${BASE}?token=${encodeURIComponent(model.token)}&lang=${l}`;
  return htmlPage(
    t('title'),
    `${languageSwitch(self, locale, pageT(locale)('language'))}
<p>${escapeHtml(t('invites', { provider }))}</p>
<dl>
<dt>${escapeHtml(t('indirectProvider'))}</dt><dd>${escapeHtml(provider)}</dd>
<dt>${escapeHtml(t('partnerId'))}</dt><dd>${escapeHtml(model.providerMpnId)}</dd>
<dt>${escapeHtml(t('country'))}</dt><dd>${escapeHtml(model.providerCountry)}</dd>
<dt>${escapeHtml(t('invitedBy'))}</dt><dd>${escapeHtml(model.inviterName)}</dd>
<dt>${escapeHtml(t('validUntil'))}</dt><dd>${escapeHtml(model.expiresAt.toISOString())}</dd>
</dl>
${model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>` : ''}
<form method="post" action="${action(`${BASE}/accept`, locale)}">
<input type="hidden" name="token" value="${escapeHtml(model.token)}">
<p>${escapeHtml(t('signIn'))}</p>
${signInFields(locale)}
<div class="check"><input id="authorize" name="authorize" type="checkbox" value="true" required>
<label for="authorize">${escapeHtml(t('authorize', { provider }))}</label></div>
<button type="submit">${escapeHtml(t('authorizeButton'))}</button>
</form>`,
    locale,
  );
}

/** The page shown after a successful authorization, in `locale`. */
export function partnershipAcceptedPage(
  providerName: string,
  providerMpnId: string,
  locale: Locale = 'en',
): string {
  const t = partnershipT(locale);
  return htmlPage(
    t('acceptedTitle'),
    `<p>${escapeHtml(t('accepted', { provider: providerName, mpnId: providerMpnId }))}</p>`,
    locale,
  );
}
