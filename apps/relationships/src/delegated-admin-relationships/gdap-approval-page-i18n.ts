import { Locale } from '@app/contracts';
import { createPageI18n } from '@app/platform';
import type { TFunction } from 'i18next';
import { errorText } from '../invitation-pages/invitation-page-i18n';

/**
 * The words of the delegated admin relationship approval page
 * (`/invitations/delegated-admin-relationship`, issue 10) in every page locale (the sign-in fields
 * and the errors every invitation page shares come from `invitation-page-i18n`; the roles' names
 * and descriptions from `gdap-roles`).
 */
const EN = {
  page: {
    title: 'Approve a delegated admin relationship',
    approvedTitle: 'Relationship approved',
    rejectedTitle: 'Relationship rejected',
    errorTitle: 'This approval link cannot be used',
    asks: '{{partner}} asks for administrator access to your organisation, limited to the roles below and to the time given. Nobody of {{partner}} gets an account in your organisation; you can end the access at any time.',
    partner: 'Partner',
    relationship: 'Relationship',
    customer: 'Customer',
    duration: 'Duration',
    durationValue: '{{duration}} (ISO 8601), from your approval',
    validUntil: 'Request valid until',
    roles: 'Roles requested:',
    signIn: 'Sign in as a Global admin of your organisation.',
    approve: 'Approve all',
    reject: 'Reject',
    approved:
      '{{partner}} now has the roles of the relationship {{relationship}} in your organisation for {{duration}}. You can terminate it at any time.',
    rejected: 'You rejected the relationship {{relationship}} of {{partner}}: it gives no access.',
  },
  errors: {
    'auth.forbidden':
      "Only a Global admin of the customer's organisation can approve or reject a delegated admin relationship.",
    'gdap.wrong_organization':
      "Only a Global admin of the customer's organisation named in the request can decide on it.",
    'gdap.approval_link_invalid': 'This approval link is not valid or was already used.',
    'gdap.approval_link_expired': 'This approval link has expired.',
    'gdap.invalid_status':
      'This relationship was decided meanwhile: it no longer waits for approval.',
    'invitation.link_invalid': 'This approval link is not valid.',
  },
};

const JA: typeof EN = {
  page: {
    title: '委任された管理者の関係の承認',
    approvedTitle: '関係を承認しました',
    rejectedTitle: '関係を拒否しました',
    errorTitle: 'この承認リンクは使用できません',
    asks: '{{partner}} が、あなたの組織への管理者アクセスを要求しています。アクセスは以下のロールと指定された期間に限られます。{{partner}} の担当者があなたの組織のアカウントを得ることはありません。アクセスはいつでも終了できます。',
    partner: 'パートナー',
    relationship: '関係',
    customer: '顧客',
    duration: '期間',
    durationValue: '{{duration}} (ISO 8601)、承認した時点から',
    validUntil: '依頼の有効期限',
    roles: '要求されたロール:',
    signIn: 'あなたの組織の全体管理者としてサインインしてください。',
    approve: 'すべて承認する',
    reject: '拒否する',
    approved:
      '{{partner}} は、あなたの組織で関係 {{relationship}} のロールを {{duration}} の間持ちます。この関係はいつでも終了できます。',
    rejected: '{{partner}} の関係 {{relationship}} を拒否しました。アクセス権は付与されません。',
  },
  errors: {
    'auth.forbidden':
      '委任された管理者の関係を承認または拒否できるのは、顧客組織の全体管理者だけです。',
    'gdap.wrong_organization':
      'この依頼について決定できるのは、依頼で指定された顧客組織の全体管理者だけです。',
    'gdap.approval_link_invalid': 'この承認リンクは無効か、すでに使用されています。',
    'gdap.approval_link_expired': 'この承認リンクの有効期限が切れています。',
    'gdap.invalid_status': 'この関係はすでに決定されています。承認待ちではありません。',
    'invitation.link_invalid': 'この承認リンクは無効です。',
  },
};

/** The page's words, by locale (checked complete by its unit test). */
export const GDAP_APPROVAL_PAGE_WORDS: Record<Locale, typeof EN> = { en: EN, ja: JA };

const i18n = createPageI18n(GDAP_APPROVAL_PAGE_WORDS, 'page');

/** The page's translate function in `locale`. */
export function gdapApprovalT(locale: Locale): TFunction {
  return i18n.t(locale);
}

/**
 * An error of the page in `locale`: in English the error's own description (as the page always
 * said it); in another language the page's own words for its code, else those every invitation
 * page shares (`errorText`).
 */
export function gdapApprovalErrorText(locale: Locale, code: string, message: string): string {
  if (locale === 'en') return message;
  return i18n.t(locale, 'errors')(code, { defaultValue: '' }) || errorText(locale, code, message);
}
