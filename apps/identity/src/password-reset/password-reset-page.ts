import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../users/password-policy';
import { escapeHtml, renderPage } from '../enrollment-verification/verification-page';

/** What the password reset page says (issue 9 point 8). */
export const PASSWORD_RESET_PAGE_TEXT = {
  form: {
    title: 'Choose a new password',
    message: `Choose a new password of at least ${MIN_PASSWORD_LENGTH} characters, mixing at least two of lower case, upper case, digits and symbols, not a common password and without your email address. Saving it signs you out everywhere.`,
  },
  done: {
    title: 'Password changed',
    message:
      'Your password is changed and your email address is verified. You were signed out everywhere: sign in with the new password.',
  },
  'link.not_found': {
    title: 'Link not recognised',
    message: 'This link is not valid. Check that you opened the complete link from the email.',
  },
  'link.used': {
    title: 'Link already used',
    message: 'This link has already been used. If you need to, ask for a new password reset.',
  },
  'link.expired': {
    title: 'Link expired',
    message:
      'This link has expired, or a newer link replaced it. Ask for a new password reset: only the newest link works.',
  },
  'service.busy': {
    title: 'Try again in a moment',
    message:
      'We are handling many requests right now: go back and save the password again shortly.',
  },
  'request.invalid': {
    title: 'Link incomplete',
    message: 'This link is incomplete. Open the complete link from the email.',
  },
} as const;
export type PasswordResetOutcome = keyof typeof PASSWORD_RESET_PAGE_TEXT;

/**
 * The page: its outcome's text, and on `form` the account (escaped) and the new password form,
 * which POSTs to `password-reset` (the same path as the page); `error` says why the last try was
 * refused.
 */
export function renderPasswordResetPage(
  outcome: PasswordResetOutcome,
  details: { token?: string; email?: string; organizationName?: string; error?: string } = {},
): string {
  const { title, message } = PASSWORD_RESET_PAGE_TEXT[outcome];
  const who = details.email
    ? `<p><strong>${escapeHtml(details.email)}</strong>${details.organizationName ? ` (${escapeHtml(details.organizationName)})` : ''}</p>`
    : '';
  const error = details.error ? `<p role="alert">${escapeHtml(details.error)}</p>` : '';
  const form =
    outcome === 'form' && details.token
      ? `<form method="post" action="password-reset"><input type="hidden" name="token" value="${escapeHtml(details.token)}">` +
        `<label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}">` +
        `<label for="passwordConfirmation">New password again</label><input id="passwordConfirmation" name="passwordConfirmation" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}">` +
        `<p><button type="submit">Save the new password</button></p></form>`
      : '';
  return renderPage(title, `${who}${error}<p>${escapeHtml(message)}</p>${form}`);
}
