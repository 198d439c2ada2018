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

/** Every version ever served, with its text (paragraphs); the last is the current one. */
export const CUSTOMER_AGREEMENT_VERSIONS: Record<string, { title: string; paragraphs: string[] }> =
  {
    [CUSTOMER_AGREEMENT_TEMPLATE.version]: {
      title: 'Customer Agreement',
      paragraphs: [
        'This Customer Agreement is between the customer organisation that accepts it and the operator of this channel platform. It governs the online services that the customer buys through its partners (resellers of record) on this platform.',
        'By accepting, the person accepting confirms that they are authorised to bind the customer organisation, and that the customer agrees to the terms of use and privacy terms of the services ordered for it, as published by the operator of this platform.',
        'The customer may end any reseller relationship and revoke delegated administration privileges at any time; the agreement then continues to apply to the subscriptions that remain.',
        'The operator of this deployment replaces this text with its own agreement; each text is published under its own version, and every acceptance records the version accepted.',
      ],
    },
  };

/** The path of a version's text (`GET /agreements/customer-agreement/{version}`), under PUBLIC_URL. */
export function customerAgreementPath(version: string): string {
  return `/agreements/customer-agreement/${encodeURIComponent(version)}`;
}

/** The text of `version` as an HTML page, or null for a version never served. */
export function customerAgreementPage(version: string): string | null {
  const text = Object.hasOwn(CUSTOMER_AGREEMENT_VERSIONS, version)
    ? CUSTOMER_AGREEMENT_VERSIONS[version]
    : undefined;
  if (!text) return null;
  return htmlPage(
    `${text.title} (version ${version})`,
    `<p>Template ${escapeHtml(CUSTOMER_AGREEMENT_TEMPLATE.templateId)}, version ${escapeHtml(version)}.</p>
${text.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}`,
  );
}
