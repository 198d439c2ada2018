import { VERIFICATION_PAGE_STYLE, renderVerificationPage } from './verification-page';

describe('the verification page', () => {
  it('carries only the constant stylesheet the CSP allows by hash: no other inline style, no script', () => {
    const page = renderVerificationPage('active', {
      legalName: 'Contoso <Ltd>',
      resendToken: 'x"y',
    });
    const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    expect(styles).toEqual([VERIFICATION_PAGE_STYLE]);
    expect(page).not.toMatch(/\sstyle=|<script|\son[a-z]+=/i);
    expect(page).toContain('Contoso &lt;Ltd&gt;');
  });
});
