import { translationGaps } from '@app/platform';
import { GDAP_ROLES, rolesInWords } from '../delegated-admin-relationships/gdap-roles';
import {
  GDAP_APPROVAL_PAGE_WORDS,
  gdapApprovalErrorText,
} from '../delegated-admin-relationships/gdap-approval-page-i18n';
import {
  gdapApprovalPage,
  gdapDecidedPage,
} from '../delegated-admin-relationships/gdap-approval-page.html';
import {
  PARTNERSHIP_PAGE_WORDS,
  partnershipErrorText,
} from '../partnerships/partnership-invitation-page-i18n';
import {
  partnershipAcceptedPage,
  partnershipInvitationPage,
} from '../partnerships/partnership-invitation-page.html';
import {
  partnerLinkPage,
  relationshipAcceptedPage,
  relationshipInvitationPage,
  signedUpPage,
} from '../relationship-requests/relationship-invitation-page.html';
import { INVITATION_PAGE_RESOURCES, errorText, pageT } from './invitation-page-i18n';
import { invitationErrorPage } from './invitation-page.html';

/**
 * Issue 12: every page an emailed link opens in relationships (reseller relationship invitation,
 * partnership invitation, delegated admin approval) exists in English and Japanese, and a
 * Japanese page shows no English sentence.
 */

/** The text a person reads on a page: element content and the labels of its controls. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/**
 * The Latin words of a Japanese page that are not data (names, codes, dates) nor the names a
 * Japanese page keeps in Latin letters (the language switch's "English", product names, ISO).
 */
const LATIN_ALLOWED = new Set([
  'English',
  'MPN',
  'ID',
  'ISO',
  'Azure',
  'Active',
  'Directory',
  'Office',
  'JP',
  'US',
]);
function englishWords(html: string, data: string[]): string[] {
  let text = visibleText(html);
  for (const value of data) text = text.split(value).join(' ');
  return (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !LATIN_ALLOWED.has(w));
}

const token = 't'.repeat(43);
const PARTNER_ID = '0f6b2d8e-1c3a-4b5d-9e7f-a1b2c3d4e5f6';
const LINK_CODE = 'L'.repeat(43);
const linkToken = `${PARTNER_ID}.1.${LINK_CODE}`;
const partnerLink = (locale: 'en' | 'ja', error?: string) =>
  partnerLinkPage({
    token: linkToken,
    partnerName: 'Fabrikam',
    partnerMpnId: '7654321',
    delegatedAdmin: true,
    locale,
    error,
  });
const expiresAt = new Date('2026-11-30T10:00:00.000Z');
const DATA = ['Contoso', 'Fabrikam', 'Northwind', 'Ana Inviter', 'nina@northwind.example', 'P90D'];
const roleIds = Object.keys(GDAP_ROLES);
const approval = (locale: 'en' | 'ja') => ({
  partnerName: 'Fabrikam',
  customerName: 'Northwind',
  displayName: 'Northwind',
  duration: 'P90D',
  roles: rolesInWords(roleIds, locale),
  expiresAt: expiresAt.toISOString(),
});

describe('the words of the emailed relationships pages', () => {
  it.each([
    // The partner's reusable relationship link page draws with the invitation page's words.
    ['reseller relationship invitation and reusable link', INVITATION_PAGE_RESOURCES],
    ['partnership invitation', PARTNERSHIP_PAGE_WORDS],
    ['delegated admin approval', GDAP_APPROVAL_PAGE_WORDS],
  ])(
    '%s: every English key has a non-empty Japanese value that differs from English',
    (_, words) => {
      expect(translationGaps(words)).toEqual([]);
    },
  );

  it('every delegated admin role has its name and description in Japanese', () => {
    for (const role of Object.values(GDAP_ROLES)) {
      expect(role.ja.name).not.toBe(role.en.name);
      expect(role.ja.description).not.toBe(role.en.description);
    }
  });
});

describe('the emailed relationships pages in Japanese show no English sentence', () => {
  // `unknown` words any other code (here `some.other_error`, named on the page as data).
  const errorCodes = [
    ...Object.keys(INVITATION_PAGE_RESOURCES.en.errors).filter((c) => c !== 'unknown'),
    'some.other_error',
  ];
  const pages: Record<string, string> = {
    relationship: relationshipInvitationPage({
      token,
      partnerName: 'Fabrikam',
      partnerMpnId: '7654321',
      providerName: 'Contoso',
      delegatedAdmin: true,
      inviterName: 'Ana Inviter',
      expiresAt,
      email: 'nina@northwind.example',
      language: { locale: 'ja', invitationLocale: 'ja' },
      error: errorText('ja', 'auth.invalid_credentials', 'x'),
    }),
    relationshipSignedUp: signedUpPage(
      { token, company: 'Northwind', domain: 'Northwind', email: 'nina@northwind.example' },
      { locale: 'ja', invitationLocale: 'ja' },
    ),
    relationshipAccepted: relationshipAcceptedPage(['Fabrikam', 'Contoso'], 'ja'),
    partnerLink: partnerLink('ja'),
    ...Object.fromEntries(
      errorCodes.map((code) => [
        `partner link error ${code}`,
        partnerLink('ja', errorText('ja', code, 'English')),
      ]),
    ),
    partnership: partnershipInvitationPage({
      token,
      providerName: 'Contoso',
      providerMpnId: '1234567',
      providerCountry: 'US',
      inviterName: 'Ana Inviter',
      expiresAt,
      locale: 'ja',
    }),
    partnershipAccepted: partnershipAcceptedPage('Contoso', '1234567', 'ja'),
    gdapApproval: gdapApprovalPage(token, approval('ja'), undefined, 'ja'),
    gdapApproved: gdapDecidedPage(approval('ja'), 'approve', 'ja'),
    gdapRejected: gdapDecidedPage(approval('ja'), 'reject', 'ja'),
    ...Object.fromEntries(
      errorCodes.map((code) => [
        `error ${code}`,
        invitationErrorPage(errorText('ja', code, 'English'), pageT('ja')('errorTitle'), 'ja'),
      ]),
    ),
    ...Object.fromEntries(
      Object.keys(PARTNERSHIP_PAGE_WORDS.en.errors).map((code) => [
        `partnership error ${code}`,
        partnershipInvitationPage({
          token,
          providerName: 'Contoso',
          providerMpnId: '1234567',
          providerCountry: 'US',
          inviterName: 'Ana Inviter',
          expiresAt,
          locale: 'ja',
          error: partnershipErrorText('ja', code, 'English'),
        }),
      ]),
    ),
    ...Object.fromEntries(
      Object.keys(GDAP_APPROVAL_PAGE_WORDS.en.errors).map((code) => [
        `approval error ${code}`,
        gdapApprovalPage(token, approval('ja'), gdapApprovalErrorText('ja', code, 'English'), 'ja'),
      ]),
    ),
  };

  it.each(Object.entries(pages))('%s', (_, html) => {
    expect(html).toContain('<html lang="ja">');
    expect(
      englishWords(html, [
        ...DATA,
        token,
        linkToken,
        LINK_CODE,
        PARTNER_ID,
        expiresAt.toISOString(),
        'some.other_error',
      ]),
    ).toEqual([]);
  });

  it('the pages an email opens carry a switch to English and forms that keep Japanese', () => {
    expect(pages.partnership).toContain(
      `<a href="/invitations/partnership?token=${token}&amp;lang=en" hreflang="en" lang="en">English</a>`,
    );
    expect(pages.partnership).toContain('action="/invitations/partnership/accept?lang=ja"');
    expect(pages.gdapApproval).toContain(
      `<a href="/invitations/delegated-admin-relationship?token=${token}&amp;lang=en" hreflang="en" lang="en">English</a>`,
    );
    expect(pages.gdapApproval).toContain(
      'action="/invitations/delegated-admin-relationship/decision?lang=ja"',
    );
    expect(pages.partnerLink).toContain(
      `<a href="/invitations/reseller-relationship?invType=ResellerRelationship&amp;partnerId=${PARTNER_ID}&amp;DAP=true&amp;link=${LINK_CODE}&amp;lang=en" hreflang="en" lang="en">English</a>`,
    );
    expect(pages.partnerLink).toContain(
      'action="/invitations/reseller-relationship/partner-link/accept?lang=ja"',
    );
    expect(pages.partnerLink).toContain(
      'Fabrikam が、あなたの組織に再販業者との関係の確立を依頼しています',
    );
  });

  it('the same pages in English stay as they were, with a switch to Japanese', () => {
    const partnership = partnershipInvitationPage({
      token,
      providerName: 'Contoso',
      providerMpnId: '1234567',
      providerCountry: 'US',
      inviterName: 'Ana Inviter',
      expiresAt,
    });
    expect(partnership).toContain('<html lang="en">');
    expect(partnership).toContain('Contoso invites your organisation to a partnership');
    expect(partnership).toContain('hreflang="ja" lang="ja">日本語</a>');
    expect(partnership).toContain('action="/invitations/partnership/accept"');
    const gdap = gdapApprovalPage(token, approval('en'));
    expect(gdap).toContain('<html lang="en">');
    expect(gdap).toContain('Approve a delegated admin relationship');
    expect(gdap).toContain('Global Administrator');
    expect(gdap).toContain('action="/invitations/delegated-admin-relationship/decision"');
    const link = partnerLink('en');
    expect(link).toContain('<html lang="en">');
    expect(link).toContain(
      'Fabrikam invites your organisation to establish a reseller relationship, with delegated administration privileges',
    );
    expect(link).toContain('hreflang="ja" lang="ja">日本語</a>');
    expect(link).toContain('action="/invitations/reseller-relationship/partner-link/accept"');
  });
});
