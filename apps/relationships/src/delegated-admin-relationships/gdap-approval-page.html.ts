import { Locale } from '@app/contracts';
import { languageSwitch, withLangParam } from '@app/platform';
import { pageT } from '../invitation-pages/invitation-page-i18n';
import { escapeHtml, htmlPage, signInFields } from '../invitation-pages/invitation-page.html';
import type { ApprovalPreview } from './delegated-admin-relationships.service';
import { gdapApprovalT } from './gdap-approval-page-i18n';

const BASE = '/invitations/delegated-admin-relationship';

/**
 * The page of the approval link (issue 10), in `locale` (the roles of `model` in the same
 * language): who asks, for how long, each role in plain words; the customer's Global admin signs
 * in and approves or rejects. Plain HTML form, no scripts, every value escaped; a switch links to
 * the page in the other language; the form posts the single-use token to
 * `POST /invitations/delegated-admin-relationship/decision` (with the page's `lang`). `error` is
 * already in the page's language.
 */
export function gdapApprovalPage(
  token: string,
  model: ApprovalPreview,
  error?: string,
  locale: Locale = 'en',
): string {
  const t = gdapApprovalT(locale);
  const roles = model.roles
    .map((r) => `<li><strong>${escapeHtml(r.name)}</strong>: ${escapeHtml(r.description)}</li>`)
    .join('\n');
  const self = (l: Locale) => `${BASE}?token=${encodeURIComponent(token)}&lang=${l}`;
  const action = locale === 'en' ? `${BASE}/decision` : withLangParam(`${BASE}/decision`, locale);
  return htmlPage(
    t('title'),
    `${languageSwitch(self, locale, pageT(locale)('language'))}
<p>${escapeHtml(t('asks', { partner: model.partnerName }))}</p>
<dl>
<dt>${escapeHtml(t('partner'))}</dt><dd>${escapeHtml(model.partnerName)}</dd>
<dt>${escapeHtml(t('relationship'))}</dt><dd>${escapeHtml(model.displayName)}</dd>
<dt>${escapeHtml(t('customer'))}</dt><dd>${escapeHtml(model.customerName)}</dd>
<dt>${escapeHtml(t('duration'))}</dt><dd>${escapeHtml(t('durationValue', { duration: model.duration }))}</dd>
<dt>${escapeHtml(t('validUntil'))}</dt><dd>${escapeHtml(model.expiresAt)}</dd>
</dl>
<p>${escapeHtml(t('roles'))}</p>
<ul>
${roles}
</ul>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${action}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p>${escapeHtml(t('signIn'))}</p>
${signInFields(locale)}
<p><button type="submit" name="decision" value="approve">${escapeHtml(t('approve'))}</button>
<button type="submit" name="decision" value="reject">${escapeHtml(t('reject'))}</button></p>
</form>`,
    locale,
  );
}

/** The page after the decision, in `locale`. */
export function gdapDecidedPage(
  model: ApprovalPreview,
  action: 'approve' | 'reject',
  locale: Locale = 'en',
): string {
  const t = gdapApprovalT(locale);
  const words = {
    partner: model.partnerName,
    relationship: model.displayName,
    duration: model.duration,
  };
  return htmlPage(
    t(action === 'approve' ? 'approvedTitle' : 'rejectedTitle'),
    `<p>${escapeHtml(t(action === 'approve' ? 'approved' : 'rejected', words))}</p>`,
    locale,
  );
}
