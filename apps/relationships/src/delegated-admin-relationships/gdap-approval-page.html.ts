import { SIGN_IN_FIELDS, escapeHtml, htmlPage } from '../invitation-pages/invitation-page.html';
import type { ApprovalPreview } from './delegated-admin-relationships.service';

/**
 * The page of the approval link (issue 10): who asks, for how long, each role in plain words; the
 * customer's Global admin signs in and approves or rejects. Plain HTML form, no scripts, every
 * value escaped; the form posts the single-use token to
 * `POST /invitations/delegated-admin-relationship/decision`.
 */
export function gdapApprovalPage(token: string, model: ApprovalPreview, error?: string): string {
  const roles = model.roles
    .map((r) => `<li><strong>${escapeHtml(r.name)}</strong>: ${escapeHtml(r.description)}</li>`)
    .join('\n');
  return htmlPage(
    'Approve a delegated admin relationship',
    `<p><strong>${escapeHtml(model.partnerName)}</strong> asks for administrator access to your organisation, limited to the roles below and to the time given. Nobody of ${escapeHtml(model.partnerName)} gets an account in your organisation; you can end the access at any time.</p>
<dl>
<dt>Partner</dt><dd>${escapeHtml(model.partnerName)}</dd>
<dt>Relationship</dt><dd>${escapeHtml(model.displayName)}</dd>
<dt>Customer</dt><dd>${escapeHtml(model.customerName)}</dd>
<dt>Duration</dt><dd>${escapeHtml(model.duration)} (ISO 8601), from your approval</dd>
<dt>Request valid until</dt><dd>${escapeHtml(model.expiresAt)}</dd>
</dl>
<p>Roles requested:</p>
<ul>
${roles}
</ul>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/invitations/delegated-admin-relationship/decision">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p>Sign in as a Global admin of your organisation.</p>
${SIGN_IN_FIELDS}
<p><button type="submit" name="decision" value="approve">Approve all</button>
<button type="submit" name="decision" value="reject">Reject</button></p>
</form>`,
  );
}

/** The page after the decision. */
export function gdapDecidedPage(model: ApprovalPreview, action: 'approve' | 'reject'): string {
  return htmlPage(
    action === 'approve' ? 'Relationship approved' : 'Relationship rejected',
    action === 'approve'
      ? `<p><strong>${escapeHtml(model.partnerName)}</strong> now has the roles of the relationship ${escapeHtml(model.displayName)} in your organisation for ${escapeHtml(model.duration)}. You can terminate it at any time.</p>`
      : `<p>You rejected the relationship ${escapeHtml(model.displayName)} of <strong>${escapeHtml(model.partnerName)}</strong>: it gives no access.</p>`,
  );
}
