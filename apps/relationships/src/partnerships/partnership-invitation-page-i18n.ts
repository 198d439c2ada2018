import { Locale } from '@app/contracts';
import { createPageI18n } from '@app/platform';
import type { TFunction } from 'i18next';
import { errorText } from '../invitation-pages/invitation-page-i18n';

/**
 * The words of the partnership invitation page (`/invitations/partnership`, seed 004 steps 2–3)
 * in every page locale (the sign-in fields and the errors every invitation page shares come from
 * `invitation-page-i18n`).
 */
const EN = {
  page: {
    title: 'Authorize an indirect provider',
    acceptedTitle: 'Indirect provider authorized',
    invites: '{{provider}} invites your organisation to a partnership as its indirect reseller.',
    indirectProvider: 'Indirect provider',
    partnerId: 'Partner ID (MPN ID)',
    country: 'Country',
    invitedBy: 'Invited by',
    validUntil: 'Valid until',
    signIn: 'Sign in as a Global admin or Admin agent of your indirect reseller organisation.',
    authorize:
      'I authorize {{provider}} to be our indirect provider: to submit orders and add subscriptions on behalf of our customers, with administrator access to our organisation (which we can remove later).',
    authorizeButton: 'Authorize indirect provider',
    accepted:
      '{{provider}} (Partner ID {{mpnId}}) is now your indirect provider. It appears on your Indirect providers list, and your organisation on its Indirect resellers list.',
  },
  errors: {
    'auth.forbidden':
      'Only a Global admin or an Admin agent of the indirect reseller can authorize an indirect provider.',
    'partnership.authorization_required': 'Check the box to authorize the indirect provider.',
    'partnership.reseller_only': 'Only an indirect reseller can authorize an indirect provider.',
    'partnership.provider_not_active':
      'The indirect provider that sent this request is no longer active.',
    'partnership.exists':
      'This indirect provider and indirect reseller already have an active partnership.',
    'partnership.cloud_mismatch':
      'The indirect provider and your organisation are in different clouds: they cannot be partners.',
    'partnership.region_mismatch':
      'The indirect provider does not serve your country or market region: they cannot be partners.',
    'partner.not_active': 'Your partner account is not active yet.',
  },
};

const JA: typeof EN = {
  page: {
    title: '間接プロバイダーの承認',
    acceptedTitle: '間接プロバイダーを承認しました',
    invites: '{{provider}} が、あなたの組織を間接リセラーとしてパートナーシップに招待しています。',
    indirectProvider: '間接プロバイダー',
    partnerId: 'パートナー ID (MPN ID)',
    country: '国',
    invitedBy: '招待者',
    validUntil: '有効期限',
    signIn: '間接リセラーの組織の全体管理者または管理エージェントとしてサインインしてください。',
    authorize:
      '{{provider}} を当社の間接プロバイダーとして承認します。{{provider}} は当社の顧客に代わって注文を送信し、サブスクリプションを追加でき、当社の組織への管理者アクセス権を持ちます (後で削除できます)。',
    authorizeButton: '間接プロバイダーを承認する',
    accepted:
      '{{provider}} (パートナー ID {{mpnId}}) があなたの間接プロバイダーになりました。間接プロバイダーの一覧に表示され、あなたの組織は相手の間接リセラーの一覧に表示されます。',
  },
  errors: {
    'auth.forbidden':
      '間接プロバイダーを承認できるのは、間接リセラーの全体管理者または管理エージェントだけです。',
    'partnership.authorization_required':
      '間接プロバイダーを承認するには、チェック ボックスをオンにしてください。',
    'partnership.reseller_only': '間接プロバイダーを承認できるのは間接リセラーだけです。',
    'partnership.provider_not_active':
      'この依頼を送信した間接プロバイダーは、現在アクティブではありません。',
    'partnership.exists':
      'この間接プロバイダーと間接リセラーには、すでに有効なパートナーシップがあります。',
    'partnership.cloud_mismatch':
      '間接プロバイダーとあなたの組織はクラウドが異なるため、パートナーになれません。',
    'partnership.region_mismatch':
      '間接プロバイダーはあなたの国または市場地域を対象としていないため、パートナーになれません。',
    'partner.not_active': 'あなたのパートナー アカウントはまだアクティブではありません。',
  },
};

/** The page's words, by locale (checked complete by its unit test). */
export const PARTNERSHIP_PAGE_WORDS: Record<Locale, typeof EN> = { en: EN, ja: JA };

const i18n = createPageI18n(PARTNERSHIP_PAGE_WORDS, 'page');

/** The page's translate function in `locale`. */
export function partnershipT(locale: Locale): TFunction {
  return i18n.t(locale);
}

/**
 * An error of the page in `locale`: in English the error's own description (as the page always
 * said it); in another language the page's own words for its code, else those every invitation
 * page shares (`errorText`).
 */
export function partnershipErrorText(locale: Locale, code: string, message: string): string {
  if (locale === 'en') return message;
  return i18n.t(locale, 'errors')(code, { defaultValue: '' }) || errorText(locale, code, message);
}
