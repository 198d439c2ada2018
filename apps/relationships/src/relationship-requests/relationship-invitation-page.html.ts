import {
  CUSTOMER_AGREEMENT_TEMPLATE,
  customerAgreementPath,
} from '../customer-agreements/customer-agreement-template';
import { SIGN_IN_FIELDS, escapeHtml, htmlPage } from '../invitation-pages/invitation-page.html';

/**
 * The Customer Agreement box of both acceptance forms: the version shown, a link to its text, and
 * the version posted back (recorded with the acceptance).
 */
function customerAgreementField(): string {
  const { version } = CUSTOMER_AGREEMENT_TEMPLATE;
  // A constant path with the version URL-encoded (no quote, `<` or `&` can remain in it); escaping
  // would turn its slashes into entities.
  const agreementHref = customerAgreementPath(version);
  return `<input type="hidden" name="customerAgreementVersion" value="${escapeHtml(version)}">
<div class="check"><input id="acceptCustomerAgreement" name="acceptCustomerAgreement" type="checkbox" value="true">
<label for="acceptCustomerAgreement">I accept the <a href="${agreementHref}" target="_blank" rel="noopener">Customer Agreement (version ${escapeHtml(version)})</a> on behalf of my organisation (required if it has not been accepted yet).</label></div>`;
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
  error?: string;
}

/**
 * Seed 001 steps 5–6: the customer's Global admin follows the link, signs in, accepts the Customer
 * Agreement if not yet accepted, and authorizes the partner(s) as resellers of record. The form
 * posts to `POST /invitations/reseller-relationship/accept`.
 */
export function relationshipInvitationPage(model: RelationshipInvitationPageModel): string {
  const who = model.providerName
    ? `<strong>${escapeHtml(model.partnerName)}</strong> and its indirect provider <strong>${escapeHtml(model.providerName)}</strong> invite`
    : `<strong>${escapeHtml(model.partnerName)}</strong> invites`;
  return htmlPage(
    'Accept a reseller relationship',
    `<p>${who} your organisation to establish a reseller relationship${model.delegatedAdmin ? ', with delegated administration privileges for Azure Active Directory and Office 365' : ''}.</p>
<dl>
<dt>Partner</dt><dd>${escapeHtml(model.partnerName)}</dd>
<dt>Partner ID (MPN ID)</dt><dd>${escapeHtml(model.partnerMpnId)}</dd>
${model.providerName ? `<dt>Indirect provider</dt><dd>${escapeHtml(model.providerName)}</dd>` : ''}
<dt>Delegated admin privileges</dt><dd>${model.delegatedAdmin ? 'Requested' : 'Not requested'}</dd>
<dt>Invited by</dt><dd>${escapeHtml(model.inviterName)}</dd>
<dt>Valid until</dt><dd>${escapeHtml(model.expiresAt.toISOString())}</dd>
</dl>
${model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>` : ''}
<form method="post" action="/invitations/reseller-relationship/accept">
<input type="hidden" name="token" value="${escapeHtml(model.token)}">
<p>Sign in as a Global admin of your organisation.</p>
${SIGN_IN_FIELDS}
${customerAgreementField()}
<button type="submit">Accept and authorize</button>
</form>`,
  );
}

/** What the acceptance page of a partner's reusable link shows. */
export interface PartnerLinkPageModel {
  token: string;
  partnerName: string;
  partnerMpnId: string;
  delegatedAdmin: boolean;
  error?: string;
}

/**
 * A partner's reusable reseller relationship link (Partner Center's RelationshipRequest URL): any
 * customer's Global admin signs in, accepts the Customer Agreement if not yet accepted, and
 * authorizes the partner as reseller of record. Posts to
 * `POST /invitations/reseller-relationship/partner-link/accept`.
 */
export function partnerLinkPage(model: PartnerLinkPageModel): string {
  return htmlPage(
    'Accept a reseller relationship',
    `<p><strong>${escapeHtml(model.partnerName)}</strong> invites your organisation to establish a reseller relationship${model.delegatedAdmin ? ', with delegated administration privileges for Azure Active Directory and Office 365' : ''}.</p>
<dl>
<dt>Partner</dt><dd>${escapeHtml(model.partnerName)}</dd>
<dt>Partner ID (MPN ID)</dt><dd>${escapeHtml(model.partnerMpnId)}</dd>
<dt>Delegated admin privileges</dt><dd>${model.delegatedAdmin ? 'Requested' : 'Not requested'}</dd>
</dl>
${model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>` : ''}
<form method="post" action="/invitations/reseller-relationship/partner-link/accept">
<input type="hidden" name="token" value="${escapeHtml(model.token)}">
<p>Sign in as a Global admin of your organisation.</p>
${SIGN_IN_FIELDS}
${customerAgreementField()}
<button type="submit">Accept and authorize</button>
</form>`,
  );
}

/** The page shown after a successful acceptance. */
export function relationshipAcceptedPage(partnerNames: string[]): string {
  return htmlPage(
    'Reseller relationship accepted',
    `<p>${partnerNames.map((n) => `<strong>${escapeHtml(n)}</strong>`).join(' and ')} ${partnerNames.length > 1 ? 'are' : 'is'} now your reseller${partnerNames.length > 1 ? 's' : ''} of record. You can review your partners and their delegated admin privileges at any time.</p>`,
  );
}
