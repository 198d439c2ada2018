/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** What the verification link page says for each outcome (seed 004 step 8). */
export const VERIFICATION_PAGE_TEXT = {
  in_review: {
    title: 'Email address verified',
    message:
      'Thank you: the primary contact email address is verified. We are now reviewing the information you provided, which can take several days. We will email the primary contact when the review is complete.',
  },
  active: {
    title: 'Email address verified',
    message:
      'Thank you: the primary contact email address is verified and your partner account is now active. You can sign in with the Global admin account you created at enrollment.',
  },
  primary_contact: {
    title: 'Email address verified',
    message:
      'Thank you: this email address is verified and is now the primary contact of the partner account. Enrollment status updates and other notices about the account will come to it.',
  },
  'enrollment.token_not_found': {
    title: 'Link not recognised',
    message:
      'This verification link is not valid. Check that you opened the complete link from the email.',
  },
  'enrollment.token_used': {
    title: 'Link already used',
    message:
      'This verification link has already been used: the email address is verified. We will email the primary contact about the status of the enrollment.',
  },
  'enrollment.token_expired': {
    title: 'Link expired',
    message:
      'This verification link has expired, or a newer link replaced it. Only the newest link works. We can send a new link to the address this one was sent to.',
  },
  'enrollment.invalid_state': {
    title: 'Nothing left to verify',
    message:
      'This enrollment no longer waits for a verification of its primary contact. We email the primary contact about the status of the enrollment.',
  },
  resent: {
    title: 'Check your inbox',
    message:
      'If this verification is still pending, a new link is on its way to the address the earlier link was sent to. Only the newest link works.',
  },
  'request.invalid': {
    title: 'Link incomplete',
    message: 'This verification link is incomplete. Open the complete link from the email.',
  },
  confirm: {
    title: 'Verify your email address',
    message:
      'Select the button to confirm that you are the primary contact of this partner and that this email address belongs to your organization.',
  },
} as const;
export type VerificationOutcome = keyof typeof VERIFICATION_PAGE_TEXT;

/** What a page shows beside its outcome's text. */
export interface VerificationPageDetails {
  /** The partner's legal name. */
  legalName?: string;
  /** The verified address (shown on the `primary_contact` page). */
  email?: string;
  /** The expired token: the page offers a button that asks for a new link. */
  resendToken?: string;
  /**
   * The link's token on the `confirm` page: its button posts it to `verify/confirm` (issue 9 point
   * 14: opening the link changes nothing, so a mail scanner's prefetch cannot spend it).
   */
  confirmToken?: string;
}

/**
 * The verification page's inline stylesheet. The Content-Security-Policy allows exactly this text
 * by its hash (`pageStyles` of `startHttpService`), so it must stay a constant.
 */
export const VERIFICATION_PAGE_STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}h1{font-size:1.5rem}button{font:inherit;padding:.5rem 1rem}label{display:block;margin:1rem 0 .25rem}input{font:inherit;padding:.4rem}`;

/** A small self-contained HTML page; every dynamic value is escaped. */
export function renderVerificationPage(
  outcome: VerificationOutcome,
  details: VerificationPageDetails = {},
): string {
  const { title, message } = VERIFICATION_PAGE_TEXT[outcome];
  const org = details.legalName ? `<p><strong>${escapeHtml(details.legalName)}</strong></p>` : '';
  const email =
    outcome === 'primary_contact' && details.email
      ? `<p>Primary contact: <strong>${escapeHtml(details.email)}</strong></p>`
      : '';
  const resend = details.resendToken
    ? postButton('verify/resend', { token: details.resendToken }, 'Send me a new link')
    : '';
  const confirm = details.confirmToken
    ? postButton('verify/confirm', { token: details.confirmToken }, 'Verify my email address')
    : '';
  return renderPage(title, `${org}<p>${escapeHtml(message)}</p>${email}${confirm}${resend}`);
}

/**
 * A form of hidden fields and one button that POSTs them to `action` (relative to the page), every
 * value escaped.
 */
export function postButton(action: string, fields: Record<string, string>, label: string): string {
  const inputs = Object.entries(fields)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('');
  return `<form method="post" action="${escapeHtml(action)}">${inputs}<button type="submit">${escapeHtml(label)}</button></form>`;
}

/**
 * The page shell of every HTML page identity serves (verification links, password reset): a
 * title (escaped here) and `bodyHtml`, which the caller built from escaped values only; the one
 * constant stylesheet the CSP allows, no script.
 */
export function renderPage(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${VERIFICATION_PAGE_STYLE}</style>
</head><body><h1>${escapeHtml(title)}</h1>${bodyHtml}</body></html>
`;
}
