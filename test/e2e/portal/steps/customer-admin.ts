import { INVITATION_PAGE_WORDS } from '../../../../apps/relationships/src/invitation-pages/invitation-page-i18n';
import { newPage, portalText, type Lang } from '../../support/browser';
import { strongPassword, uniqueDomainPrefix } from '../../support/data';
import type { StoryContext } from './story-context';
import { checkpoint, expectHeading, signInToPortal } from './auth';

/**
 * The customer admin's steps of the seed story (issue 12), clicking as a person would: Northwind's
 * admin accepts the joint reseller relationship request in the browser from the emailed link
 * (creating Northwind's account from the invitation when it has none), then reviews its partners
 * in the portal and removes a partner's delegated admin privileges. axe and a screenshot at every
 * step (`.run/portal/<lang>/`).
 */

/** Northwind's admin address of this run (the joint request's recipient). */
export function northwindAdminEmail(ctx: StoryContext): string {
  return `nina.${ctx.record.suffix}@northwind.example`;
}

/**
 * Northwind's admin opens the newest reseller relationship invitation in its mailbox (MailDev),
 * reads who asks for what and the Customer Agreement in the email's language; without an account,
 * creates Northwind's from the invitation and proves the address from the verification email;
 * then signs in on the invitation page, accepts the Customer Agreement and authorizes the
 * partners. Records Northwind's admin password.
 */
export async function northwindAcceptsJointRequest(ctx: StoryContext, lang: Lang): Promise<void> {
  const words = INVITATION_PAGE_WORDS[lang];
  const northwind = (ctx.record.northwind ??= { email: northwindAdminEmail(ctx) });
  const email = northwind.email;
  const invitation = await ctx.mail.waitForEmailWhere({ to: email }, (candidate) =>
    candidate.text.includes('/invitations/reseller-relationship?token='),
  );
  const link = ctx.mail.linkIn(invitation);
  const page = await newPage(ctx.browser, lang);
  await page.goto(link);
  await expectHeading(page, words.title);
  // The Customer Agreement's own text and version are on the page.
  await page.getByRole('heading', { level: 2, name: /2026-12/ }).waitFor();
  await checkpoint(page, lang, 'northwind-invitation');

  if (!northwind.password) {
    const password = strongPassword();
    northwind.companyName ??= `Northwind Traders ${ctx.record.suffix}`;
    await page.getByLabel(words.companyName, { exact: true }).fill(northwind.companyName);
    await page
      .getByLabel(words.domainPrefix, { exact: false })
      .fill(uniqueDomainPrefix('northwind'));
    await page.getByLabel(words.firstName, { exact: true }).fill('Nina');
    await page.getByLabel(words.lastName, { exact: true }).fill('Northwind');
    await page.getByLabel(words.addressLine1, { exact: true }).fill('1 Main Street');
    const country = (northwind.country ??= lang === 'ja' ? 'JP' : 'US');
    await page.getByLabel(words.city, { exact: true }).fill(country === 'JP' ? 'Tokyo' : 'Redmond');
    await page
      .getByLabel(words.postalCode, { exact: true })
      .fill(country === 'JP' ? '100-0001' : '98052');
    await page.getByLabel(words.country, { exact: true }).fill(country);
    await page.getByLabel(words.newPassword, { exact: true }).fill(password);
    await checkpoint(page, lang, 'northwind-sign-up-from-invitation');
    await page.getByRole('button', { name: words.signUpButton }).click();
    await expectHeading(page, words.signedUpTitle);
    await checkpoint(page, lang, 'northwind-account-created');
    northwind.password = password;

    // The address is proved from the verification email, in the same browser.
    const verification = await ctx.mail.waitForEmailWhere({ to: email }, (candidate) => {
      try {
        return new URL(ctx.mail.linkIn(candidate)).pathname === '/v1/auth/email-verification';
      } catch {
        return false;
      }
    });
    await page.goto(ctx.mail.linkIn(verification));
    await checkpoint(page, lang, 'northwind-verify-address');
    await page.getByRole('button').first().click();
    await page.waitForLoadState();
    await checkpoint(page, lang, 'northwind-address-verified');
    await page.goto(link);
    await expectHeading(page, words.title);
  }

  await page.getByLabel(words.email, { exact: true }).fill(email);
  await page.getByLabel(words.password, { exact: true }).fill(northwind.password);
  await page.getByRole('checkbox').check();
  await checkpoint(page, lang, 'northwind-accepts');
  await page.getByRole('button', { name: words.acceptButton }).click();
  await expectHeading(page, words.acceptedTitle);
  await checkpoint(page, lang, 'northwind-accepted');
  await page.context().close();
}

/**
 * Northwind's admin signs in to the portal, opens Partners and sees each partner named in
 * `partnerNames` with an active reseller relationship and active delegated admin privileges.
 */
export async function customerAdminReviewsPartners(
  ctx: StoryContext,
  lang: Lang,
  partnerNames: string[],
): Promise<void> {
  const admin = requireNorthwindAdmin(ctx);
  const page = await signInToPortal(ctx, lang, admin);
  await page
    .getByRole('link', { name: portalText(lang, 'customerAdmin:nav.partners') })
    .first()
    .click();
  await expectHeading(page, portalText(lang, 'customerAdmin:partners.title'));
  for (const name of partnerNames) {
    const row = page.getByRole('row').filter({ hasText: name });
    await row
      .getByText(portalText(lang, 'customerAdmin:partners.relationshipActive'), { exact: true })
      .waitFor();
  }
  await checkpoint(page, lang, 'northwind-partners');
  await page
    .getByRole('link', { name: portalText(lang, 'customerAdmin:nav.subscriptions') })
    .first()
    .click();
  await expectHeading(page, portalText(lang, 'customerAdmin:subscriptions.title'));
  await checkpoint(page, lang, 'northwind-subscriptions');
  await page.context().close();
}

/**
 * Northwind's admin removes `partnerName`'s delegated admin privileges: the confirmation says what
 * stays; afterwards the partner's row says they were removed and the relationship is still active.
 */
export async function customerAdminRemovesDelegatedAdmin(
  ctx: StoryContext,
  lang: Lang,
  partnerName: string,
): Promise<void> {
  const admin = requireNorthwindAdmin(ctx);
  const page = await signInToPortal(ctx, lang, admin);
  await page
    .getByRole('link', { name: portalText(lang, 'customerAdmin:nav.partners') })
    .first()
    .click();
  await expectHeading(page, portalText(lang, 'customerAdmin:partners.title'));
  await page
    .getByRole('button', {
      name: portalText(lang, 'customerAdmin:partners.revokeFor', { name: partnerName }),
    })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(portalText(lang, 'customerAdmin:partners.confirmStays')).waitFor();
  await checkpoint(page, lang, 'northwind-remove-delegated-admin');
  await dialog
    .getByRole('button', { name: portalText(lang, 'customerAdmin:partners.confirmRevoke') })
    .click();
  await page
    .getByText(portalText(lang, 'customerAdmin:partners.revoked', { name: partnerName }))
    .waitFor();
  const row = page.getByRole('row').filter({ hasText: partnerName });
  await row
    .getByText(portalText(lang, 'customerAdmin:partners.relationshipActive'), { exact: true })
    .waitFor();
  await checkpoint(page, lang, 'northwind-delegated-admin-removed');
  await page.context().close();
}

function requireNorthwindAdmin(ctx: StoryContext): { email: string; password: string } {
  const northwind = ctx.record.northwind;
  if (!northwind?.password) throw new Error('Northwind has no admin account yet: accept first.');
  return { email: northwind.email, password: northwind.password };
}
