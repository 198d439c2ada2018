import {
  partnershipAcceptedPage,
  partnershipInvitationPage,
} from '../partnerships/partnership-invitation-page.html';
import {
  relationshipAcceptedPage,
  relationshipInvitationPage,
} from '../relationship-requests/relationship-invitation-page.html';
import { INVITATION_PAGE_WORDS, errorText } from './invitation-page-i18n';
import { INVITATION_PAGE_STYLE, escapeHtml, invitationErrorPage } from './invitation-page.html';

describe('invitation page', () => {
  it('escapes every value', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).not.toMatch(/[<>"']/);
    const page = partnershipInvitationPage({
      token: 'tok"><script>alert(1)</script>',
      providerName: '<b>Contoso</b>',
      providerMpnId: '1234567',
      providerCountry: 'US',
      inviterName: 'Ana',
      expiresAt: new Date('2026-11-30T10:00:00.000Z'),
    });
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<b>Contoso</b>');
    expect(page).toContain('&#60;b&#62;Contoso&#60;&#47;b&#62;');
    expect(page).toContain('action="/invitations/partnership/accept"');
  });
});

describe('invitation pages and the Content-Security-Policy', () => {
  const expiresAt = new Date('2026-11-30T10:00:00.000Z');
  const pages = {
    partnership: partnershipInvitationPage({
      token: 't'.repeat(43),
      providerName: 'Contoso',
      providerMpnId: '1234567',
      providerCountry: 'US',
      inviterName: 'Ana',
      expiresAt,
      error: 'Wrong password',
    }),
    partnershipAccepted: partnershipAcceptedPage('Contoso', '1234567'),
    relationship: relationshipInvitationPage({
      token: 't'.repeat(43),
      partnerName: 'Fabrikam',
      partnerMpnId: '7654321',
      providerName: 'Contoso',
      delegatedAdmin: true,
      inviterName: 'Ana',
      expiresAt,
    }),
    relationshipAccepted: relationshipAcceptedPage(['Fabrikam', 'Contoso']),
    error: invitationErrorPage('This invitation link is not valid.'),
  };

  it.each(Object.entries(pages))(
    '%s: only the constant stylesheet the CSP allows by hash, no inline style or script, forms to its own origin',
    (_name, page) => {
      const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
      expect(styles).toEqual([INVITATION_PAGE_STYLE]);
      expect(page).not.toMatch(/\sstyle=|<script|\son[a-z]+=|<img|<link|<iframe/i);
      for (const [, action] of page.matchAll(/<form[^>]*action="([^"]*)"/g)) {
        expect(action).toMatch(/^\/invitations\//);
      }
    },
  );
});

describe('the reseller relationship page in the email’s language', () => {
  const model = {
    token: 't'.repeat(43),
    partnerName: 'Fabrikam',
    partnerMpnId: '7654321',
    providerName: 'Contoso',
    delegatedAdmin: true,
    inviterName: 'Ana',
    expiresAt: new Date('2026-11-30T10:00:00.000Z'),
    email: 'nina@northwind.example',
  };

  it('draws a Japanese invitation in Japanese, with the agreement’s Japanese text, a switch to English and forms that keep the language', () => {
    const page = relationshipInvitationPage({
      ...model,
      language: { locale: 'ja', invitationLocale: 'ja' },
    });
    expect(page).toContain('<html lang="ja">');
    expect(page).toContain('再販業者との関係の承認');
    expect(page).toContain('顧客契約 (バージョン 2026-12)');
    expect(page).toContain('この顧客契約は、これに同意する顧客組織と');
    expect(page).toContain(
      `href="/invitations/reseller-relationship?token=${model.token}&amp;lang=en" hreflang="en"`,
    );
    expect(page).toContain('action="/invitations/reseller-relationship/accept?lang=ja"');
    expect(page).toContain('action="/invitations/reseller-relationship/sign-up?lang=ja"');
    expect(page).not.toContain('Customer Agreement');
  });

  it('draws an English page with English forms, and names the way on for a temporary password', () => {
    const page = relationshipInvitationPage({
      ...model,
      error: 'You are signed in with a temporary password.',
      errorCode: 'auth.password_change_required',
    });
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('action="/invitations/reseller-relationship/accept"');
    expect(page).toContain('This Customer Agreement is between the customer organisation');
    expect(page).toContain(
      '<a href="&#47;portal&#47;change-password">Change your password in the portal</a>',
    );
  });

  it('words known errors in Japanese, keeps the English description of others and names their code in Japanese', () => {
    expect(errorText('ja', 'auth.invalid_credentials', 'x')).toBe(
      'メール アドレスまたはパスワードが正しくありません。',
    );
    expect(errorText('en', 'user.weak_password', 'The password is too weak: it is short.')).toBe(
      'The password is too weak: it is short.',
    );
    expect(errorText('en', 'something.else', 'As it was.')).toBe('As it was.');
    expect(errorText('ja', 'something.else', 'As it was.')).toBe(
      'この操作を完了できませんでした (エラー コード: something.else)。',
    );
  });

  it('has every English word in Japanese, translated', () => {
    const { errors: enErrors, ...en } = INVITATION_PAGE_WORDS.en;
    const { errors: jaErrors, ...ja } = INVITATION_PAGE_WORDS.ja;
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(ja[key]).not.toBe(en[key]);
    for (const key of Object.keys(enErrors)) expect(jaErrors[key]).toEqual(expect.any(String));
  });
});
