import { Locale } from '@app/contracts';
import { PageWords, createPageI18n, flattenWords } from '@app/platform';
import {
  ENGLISH_PAGE,
  LinkPageLanguage,
  escapeHtml,
  linkPageUi,
  pageAction,
  postButton,
  renderPage,
} from '../enrollment-verification/verification-page';

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

/** `EMAIL_VERIFICATION_PAGE_TEXT` in Japanese. */
const EMAIL_VERIFICATION_PAGE_TEXT_JA: Record<
  EmailVerificationOutcome,
  { title: string; message: string }
> = {
  confirm: {
    title: 'メール アドレスの確認',
    message:
      'ボタンを選択して、このメール アドレスがあなたのものであることを確認してください。確認が済むとサインインできます。',
  },
  verified: {
    title: 'メール アドレスを確認しました',
    message: 'ありがとうございます。メール アドレスを確認しました。サインインできます。',
  },
  'link.not_found': {
    title: 'リンクを認識できません',
    message: 'このリンクは無効です。メールのリンク全体を開いたかどうかを確認してください。',
  },
  'link.used': {
    title: 'リンクは使用済みです',
    message:
      'このリンクはすでに使用されています。メール アドレスは確認済みです。サインインできます。',
  },
  'link.expired': {
    title: 'リンクの有効期限が切れています',
    message:
      'このリンクは有効期限が切れているか、新しいリンクに置き換えられました。新しいリンクを受け取るには、サインイン ページの [パスワードを忘れた場合] からパスワードのリセットを依頼してください。そのリンクでもアドレスが確認されます。',
  },
  'request.invalid': {
    title: 'リンクが不完全です',
    message: 'このリンクは不完全です。メールのリンク全体を開いてください。',
  },
};

/** The page's words as i18next namespaces, by locale (checked complete by its unit test). */
export const EMAIL_VERIFICATION_PAGE_WORDS: Record<Locale, PageWords> = {
  en: { outcomes: flattenWords(EMAIL_VERIFICATION_PAGE_TEXT) },
  ja: { outcomes: flattenWords(EMAIL_VERIFICATION_PAGE_TEXT_JA) },
};

const i18n = createPageI18n(EMAIL_VERIFICATION_PAGE_WORDS, 'outcomes');

/**
 * The page in `language`: its outcome's text, the organization and address (escaped), and on
 * `confirm` a button that POSTs the token to `email-verification` (the same path as the page,
 * with the page's `lang`).
 */
export function renderEmailVerificationPage(
  outcome: EmailVerificationOutcome,
  details: { organizationName?: string; email?: string; token?: string } = {},
  language: LinkPageLanguage = ENGLISH_PAGE,
): string {
  const t = i18n.t(language.locale);
  const who =
    details.organizationName && details.email
      ? `<p><strong>${escapeHtml(details.email)}</strong> (${escapeHtml(details.organizationName)})</p>`
      : '';
  const button =
    outcome === 'confirm' && details.token
      ? postButton(
          pageAction('email-verification', language.locale),
          { token: details.token },
          linkPageUi(language.locale)('verifyButton'),
        )
      : '';
  return renderPage(
    t(`${outcome}.title`),
    `${who}<p>${escapeHtml(t(`${outcome}.message`))}</p>${button}`,
    language,
  );
}
