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
      'This verification link has expired. Contact the platform operator to receive a new one.',
  },
  'request.invalid': {
    title: 'Link incomplete',
    message: 'This verification link is incomplete. Open the complete link from the email.',
  },
} as const;
export type VerificationOutcome = keyof typeof VERIFICATION_PAGE_TEXT;

/**
 * The verification page's inline stylesheet. The Content-Security-Policy allows exactly this text
 * by its hash (`pageStyles` of `startHttpService`), so it must stay a constant.
 */
export const VERIFICATION_PAGE_STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}h1{font-size:1.5rem}`;

/** A small self-contained HTML page; every dynamic value is escaped. */
export function renderVerificationPage(outcome: VerificationOutcome, legalName?: string): string {
  const { title, message } = VERIFICATION_PAGE_TEXT[outcome];
  const org = legalName ? `<p><strong>${escapeHtml(legalName)}</strong></p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${VERIFICATION_PAGE_STYLE}</style>
</head><body><h1>${escapeHtml(title)}</h1>${org}<p>${escapeHtml(message)}</p></body></html>
`;
}
