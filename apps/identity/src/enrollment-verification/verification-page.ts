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
}

/**
 * The verification page's inline stylesheet. The Content-Security-Policy allows exactly this text
 * by its hash (`pageStyles` of `startHttpService`), so it must stay a constant.
 */
export const VERIFICATION_PAGE_STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}h1{font-size:1.5rem}button{font:inherit;padding:.5rem 1rem}`;

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
    ? `<form method="post" action="verify/resend"><input type="hidden" name="token" value="${escapeHtml(details.resendToken)}"><button type="submit">Send me a new link</button></form>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${VERIFICATION_PAGE_STYLE}</style>
</head><body><h1>${escapeHtml(title)}</h1>${org}<p>${escapeHtml(message)}</p>${email}${resend}</body></html>
`;
}
