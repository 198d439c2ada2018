import { SIGN_IN_FIELDS, escapeHtml, htmlPage } from '../invitation-pages/invitation-page.html';

/** What the acceptance page shows about the invitation. */
export interface InvitationPageModel {
  token: string;
  providerName: string;
  providerMpnId: string;
  providerCountry: string;
  inviterName: string;
  expiresAt: Date;
  error?: string;
}

/**
 * Seed 004 steps 2–3: follow the link, sign in, "check the box and then select Authorize indirect
 * provider". The form posts to `POST /invitations/partnership/accept`.
 */
export function partnershipInvitationPage(model: InvitationPageModel): string {
  return htmlPage(
    'Authorize an indirect provider',
    `<p><strong>${escapeHtml(model.providerName)}</strong> invites your organisation to a partnership as its indirect reseller.</p>
<dl>
<dt>Indirect provider</dt><dd>${escapeHtml(model.providerName)}</dd>
<dt>Partner ID (MPN ID)</dt><dd>${escapeHtml(model.providerMpnId)}</dd>
<dt>Country</dt><dd>${escapeHtml(model.providerCountry)}</dd>
<dt>Invited by</dt><dd>${escapeHtml(model.inviterName)}</dd>
<dt>Valid until</dt><dd>${escapeHtml(model.expiresAt.toISOString())}</dd>
</dl>
${model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>` : ''}
<form method="post" action="/invitations/partnership/accept">
<input type="hidden" name="token" value="${escapeHtml(model.token)}">
<p>Sign in as a Global admin or Admin agent of your indirect reseller organisation.</p>
${SIGN_IN_FIELDS}
<div class="check"><input id="authorize" name="authorize" type="checkbox" value="true" required>
<label for="authorize">I authorize ${escapeHtml(model.providerName)} to be our indirect provider: to submit orders and add subscriptions on behalf of our customers, with administrator access to our organisation (which we can remove later).</label></div>
<button type="submit">Authorize indirect provider</button>
</form>`,
  );
}

/** The page shown after a successful authorization. */
export function partnershipAcceptedPage(providerName: string, providerMpnId: string): string {
  return htmlPage(
    'Indirect provider authorized',
    `<p><strong>${escapeHtml(providerName)}</strong> (Partner ID ${escapeHtml(providerMpnId)}) is now your indirect provider. It appears on your Indirect providers list, and your organisation on its Indirect resellers list.</p>`,
  );
}
