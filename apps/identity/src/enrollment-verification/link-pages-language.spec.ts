import { translationGaps } from '@app/platform';
import {
  EMAIL_VERIFICATION_PAGE_TEXT,
  EMAIL_VERIFICATION_PAGE_WORDS,
  EmailVerificationOutcome,
  renderEmailVerificationPage,
} from '../email-verification/email-verification-page';
import {
  PASSWORD_RESET_PAGE_TEXT,
  PASSWORD_RESET_PAGE_WORDS,
  PasswordResetOutcome,
  passwordResetFormText,
  renderPasswordResetPage,
} from '../password-reset/password-reset-page';
import {
  VERIFICATION_PAGE_STYLE,
  VERIFICATION_PAGE_TEXT,
  VERIFICATION_PAGE_WORDS,
  VerificationOutcome,
  linkPageLanguage,
  renderVerificationPage,
} from './verification-page';

/**
 * Issue 12: every page an emailed link of identity opens (enrollment and primary contact
 * verification, sign-in address verification, password reset) exists in English and Japanese, in
 * the email's language (`lang` of the link), with a switch, and a Japanese page shows no English
 * sentence.
 */

/** The text a person reads on a page. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/** Latin words of a Japanese page beyond its data ("English" of the switch, ISO). */
function englishWords(html: string, data: string[]): string[] {
  let text = visibleText(html);
  for (const value of data) text = text.split(value).join(' ');
  return (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => w !== 'English');
}

const token = 'T'.repeat(43);
const DATA = ['Contoso Japan', 'pat@contoso.example'];
const ja = linkPageLanguage('ja', undefined, { path: 'verify', token });

describe('the words of identity’s emailed pages', () => {
  it.each([
    ['enrollment and primary contact verification', VERIFICATION_PAGE_WORDS],
    ['sign-in address verification', EMAIL_VERIFICATION_PAGE_WORDS],
    ['password reset', PASSWORD_RESET_PAGE_WORDS],
  ])(
    '%s: every English key has a non-empty Japanese value that differs from English',
    (_, words) => {
      expect(translationGaps(words)).toEqual([]);
    },
  );
});

describe('identity’s emailed pages in Japanese show no English sentence', () => {
  const pages: [string, string][] = [
    ...(Object.keys(VERIFICATION_PAGE_TEXT) as VerificationOutcome[]).map(
      (outcome): [string, string] => [
        `verification ${outcome}`,
        renderVerificationPage(
          outcome,
          {
            legalName: 'Contoso Japan',
            email: 'pat@contoso.example',
            confirmToken: outcome === 'confirm' ? token : undefined,
            resendToken: outcome === 'enrollment.token_expired' ? token : undefined,
          },
          ja,
        ),
      ],
    ),
    ...(Object.keys(EMAIL_VERIFICATION_PAGE_TEXT) as EmailVerificationOutcome[]).map(
      (outcome): [string, string] => [
        `sign-in address ${outcome}`,
        renderEmailVerificationPage(
          outcome,
          { organizationName: 'Contoso Japan', email: 'pat@contoso.example', token },
          ja,
        ),
      ],
    ),
    ...(Object.keys(PASSWORD_RESET_PAGE_TEXT) as PasswordResetOutcome[]).map(
      (outcome): [string, string] => [
        `password reset ${outcome}`,
        renderPasswordResetPage(
          outcome,
          {
            organizationName: 'Contoso Japan',
            email: 'pat@contoso.example',
            token,
            error: passwordResetFormText('ja', 'weakPassword'),
          },
          ja,
        ),
      ],
    ),
    [
      'password reset, passwords differ',
      renderPasswordResetPage(
        'form',
        { token, error: passwordResetFormText('ja', 'passwordsDiffer') },
        ja,
      ),
    ],
  ];

  it.each(pages)('%s', (_, html) => {
    expect(html).toContain('<html lang="ja">');
    expect(englishWords(html, [...DATA, token])).toEqual([]);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    expect(styles).toEqual([VERIFICATION_PAGE_STYLE]);
    expect(html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });

  it('a page opened by its link switches to English; its forms keep Japanese', () => {
    const page = renderVerificationPage('confirm', { confirmToken: token }, ja);
    expect(page).toContain(`<a href="verify?token=${token}&amp;lang=en" hreflang="en" lang="en">`);
    expect(page).toContain('action="verify/confirm?lang=ja"');
    expect(
      renderPasswordResetPage(
        'form',
        { token },
        linkPageLanguage('ja', undefined, { path: 'password-reset', token }),
      ),
    ).toContain('action="password-reset?lang=ja"');
    expect(
      renderEmailVerificationPage(
        'confirm',
        { token },
        linkPageLanguage('ja', undefined, { path: 'email-verification', token }),
      ),
    ).toContain('action="email-verification?lang=ja"');
  });

  it('in English the pages say what they said, with a switch to Japanese when opened by a link', () => {
    const en = linkPageLanguage(undefined, undefined, { path: 'password-reset', token });
    const page = renderPasswordResetPage('form', { token }, en);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('Choose a new password');
    expect(page).toContain('action="password-reset"');
    expect(page).toContain('hreflang="ja" lang="ja">日本語</a>');
  });

  it('takes the language of the link, else of the browser, else English', () => {
    expect(linkPageLanguage('ja', 'en-US').locale).toBe('ja');
    expect(linkPageLanguage('fr', 'ja-JP,ja;q=0.9,en;q=0.8').locale).toBe('ja');
    expect(linkPageLanguage(undefined, 'fr-FR, en;q=0.5').locale).toBe('en');
    expect(linkPageLanguage(undefined, 'en;q=0.5, ja;q=0.9').locale).toBe('ja');
    expect(linkPageLanguage(undefined, undefined).locale).toBe('en');
  });
});
