import { DEFAULT_LOCALE, Locale } from '@app/contracts';
import { escapeHtml, htmlPage } from '../invitation-pages/invitation-page.html';

/** The one agreement type served (Partner Center's `agreementType`). */
export const CUSTOMER_AGREEMENT_TYPE = 'MicrosoftCustomerAgreement' as const;

/**
 * The current Customer Agreement template (Partner Center's AgreementMetaData): a fixed template
 * id, the version of its text and its rank (a higher rank is a newer version). A new text is a new
 * entry here with a new version; acceptances keep the version they were given.
 */
export const CUSTOMER_AGREEMENT_TEMPLATE = {
  templateId: '6b1b0e1e-2a3c-4d8e-9f10-5c2d7a4b8e01',
  version: '2026-12',
  versionRank: 1,
} as const;

/** One version's text in one language: a title and its paragraphs. */
export interface CustomerAgreementText {
  title: string;
  paragraphs: string[];
}

/**
 * Every version ever served, with its text (paragraphs) in English and its Japanese translation
 * (the invitation page shows the text in the email's language); the last is the current one.
 */
export const CUSTOMER_AGREEMENT_VERSIONS: Record<string, Record<Locale, CustomerAgreementText>> = {
  [CUSTOMER_AGREEMENT_TEMPLATE.version]: {
    en: {
      title: 'Customer Agreement',
      paragraphs: [
        'This Customer Agreement is between the customer organisation that accepts it and the operator of this channel platform. It governs the online services that the customer buys through its partners (resellers of record) on this platform.',
        'By accepting, the person accepting confirms that they are authorised to bind the customer organisation, and that the customer agrees to the terms of use and privacy terms of the services ordered for it, as published by the operator of this platform.',
        'The customer may end any reseller relationship and revoke delegated administration privileges at any time; the agreement then continues to apply to the subscriptions that remain.',
        'The operator of this deployment replaces this text with its own agreement; each text is published under its own version, and every acceptance records the version accepted.',
      ],
    },
    ja: {
      title: '顧客契約',
      paragraphs: [
        'この顧客契約は、これに同意する顧客組織と、このチャネル プラットフォームの運営者との間の契約です。顧客がこのプラットフォーム上でパートナー (記録上の再販業者) を通じて購入するオンライン サービスに適用されます。',
        '同意することにより、同意する方は顧客組織を代表して契約する権限を有すること、および顧客がこのプラットフォームの運営者が公開する、注文されたサービスの利用規約とプライバシー条項に同意することを確認します。',
        '顧客はいつでも再販業者との関係を終了し、委任された管理者特権を取り消すことができます。その場合も、残るサブスクリプションには本契約が引き続き適用されます。',
        'このデプロイの運営者は、この文面を独自の契約に置き換えます。各文面はそれぞれのバージョンで公開され、すべての同意には同意したバージョンが記録されます。',
      ],
    },
  },
};

/** The text of `version` in `locale` (English when untranslated), or null for an unknown version. */
export function customerAgreementText(
  version: string,
  locale: Locale = DEFAULT_LOCALE,
): CustomerAgreementText | null {
  if (!Object.hasOwn(CUSTOMER_AGREEMENT_VERSIONS, version)) return null;
  const texts = CUSTOMER_AGREEMENT_VERSIONS[version];
  return texts[locale] ?? texts[DEFAULT_LOCALE];
}

/** The path of a version's text (`GET /agreements/customer-agreement/{version}`), under PUBLIC_URL. */
export function customerAgreementPath(version: string): string {
  return `/agreements/customer-agreement/${encodeURIComponent(version)}`;
}

/** The text of `version` as an HTML page, or null for a version never served. */
export function customerAgreementPage(version: string): string | null {
  const text = customerAgreementText(version);
  if (!text) return null;
  return htmlPage(
    `${text.title} (version ${version})`,
    `<p>Template ${escapeHtml(CUSTOMER_AGREEMENT_TEMPLATE.templateId)}, version ${escapeHtml(version)}.</p>
${text.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}`,
  );
}
