import { escapeHtml, postButton, renderPage } from '../enrollment-verification/verification-page';

/** What the page of a sign-in address verification link says (issue 9 points 7, 14). */
export const EMAIL_VERIFICATION_PAGE_TEXT = {
  confirm: {
    title: 'Verify your email address',
    message:
      'Select the button to confirm that this email address is yours. You can sign in once it is verified.',
  },
  verified: {
    title: 'Email address verified',
    message: 'Thank you: your email address is verified. You can now sign in.',
  },
  'link.not_found': {
    title: 'Link not recognised',
    message: 'This link is not valid. Check that you opened the complete link from the email.',
  },
  'link.used': {
    title: 'Link already used',
    message: 'This link has already been used: your email address is verified. You can sign in.',
  },
  'link.expired': {
    title: 'Link expired',
    message:
      'This link has expired, or a newer link replaced it. To get a new one, ask for a password reset with "Forgot password" on the sign-in page: its link verifies your address too.',
  },
  'request.invalid': {
    title: 'Link incomplete',
    message: 'This link is incomplete. Open the complete link from the email.',
  },
} as const;
export type EmailVerificationOutcome = keyof typeof EMAIL_VERIFICATION_PAGE_TEXT;

/**
 * The page: its outcome's text, the organization and address (escaped), and on `confirm` a button
 * that POSTs the token to `email-verification` (the same path as the page).
 */
export function renderEmailVerificationPage(
  outcome: EmailVerificationOutcome,
  details: { organizationName?: string; email?: string; token?: string } = {},
): string {
  const { title, message } = EMAIL_VERIFICATION_PAGE_TEXT[outcome];
  const who =
    details.organizationName && details.email
      ? `<p><strong>${escapeHtml(details.email)}</strong> (${escapeHtml(details.organizationName)})</p>`
      : '';
  const button =
    outcome === 'confirm' && details.token
      ? postButton('email-verification', { token: details.token }, 'Verify my email address')
      : '';
  return renderPage(title, `${who}<p>${escapeHtml(message)}</p>${button}`);
}
