import { Locale } from '@app/contracts';
import {
  PageWords,
  createPageI18n,
  flattenWords,
  languageSwitch,
  linkPageLocale,
  withLangParam,
} from '@app/platform';

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

/** The outcomes' words of a link page in a language other than English. */
type OutcomeWords<O extends string> = Record<O, { title: string; message: string }>;

/** `VERIFICATION_PAGE_TEXT` in Japanese. */
const VERIFICATION_PAGE_TEXT_JA: OutcomeWords<VerificationOutcome> = {
  in_review: {
    title: 'メール アドレスを確認しました',
    message:
      'ありがとうございます。主要連絡先のメール アドレスを確認しました。ご提供いただいた情報を審査しています。審査には数日かかることがあります。審査が完了したら主要連絡先にメールでお知らせします。',
  },
  active: {
    title: 'メール アドレスを確認しました',
    message:
      'ありがとうございます。主要連絡先のメール アドレスを確認し、パートナー アカウントが有効になりました。登録時に作成した全体管理者アカウントでサインインできます。',
  },
  primary_contact: {
    title: 'メール アドレスを確認しました',
    message:
      'ありがとうございます。このメール アドレスを確認し、パートナー アカウントの主要連絡先になりました。登録状況の更新やアカウントに関するその他のお知らせは、このアドレスに届きます。',
  },
  'enrollment.token_not_found': {
    title: 'リンクを認識できません',
    message: 'この確認リンクは無効です。メールのリンク全体を開いたかどうかを確認してください。',
  },
  'enrollment.token_used': {
    title: 'リンクは使用済みです',
    message:
      'この確認リンクはすでに使用されています。メール アドレスは確認済みです。登録状況については主要連絡先にメールでお知らせします。',
  },
  'enrollment.token_expired': {
    title: 'リンクの有効期限が切れています',
    message:
      'この確認リンクは有効期限が切れているか、新しいリンクに置き換えられました。有効なのは最新のリンクだけです。このリンクの送信先アドレスに新しいリンクをお送りできます。',
  },
  'enrollment.invalid_state': {
    title: '確認する項目はありません',
    message:
      'この登録は、主要連絡先の確認を待っていません。登録状況については主要連絡先にメールでお知らせします。',
  },
  resent: {
    title: '受信トレイを確認してください',
    message:
      'この確認がまだ保留中であれば、以前のリンクの送信先アドレスに新しいリンクをお送りしています。有効なのは最新のリンクだけです。',
  },
  'request.invalid': {
    title: 'リンクが不完全です',
    message: 'この確認リンクは不完全です。メールのリンク全体を開いてください。',
  },
  confirm: {
    title: 'メール アドレスの確認',
    message:
      'ボタンを選択して、あなたがこのパートナーの主要連絡先であり、このメール アドレスがあなたの組織のものであることを確認してください。',
  },
};

/** The words every identity link page shares beside its outcomes (buttons, language switch). */
const UI_EN = {
  language: 'Language',
  primaryContact: 'Primary contact:',
  sendNewLink: 'Send me a new link',
  verifyButton: 'Verify my email address',
};
const UI_JA: typeof UI_EN = {
  language: '言語',
  primaryContact: '主要連絡先:',
  sendNewLink: '新しいリンクを送信する',
  verifyButton: 'メール アドレスを確認する',
};

/**
 * The words of the enrollment verification page as i18next namespaces (`outcomes`: `<outcome>.title`
 * and `<outcome>.message`; `ui`), by locale (checked complete by its unit test).
 */
export const VERIFICATION_PAGE_WORDS: Record<Locale, PageWords> = {
  en: { outcomes: flattenWords(VERIFICATION_PAGE_TEXT), ui: UI_EN },
  ja: { outcomes: flattenWords(VERIFICATION_PAGE_TEXT_JA), ui: UI_JA },
};

const i18n = createPageI18n(VERIFICATION_PAGE_WORDS, 'outcomes');

/** The words identity's link pages share (`ui` namespace), in `locale`. */
export function linkPageUi(locale: Locale): (key: keyof typeof UI_EN) => string {
  const t = i18n.t(locale, 'ui');
  return (key) => t(key);
}

/**
 * The language of one of identity's link pages and, for a page opened by a link (`GET`), how to
 * open the same page in another language (the page then shows a language switch).
 */
export interface LinkPageLanguage {
  locale: Locale;
  /** The page's own URL in `locale`, relative to the page (e.g. `verify?token=…&lang=ja`). */
  self?: (locale: Locale) => string;
}

/** English, no switch (a page drawn without a language). */
export const ENGLISH_PAGE: LinkPageLanguage = { locale: 'en' };

/** A form action or link relative to the page, carrying `lang` unless English. */
export function pageAction(path: string, locale: Locale): string {
  return locale === 'en' ? path : withLangParam(path, locale);
}

/**
 * The language of a link page: the link's `lang` (the email adds its own language), else the
 * browser's `Accept-Language`, else English; `self` builds the page's URL in another language
 * (for the switch) from `token` and `path`, when the page has one.
 */
export function linkPageLanguage(
  lang: unknown,
  acceptLanguage: string | string[] | undefined,
  self?: { path: string; token: string },
): LinkPageLanguage {
  const locale = linkPageLocale(lang, acceptLanguage);
  if (!self) return { locale };
  return {
    locale,
    self: (l) => `${self.path}?token=${encodeURIComponent(self.token)}&lang=${l}`,
  };
}

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
export const VERIFICATION_PAGE_STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}h1{font-size:1.5rem}button{font:inherit;padding:.5rem 1rem}label{display:block;margin:1rem 0 .25rem}input{font:inherit;padding:.4rem}nav.lang{text-align:right}`;

/**
 * A small self-contained HTML page in `language` (its outcome's words, buttons and a language
 * switch when the page has its own URL); every dynamic value is escaped.
 */
export function renderVerificationPage(
  outcome: VerificationOutcome,
  details: VerificationPageDetails = {},
  language: LinkPageLanguage = ENGLISH_PAGE,
): string {
  const { locale } = language;
  const t = i18n.t(locale);
  const ui = linkPageUi(locale);
  const org = details.legalName ? `<p><strong>${escapeHtml(details.legalName)}</strong></p>` : '';
  const email =
    outcome === 'primary_contact' && details.email
      ? `<p>${escapeHtml(ui('primaryContact'))} <strong>${escapeHtml(details.email)}</strong></p>`
      : '';
  const resend = details.resendToken
    ? postButton(
        pageAction('verify/resend', locale),
        { token: details.resendToken },
        ui('sendNewLink'),
      )
    : '';
  const confirm = details.confirmToken
    ? postButton(
        pageAction('verify/confirm', locale),
        { token: details.confirmToken },
        ui('verifyButton'),
      )
    : '';
  return renderPage(
    t(`${outcome}.title`),
    `${org}<p>${escapeHtml(t(`${outcome}.message`))}</p>${email}${confirm}${resend}`,
    language,
  );
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
 * The page shell of every HTML page identity serves (verification links, password reset), in
 * `language` (with its switch when the page has its own URL): a title (escaped here) and
 * `bodyHtml`, which the caller built from escaped values only; the one constant stylesheet the
 * CSP allows, no script.
 */
export function renderPage(
  title: string,
  bodyHtml: string,
  language: LinkPageLanguage = ENGLISH_PAGE,
): string {
  const switcher = language.self
    ? languageSwitch(language.self, language.locale, linkPageUi(language.locale)('language'))
    : '';
  return `<!doctype html>
<html lang="${language.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${VERIFICATION_PAGE_STYLE}</style>
</head><body>${switcher}<h1>${escapeHtml(title)}</h1>${bodyHtml}</body></html>
`;
}
