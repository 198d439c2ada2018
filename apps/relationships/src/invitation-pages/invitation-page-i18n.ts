import { Locale } from '@app/contracts';
import { PageWords, createPageI18n } from '@app/platform';
import type { TFunction } from 'i18next';

/**
 * The words of the customer's reseller relationship invitation page (`/invitations/reseller-relationship`)
 * in every page locale, through i18next (one isolated instance, synchronous, English fallback).
 * Interpolated values are not escaped here: the page escapes every translated string as a whole.
 */
const EN = {
  title: 'Accept a reseller relationship',
  acceptedTitle: 'Reseller relationship accepted',
  errorTitle: 'This invitation cannot be used',
  language: 'Language',
  invitesJoint:
    '{{partner}} and its indirect provider {{provider}} invite your organisation to establish a reseller relationship',
  invites: '{{partner}} invites your organisation to establish a reseller relationship',
  withDelegatedAdmin:
    ', with delegated administration privileges for Azure Active Directory and Office 365',
  partner: 'Partner',
  partnerId: 'Partner ID (MPN ID)',
  indirectProvider: 'Indirect provider',
  delegatedAdmin: 'Delegated admin privileges',
  requested: 'Requested',
  notRequested: 'Not requested',
  invitedBy: 'Invited by',
  validUntil: 'Valid until',
  signInAsAdmin: 'Sign in as a Global admin of your organisation.',
  email: 'Email',
  password: 'Password',
  organization: 'Organization',
  organizationHint: '(only if you are asked: its ID, Partner ID or domain)',
  agreementHeading: 'Customer Agreement (version {{version}})',
  agreementTemplate: 'Template {{templateId}}, version {{version}}.',
  agreementLink: 'Customer Agreement (version {{version}})',
  agreementAccept:
    'I accept the {{link}} on behalf of my organisation (required if it has not been accepted yet).',
  acceptButton: 'Accept and authorize',
  acceptedOne:
    '{{partners}} is now your reseller of record. You can review your partners and their delegated admin privileges at any time.',
  acceptedMany:
    '{{partners}} are now your resellers of record. You can review your partners and their delegated admin privileges at any time.',
  and: ' and ',
  openPortal: 'Open the portal',
  changePassword: 'Change your password in the portal',
  noAccountHeading: 'No account yet?',
  noAccountIntro:
    'Create your organisation’s account with the address this invitation was sent to ({{email}}). We then email you a link to verify the address; follow it, come back to this page and sign in above to accept.',
  companyName: 'Company name',
  domainPrefix: 'Domain prefix',
  domainPrefixHint: '(letters and digits: the first part of your organisation’s default domain)',
  firstName: 'First name',
  lastName: 'Last name',
  addressLine1: 'Address',
  city: 'City',
  postalCode: 'Postal code',
  country: 'Country (two-letter code, e.g. US, JP)',
  newPassword: 'New password',
  signUpButton: 'Create the account',
  signedUpTitle: 'Your organisation’s account is created',
  signedUp:
    '{{company}} ({{domain}}) is created, with you as its Global admin. We have emailed {{email}} a link to verify the address: follow it, then come back to the invitation and sign in to accept it.',
  backToInvitation: 'Back to the invitation',
  errors: {
    'auth.invalid_credentials': 'The email address or password is incorrect.',
    'auth.email_unverified':
      'Your email address is not verified yet: follow the link of the verification email we sent, then submit again.',
    'auth.password_change_required':
      'You are signed in with a temporary password: change it first, then follow the link again.',
    'auth.forbidden':
      "Only a Global admin of the customer's organisation can accept a reseller relationship.",
    'customer_agreement.required':
      'Accept the Customer Agreement to accept this reseller relationship.',
    'invitation.wrong_organization':
      'This invitation was sent to another organisation: sign in with an account of the organisation it was sent to.',
    'relationship_request.customer_only':
      'Only a customer organisation can accept a reseller relationship.',
    'customer.domain_taken': 'This domain prefix is taken: choose another one.',
    'request.throttled': 'Too many attempts: wait a moment, then retry.',
    'dependency.unavailable': 'Sign-in is unavailable. Retry later.',
    incomplete: 'The form is incomplete: fill in every required field.',
    unexpected: 'Something went wrong. Retry later.',
    'invitation.link_invalid': 'This invitation link is not valid.',
    'relationship_request.link_invalid':
      'This relationship link is not valid: it may have been replaced by a newer one. Ask the partner for its current link.',
    'invitation.not_found': 'The invitation was not found.',
    'invitation.already_accepted':
      'This invitation has already been accepted: its link works only once.',
    'invitation.revoked': 'This invitation was revoked.',
    'invitation.expired': 'This invitation has expired. Ask the partner to send it again.',
    unknown: 'This could not be completed (error code {{code}}).',
  },
};

/** The words of one language (an error without an English entry keeps its own description). */
type Words = Omit<typeof EN, 'errors'> & { errors: Record<string, string> };

const JA: Words = {
  title: '再販業者との関係の承認',
  acceptedTitle: '再販業者との関係を承認しました',
  errorTitle: 'この招待は使用できません',
  language: '言語',
  invitesJoint:
    '{{partner}} とその間接プロバイダー {{provider}} が、あなたの組織に再販業者との関係の確立を依頼しています',
  invites: '{{partner}} が、あなたの組織に再販業者との関係の確立を依頼しています',
  withDelegatedAdmin: ' (Azure Active Directory と Office 365 の委任された管理者特権を含む)',
  partner: 'パートナー',
  partnerId: 'パートナー ID (MPN ID)',
  indirectProvider: '間接プロバイダー',
  delegatedAdmin: '委任された管理者特権',
  requested: '要求あり',
  notRequested: '要求なし',
  invitedBy: '招待者',
  validUntil: '有効期限',
  signInAsAdmin: 'あなたの組織の全体管理者としてサインインしてください。',
  email: 'メール アドレス',
  password: 'パスワード',
  organization: '組織',
  organizationHint: '(求められた場合のみ: 組織 ID、パートナー ID、またはドメイン)',
  agreementHeading: '顧客契約 (バージョン {{version}})',
  agreementTemplate: 'テンプレート {{templateId}}、バージョン {{version}}。',
  agreementLink: '顧客契約 (バージョン {{version}})',
  agreementAccept: '組織を代表して {{link}} に同意します (まだ同意していない場合は必須です)。',
  acceptButton: '承認して許可する',
  acceptedOne:
    '{{partners}} があなたの記録上の再販業者になりました。パートナーとその委任された管理者特権はいつでも確認できます。',
  acceptedMany:
    '{{partners}} があなたの記録上の再販業者になりました。パートナーとその委任された管理者特権はいつでも確認できます。',
  and: ' と ',
  openPortal: 'ポータルを開く',
  changePassword: 'ポータルでパスワードを変更する',
  noAccountHeading: 'アカウントをお持ちでない場合',
  noAccountIntro:
    'この招待の送信先アドレス ({{email}}) で組織のアカウントを作成してください。アドレスを確認するためのリンクをメールでお送りします。リンクを開いた後、このページに戻り、上でサインインして承認してください。',
  companyName: '会社名',
  domainPrefix: 'ドメイン プレフィックス',
  domainPrefixHint: '(英数字: 組織の既定のドメインの先頭部分)',
  firstName: '名',
  lastName: '姓',
  addressLine1: '住所',
  city: '市区町村',
  postalCode: '郵便番号',
  country: '国 (2 文字のコード。例: JP、US)',
  newPassword: '新しいパスワード',
  signUpButton: 'アカウントを作成する',
  signedUpTitle: '組織のアカウントを作成しました',
  signedUp:
    '{{company}} ({{domain}}) を作成し、あなたを全体管理者にしました。{{email}} にアドレス確認用のリンクをお送りしました。リンクを開いた後、招待に戻ってサインインし、承認してください。',
  backToInvitation: '招待に戻る',
  errors: {
    'auth.invalid_credentials': 'メール アドレスまたはパスワードが正しくありません。',
    'auth.email_unverified':
      'メール アドレスがまだ確認されていません。お送りした確認メールのリンクを開いてから、もう一度送信してください。',
    'auth.password_change_required':
      '一時パスワードでサインインしています。先にパスワードを変更してから、もう一度リンクを開いてください。',
    'auth.forbidden': '再販業者との関係を承認できるのは、顧客組織の全体管理者だけです。',
    'customer_agreement.required':
      'この再販業者との関係を承認するには、顧客契約に同意してください。',
    'invitation.wrong_organization':
      'この招待は別の組織に送信されました。送信先の組織のアカウントでサインインしてください。',
    'relationship_request.customer_only': '再販業者との関係を承認できるのは顧客組織だけです。',
    'customer.domain_taken':
      'このドメイン プレフィックスは使用されています。別のものを選んでください。',
    // English keeps identity's own description (it says what is wrong with the password).
    'user.weak_password':
      'パスワードが弱すぎます。より長く、推測されにくいパスワードを選んでください。',
    'request.throttled': '試行回数が多すぎます。しばらく待ってから再試行してください。',
    'dependency.unavailable': 'サインインを利用できません。後で再試行してください。',
    incomplete: 'フォームが不完全です。必須の項目をすべて入力してください。',
    unexpected: '問題が発生しました。後で再試行してください。',
    'invitation.link_invalid': 'この招待リンクは無効です。',
    'relationship_request.link_invalid':
      'この関係リンクは無効です。新しいリンクに置き換えられた可能性があります。パートナーに現在のリンクを問い合わせてください。',
    // English keeps the refusal's own description (it names the partner).
    'relationship_request.partner_not_active':
      'このパートナーは現在アクティブではないため、この要求は承認できません。',
    'invitation.not_found': '招待が見つかりませんでした。',
    'invitation.already_accepted':
      'この招待はすでに承認されています。リンクは 1 回だけ使用できます。',
    'invitation.revoked': 'この招待は取り消されました。',
    'invitation.expired':
      'この招待の有効期限が切れています。パートナーに再送信を依頼してください。',
    unknown: 'この操作を完了できませんでした (エラー コード: {{code}})。',
  },
};

/** The page's words, by locale. */
export const INVITATION_PAGE_WORDS: Record<Locale, Words> = { en: EN, ja: JA };

/** The names of the languages, each in its own language (the page's language switch). */
export { LANGUAGE_NAMES } from '@app/platform';

/** The page's words as i18next namespaces (`page`, `errors`), by locale. */
export const INVITATION_PAGE_RESOURCES: Record<Locale, PageWords> = {
  en: namespaces(EN),
  ja: namespaces(JA),
};

function namespaces({ errors, ...page }: Words): PageWords {
  return { page, errors };
}

const i18n = createPageI18n(INVITATION_PAGE_RESOURCES, 'page');

/** The translate function of `locale` (English for any missing key). */
export function pageT(locale: Locale): TFunction {
  return i18n.t(locale);
}

/**
 * The page locale: `lang` of the query or form when it is a supported locale, else `fallback`
 * (the invitation's locale, the language of its email).
 */
export function pageLocale(lang: unknown, fallback: Locale): Locale {
  const parsed = Locale.safeParse(lang);
  return parsed.success ? parsed.data : fallback;
}

/**
 * The words for an error of the page in `locale`: the translation of its code when there is one,
 * else in English the error's own description, in another language a sentence naming its code (no
 * English sentence on a Japanese page).
 */
export function errorText(locale: Locale, code: string, message: string): string {
  const t = i18n.t(locale, 'errors');
  const fallback = locale === 'en' ? message : t('unknown', { code });
  return t(code, { defaultValue: fallback });
}
