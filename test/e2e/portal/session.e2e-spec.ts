import type { Page } from 'playwright-core';
import {
  createCustomer,
  enrollPartner,
  newCustomerBody,
  signUpCustomer,
  strongPassword,
  type SignedUpCustomer,
} from '../support';
import { checkA11y, fieldLabel, newPage, portalText, type Lang } from '../support/browser';
import {
  adatumAdminChangesTemporaryPassword,
  checkpoint,
  expectHeading,
  submitSignIn,
} from './steps/auth';
import { createStoryContext, type StoryContext } from './steps/story-context';

/**
 * The pages for everyone (issue 12), in a real browser, once in English and once in Japanese:
 * sign in (the wrong password's message), the session kept across a reload through the refresh
 * cookie only (no token in localStorage or sessionStorage), the language switch (remembered,
 * language only), a temporary password's forced change (a customer a partner created), the
 * forgotten password through the emailed link, and sign out. axe and a screenshot on every page.
 */
describe('the portal session pages', () => {
  let ctx: StoryContext & { close(): Promise<void> };
  let customer: SignedUpCustomer;

  beforeAll(async () => {
    ctx = await createStoryContext();
    customer = await signUpCustomer();
  }, 60_000);
  afterAll(async () => {
    await ctx?.close();
  });

  /** Sign-in page reached from the portal's root, which a signed-out visitor is sent to. */
  async function openSignIn(lang: Lang): Promise<Page> {
    const page = await newPage(ctx.browser, lang);
    const response = await page.goto(`${ctx.baseUrl}/`);
    expect(response?.status()).toBe(200);
    await expectHeading(page, portalText(lang, 'auth:signIn.title'));
    expect(new URL(page.url()).pathname).toBe('/portal/sign-in');
    return page;
  }

  it('opens the sign-in page with the entry and the sign-in chunk only, each a cached JavaScript asset under the CSP', async () => {
    const page = await newPage(ctx.browser, 'en');
    const scripts: { path: string; type: string; cache: string }[] = [];
    page.on('response', (answer) => {
      if (new URL(answer.url()).pathname.endsWith('.js')) {
        scripts.push({
          path: new URL(answer.url()).pathname,
          type: answer.headers()['content-type'] ?? '',
          cache: answer.headers()['cache-control'] ?? '',
        });
      }
    });
    const response = await page.goto(ctx.portalUrl('/sign-in'));
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self';");
    await expectHeading(page, portalText('en', 'auth:signIn.title'));
    const paths = scripts.map((script) => script.path);
    expect(paths.filter((path) => !/^\/portal\/assets\/[\w-]+\.js$/.test(path))).toEqual([]);
    expect(paths.some((path) => /^\/portal\/assets\/auth-[\w-]+\.js$/.test(path))).toBe(true);
    // The other areas' pages are not loaded for the sign-in page.
    expect(
      paths.filter((path) =>
        /\/(partner|customers|customer-admin|operator|home-page)-[\w-]+\.js$/.test(path),
      ),
    ).toEqual([]);
    for (const script of scripts) {
      expect(script).toEqual({
        path: script.path,
        type: expect.stringMatching(/javascript/),
        cache: 'public, max-age=31536000, immutable',
      });
    }
    expect(
      await page.evaluate<number>(
        "Array.from(document.querySelectorAll('script')).filter((s) => !s.src).length",
      ),
    ).toBe(0);
    // No CSP violation nor any other error in the console (checkA11y fails on them).
    await checkA11y(page);
    await page.context().close();
  }, 60_000);

  describe.each<Lang>(['en', 'ja'])('in %s', (lang) => {
    it('signs in (a wrong password says so), keeps the session in the cookie only, and signs out', async () => {
      const page = await openSignIn(lang);
      expect(await page.evaluate<string>('document.documentElement.lang')).toBe(lang);
      await checkpoint(page, lang, 'sign-in');

      await submitSignIn(page, lang, { email: customer.email, password: 'Wrong-password-123' });
      await page
        .getByRole('alert')
        .getByText(portalText(lang, 'common:apiErrors.auth_invalid_credentials'))
        .waitFor();
      await checkpoint(page, lang, 'sign-in-wrong-password');

      await submitSignIn(page, lang, { email: customer.email, password: customer.password });
      await expectHeading(page, portalText(lang, 'auth:home.welcome', { name: 'Casey' }));
      await page.getByText(portalText(lang, 'auth:home.audience.customer')).waitFor();
      await page.getByText(customer.companyName).waitFor();
      await checkpoint(page, lang, 'home-customer');

      // No token in web storage; the refresh token only in its HttpOnly cookie.
      const storage = await page.evaluate<{ local: [string, string][]; session: number }>(
        '({ local: Object.entries(localStorage), session: sessionStorage.length })',
      );
      expect(storage.session).toBe(0);
      expect(storage.local.every(([key]) => key === 'pcp.language')).toBe(true);
      const cookies = await page.context().cookies();
      const refresh = cookies.find((c) => c.name === 'pcp_refresh');
      expect(refresh).toMatchObject({
        httpOnly: true,
        secure: true,
        sameSite: 'Strict',
        path: '/v1/auth/portal/session',
      });
      expect(await page.evaluate<string>('document.cookie')).not.toContain('pcp_refresh');

      // A reload keeps the session (a refresh through the cookie).
      await page.reload();
      await expectHeading(page, portalText(lang, 'auth:home.welcome', { name: 'Casey' }));

      await page.getByRole('button', { name: portalText(lang, 'common:signOut') }).click();
      await expectHeading(page, portalText(lang, 'auth:signIn.title'));
      await checkpoint(page, lang, 'signed-out');
      expect((await page.context().cookies()).some((c) => c.name === 'pcp_refresh')).toBe(false);
      await page.goto(ctx.portalUrl('/'));
      await expectHeading(page, portalText(lang, 'auth:signIn.title'));
      await page.context().close();
    });

    it("holds a customer's admin on the temporary password until it is changed", async () => {
      const partner = await enrollPartner({ partnerType: 'indirect_provider' });
      const created = await createCustomer(partner, newCustomerBody());
      ctx.record.adatum = {
        customerId: created.id,
        admin: {
          email: created.userCredentials.userName,
          temporaryPassword: created.userCredentials.password,
        },
      };
      await adatumAdminChangesTemporaryPassword(ctx, lang);
      expect(ctx.record.adatum.admin.password).toEqual(expect.any(String));
    });

    it('resets a forgotten password from the emailed link, then signs in with it', async () => {
      const page = await openSignIn(lang);
      await page.getByRole('link', { name: portalText(lang, 'auth:signIn.forgot') }).click();
      await expectHeading(page, portalText(lang, 'auth:forgotPassword.title'));
      await checkpoint(page, lang, 'forgot-password');
      const since = new Date();
      await page.getByLabel(fieldLabel(portalText(lang, 'auth:signIn.email'))).fill(customer.email);
      await page
        .getByRole('button', { name: portalText(lang, 'auth:forgotPassword.submit') })
        .click();
      await page
        .getByText(portalText(lang, 'auth:forgotPassword.sent', { email: customer.email }))
        .waitFor();
      await checkpoint(page, lang, 'forgot-password-sent');

      const email = await ctx.mail.waitForEmailWhere({ to: customer.email, since }, (e) => {
        try {
          return new URL(ctx.mail.linkIn(e)).pathname === '/v1/auth/password-reset';
        } catch {
          return false;
        }
      });
      const link = ctx.mail.linkIn(email);
      await page.goto(link);
      await checkpoint(page, lang, 'reset-password-page');
      const password = strongPassword();
      await page.locator('#password').fill(password);
      await page.locator('#passwordConfirmation').fill(password);
      await page.getByRole('button').first().click();
      await page.getByText('Password changed').first().waitFor();
      await checkpoint(page, lang, 'reset-password-done');
      customer.password = password;

      await page.goto(ctx.portalUrl('/sign-in'));
      await submitSignIn(page, lang, { email: customer.email, password });
      await expectHeading(page, portalText(lang, 'auth:home.welcome', { name: 'Casey' }));
      await page.context().close();
    });
  });

  it('switches the language, shows Japanese, and remembers the choice (the language only)', async () => {
    const page = await openSignIn('en');
    await page.getByLabel(portalText('en', 'common:language')).selectOption('ja');
    await expectHeading(page, portalText('ja', 'auth:signIn.title'));
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('ja');
    await checkpoint(page, 'ja', 'language-switched');
    await page.reload();
    await expectHeading(page, portalText('ja', 'auth:signIn.title'));
    const stored = await page.evaluate<[string, string][]>('Object.entries(localStorage)');
    expect(stored).toEqual([['pcp.language', 'ja']]);
    await page.getByLabel(portalText('ja', 'common:language')).selectOption('en');
    await expectHeading(page, portalText('en', 'auth:signIn.title'));
    await page.context().close();
  });
});
