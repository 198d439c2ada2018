import { VERIFICATION_PAGE_STYLE } from '../enrollment-verification/verification-page';
import { renderEmailVerificationPage } from '../email-verification/email-verification-page';
import { renderPasswordResetPage } from './password-reset-page';

describe('the link pages of a user (issue 9 points 7, 8, 14)', () => {
  const hostile = {
    email: 'a"<b>@x.example',
    organizationName: 'Contoso <script>',
    token: 'x"><y',
  };

  it.each([
    ['password reset form', renderPasswordResetPage('form', { ...hostile, error: '<i>weak</i>' })],
    ['sign-in address confirmation', renderEmailVerificationPage('confirm', hostile)],
  ])('%s: escapes every value, carries only the allowed stylesheet, no script', (_, page) => {
    const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    expect(styles).toEqual([VERIFICATION_PAGE_STYLE]);
    expect(page).not.toMatch(/<script|\sstyle=|\son[a-z]+=|<b>|<i>|<y/i);
    expect(page).toContain('Contoso &lt;script&gt;');
    expect(page).toContain('value="x&quot;&gt;&lt;y"');
    expect(page).toMatch(/<form method="post" action="(password-reset|email-verification)">/);
  });

  it('shows no form on a refused link', () => {
    for (const page of [
      renderPasswordResetPage('link.expired'),
      renderEmailVerificationPage('link.used'),
    ]) {
      expect(page).not.toContain('<form');
    }
  });
});
