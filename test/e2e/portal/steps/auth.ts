import type { Page } from 'playwright-core';
import { strongPassword } from '../../support/data';
import { checkA11y, fieldLabel, newPage, portalText, shot, type Lang } from '../../support/browser';
import type { StoryContext } from './story-context';

/**
 * The foundation's steps of the seed story (issue 12) and the sign-in every other step uses:
 * clicking as a person would, asserting on what the page shows, axe and a screenshot at every
 * step.
 */

/** Waits for the page's main heading to read `text`. */
export async function expectHeading(page: Page, text: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
}

/** axe on the page as it is now, then a screenshot `.run/portal/<lang>/<nn>-<name>.png`. */
export async function checkpoint(page: Page, lang: Lang, name: string): Promise<void> {
  await checkA11y(page);
  await shot(page, lang, name);
}

/**
 * Fills and sends the sign-in form of the page (at `/portal/sign-in`); picks `organization` by its
 * name when the password fits several organisations and the page asks.
 */
export async function submitSignIn(
  page: Page,
  lang: Lang,
  credentials: { email: string; password: string; organizationName?: string },
): Promise<void> {
  await expectHeading(page, portalText(lang, 'auth:signIn.title'));
  await page.getByLabel(fieldLabel(portalText(lang, 'auth:signIn.email'))).fill(credentials.email);
  await page
    .getByLabel(fieldLabel(portalText(lang, 'auth:signIn.password')))
    .fill(credentials.password);
  await page.getByRole('button', { name: portalText(lang, 'auth:signIn.submit') }).click();
  if (credentials.organizationName) {
    await page.getByRole('radio', { name: credentials.organizationName }).check();
    await page.getByRole('button', { name: portalText(lang, 'auth:signIn.submit') }).click();
  }
}

/**
 * A person opens the portal in a fresh browser (language `lang`), is sent to sign in, and signs
 * in; answers the page on the home page (or the password change while the password is temporary).
 */
export async function signInToPortal(
  ctx: StoryContext,
  lang: Lang,
  credentials: { email: string; password: string; organizationName?: string },
): Promise<Page> {
  const page = await newPage(ctx.browser, lang);
  await page.goto(ctx.portalUrl('/'));
  await submitSignIn(page, lang, credentials);
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
  return page;
}

/**
 * A new sign-in address is proved from its emailed link: the newest email to `email` whose link
 * opens identity's verification page, its button pressed.
 */
export async function verifyAddressFromEmail(
  ctx: StoryContext,
  page: Page,
  lang: Lang,
  email: string,
): Promise<void> {
  const received = await ctx.mail.waitForEmailWhere({ to: email }, (candidate) => {
    try {
      return new URL(ctx.mail.linkIn(candidate)).pathname === '/v1/auth/email-verification';
    } catch {
      return false;
    }
  });
  await page.goto(ctx.mail.linkIn(received));
  await checkpoint(page, lang, 'verify-address');
  await page.getByRole('button').first().click();
  await page.waitForLoadState();
  await checkpoint(page, lang, 'address-verified');
}

/**
 * Seed story: "Adatum's admin signs in with the temporary password and changes it". Needs
 * `ctx.record.adatum.admin` (`email`, `temporaryPassword`); sets `admin.password`. The admin
 * first proves the address from the emailed link when the portal says so, is held on the password
 * change (any other page leads back there), chooses a new password, lands on the customer's home
 * page, signs out, and signs in again with the new password.
 */
export async function adatumAdminChangesTemporaryPassword(
  ctx: StoryContext,
  lang: Lang,
): Promise<void> {
  const admin = ctx.record.adatum?.admin;
  if (!admin) throw new Error('The story has no Adatum admin yet (ctx.record.adatum.admin).');
  const page = await newPage(ctx.browser, lang);
  try {
    await page.goto(ctx.portalUrl('/'));
    await submitSignIn(page, lang, { email: admin.email, password: admin.temporaryPassword });
    const unverified = page.getByText(portalText(lang, 'common:apiErrors.auth_email_unverified'));
    const changeHeading = page.getByRole('heading', {
      level: 1,
      name: portalText(lang, 'auth:changePassword.title'),
    });
    await unverified.or(changeHeading).first().waitFor();
    if (await unverified.isVisible()) {
      await checkpoint(page, lang, 'adatum-admin-asked-to-verify');
      await verifyAddressFromEmail(ctx, page, lang, admin.email);
      await page.goto(ctx.portalUrl('/sign-in'));
      await submitSignIn(page, lang, { email: admin.email, password: admin.temporaryPassword });
    }
    await expectHeading(page, portalText(lang, 'auth:changePassword.title'));
    await page.getByText(portalText(lang, 'auth:changePassword.required')).waitFor();
    await checkpoint(page, lang, 'adatum-admin-temporary-password');

    // Any other page leads back to the password change while the password is temporary.
    await page.goto(ctx.portalUrl('/'));
    await expectHeading(page, portalText(lang, 'auth:changePassword.title'));
    if (!page.url().endsWith('/portal/change-password')) {
      throw new Error(`Expected the password change, the browser is at ${page.url()}`);
    }

    const password = strongPassword();
    await page
      .getByLabel(fieldLabel(portalText(lang, 'auth:changePassword.current')))
      .fill(admin.temporaryPassword);
    await page.getByLabel(fieldLabel(portalText(lang, 'auth:changePassword.new'))).fill(password);
    await page
      .getByLabel(fieldLabel(portalText(lang, 'auth:changePassword.confirm')))
      .fill(password);
    await page
      .getByRole('button', { name: portalText(lang, 'auth:changePassword.submit') })
      .click();
    await page.getByText(portalText(lang, 'auth:home.passwordChanged')).waitFor();
    await page.getByText(portalText(lang, 'auth:home.audience.customer')).waitFor();
    await checkpoint(page, lang, 'adatum-admin-password-changed');
    admin.password = password;

    // The new password signs in; the temporary one no longer does.
    await page.getByRole('button', { name: portalText(lang, 'common:signOut') }).click();
    await expectHeading(page, portalText(lang, 'auth:signIn.title'));
    await submitSignIn(page, lang, { email: admin.email, password: admin.temporaryPassword });
    await page.getByText(portalText(lang, 'common:apiErrors.auth_invalid_credentials')).waitFor();
    await page.goto(ctx.portalUrl('/sign-in'));
    await submitSignIn(page, lang, { email: admin.email, password });
    await page.getByText(portalText(lang, 'auth:home.audience.customer')).waitFor();
    await checkpoint(page, lang, 'adatum-admin-signed-in');
  } finally {
    await page.context().close();
  }
}
