import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../users/password-policy';
import { Locale } from '@app/contracts';
import { PageWords, createPageI18n, flattenWords } from '@app/platform';
import {
  ENGLISH_PAGE,
  LinkPageLanguage,
  escapeHtml,
  pageAction,
  renderPage,
} from '../enrollment-verification/verification-page';

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

/** `PASSWORD_RESET_PAGE_TEXT` in Japanese. */
const PASSWORD_RESET_PAGE_TEXT_JA: Record<
  PasswordResetOutcome,
  { title: string; message: string }
> = {
  form: {
    title: '新しいパスワードの設定',
    message: `${MIN_PASSWORD_LENGTH} 文字以上の新しいパスワードを設定してください。小文字、大文字、数字、記号のうち 2 種類以上を組み合わせ、よく使われるパスワードやメール アドレスを含むものは避けてください。保存すると、すべての場所からサインアウトされます。`,
  },
  done: {
    title: 'パスワードを変更しました',
    message:
      'パスワードを変更し、メール アドレスを確認しました。すべての場所からサインアウトされました。新しいパスワードでサインインしてください。',
  },
  'link.not_found': {
    title: 'リンクを認識できません',
    message: 'このリンクは無効です。メールのリンク全体を開いたかどうかを確認してください。',
  },
  'link.used': {
    title: 'リンクは使用済みです',
    message:
      'このリンクはすでに使用されています。必要であれば、パスワードのリセットをもう一度依頼してください。',
  },
  'link.expired': {
    title: 'リンクの有効期限が切れています',
    message:
      'このリンクは有効期限が切れているか、新しいリンクに置き換えられました。パスワードのリセットをもう一度依頼してください。有効なのは最新のリンクだけです。',
  },
  'service.busy': {
    title: 'しばらくしてから再試行してください',
    message:
      '現在、多くの要求を処理しています。前のページに戻り、少し待ってからもう一度パスワードを保存してください。',
  },
  'request.invalid': {
    title: 'リンクが不完全です',
    message: 'このリンクは不完全です。メールのリンク全体を開いてください。',
  },
};

/** The words of the form and of its refusals. */
const FORM_EN = {
  newPassword: 'New password',
  newPasswordAgain: 'New password again',
  save: 'Save the new password',
  passwordsDiffer: 'The two passwords differ: type the same new password twice.',
  weakPassword:
    'The password is too weak: choose a longer password that is harder to guess, as described above.',
};
const FORM_JA: typeof FORM_EN = {
  newPassword: '新しいパスワード',
  newPasswordAgain: '新しいパスワード (確認)',
  save: '新しいパスワードを保存する',
  passwordsDiffer: '2 つのパスワードが一致しません。同じ新しいパスワードを 2 回入力してください。',
  weakPassword:
    'パスワードが弱すぎます。上の説明に従って、より長く、推測されにくいパスワードを選んでください。',
};

/** The page's words as i18next namespaces, by locale (checked complete by its unit test). */
export const PASSWORD_RESET_PAGE_WORDS: Record<Locale, PageWords> = {
  en: { outcomes: flattenWords(PASSWORD_RESET_PAGE_TEXT), form: FORM_EN },
  ja: { outcomes: flattenWords(PASSWORD_RESET_PAGE_TEXT_JA), form: FORM_JA },
};

const i18n = createPageI18n(PASSWORD_RESET_PAGE_WORDS, 'outcomes');

/** A word of the form (labels, button, refusals) in `locale`. */
export function passwordResetFormText(locale: Locale, key: keyof typeof FORM_EN): string {
  return i18n.t(locale, 'form')(key);
}

/**
 * The page in `language`: its outcome's text, and on `form` the account (escaped) and the new
 * password form, which POSTs to `password-reset` (the same path as the page, with the page's
 * `lang`); `error` (in the page's language) says why the last try was refused.
 */
export function renderPasswordResetPage(
  outcome: PasswordResetOutcome,
  details: { token?: string; email?: string; organizationName?: string; error?: string } = {},
  language: LinkPageLanguage = ENGLISH_PAGE,
): string {
  const { locale } = language;
  const t = i18n.t(locale);
  const f = (key: keyof typeof FORM_EN) => passwordResetFormText(locale, key);
  const who = details.email
    ? `<p><strong>${escapeHtml(details.email)}</strong>${details.organizationName ? ` (${escapeHtml(details.organizationName)})` : ''}</p>`
    : '';
  const error = details.error ? `<p role="alert">${escapeHtml(details.error)}</p>` : '';
  const form =
    outcome === 'form' && details.token
      ? `<form method="post" action="${pageAction('password-reset', locale)}"><input type="hidden" name="token" value="${escapeHtml(details.token)}">` +
        `<label for="password">${escapeHtml(f('newPassword'))}</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}">` +
        `<label for="passwordConfirmation">${escapeHtml(f('newPasswordAgain'))}</label><input id="passwordConfirmation" name="passwordConfirmation" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}">` +
        `<p><button type="submit">${escapeHtml(f('save'))}</button></p></form>`
      : '';
  return renderPage(
    t(`${outcome}.title`),
    `${who}${error}<p>${escapeHtml(t(`${outcome}.message`))}</p>${form}`,
    language,
  );
}
