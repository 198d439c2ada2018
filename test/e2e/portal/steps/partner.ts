import type { Page } from 'playwright-core';
import { VERIFICATION_PAGE_WORDS } from '../../../../apps/identity/src/enrollment-verification/verification-page';
import { PARTNERSHIP_PAGE_WORDS } from '../../../../apps/relationships/src/partnerships/partnership-invitation-page-i18n';
import { checkA11y, newPage, shot, type Lang } from '../../support/browser';
import type { StoryContext, StoryPartner, StoryPerson } from './story-context';

/**
 * The partner area's part of the seed story (issue 12; seeds 002 and 004), clicking as the
 * people do: Contoso (indirect provider) and Fabrikam (indirect reseller) enroll in the portal and
 * their primary contacts verify through the emailed link; Contoso requests a partnership, reviews
 * the draft and sends it; Fabrikam follows the emailed link and authorizes Contoso; at the end
 * Contoso removes the partnership behind its confirmation. Axe and a screenshot at every step.
 */

/** The strings the steps look for, in the page's language (the portal's partner namespace). */
const TEXT = {
  en: {
    enroll: 'Enroll now',
    enrolled: 'Enrollment received',
    pending: 'Waiting for the primary contact to verify the email address',
    provider: 'Indirect provider',
    reseller: 'Indirect reseller',
    legalName: 'Legal business name',
    mpnId: 'Partner ID (MPN ID)',
    line1: 'Address line 1',
    city: 'City',
    postalCode: 'Postal code',
    country: 'Country or region (two letters, e.g. US, JP)',
    primary: 'Primary contact',
    support: 'Customer support contact',
    account: 'Your work account (Global admin)',
    name: 'Name',
    email: 'Email',
    firstName: 'First name',
    lastName: 'Last name',
    workEmail: 'Work email',
    password: 'Password',
    profile: 'Partner profile',
    active: 'Active',
    requests: 'Partnership requests',
    resellerEmail: "Indirect reseller's email address",
    message: 'Message (optional)',
    review: 'Review the draft',
    draft: 'Draft email message',
    send: 'Send email',
    sentTo: (email: string) => `The partnership request is on its way to ${email}.`,
    accepted: 'Accepted',
    resellers: 'Indirect resellers',
    providers: 'Indirect providers',
    remove: 'Remove partnership',
    removeTitle: (name: string) => `Remove partnership with ${name}?`,
    keeps:
      'Customers associated to the indirect reseller will not be removed. Any delegated admin privileges granted will remain unchanged.',
    noNotice:
      'You must provide legal notice of termination to your customer or partner if your agreement requires it. This tool does not generate notice to the customer or partner.',
    yes: 'Yes',
    removed: (name: string) => `The partnership with ${name} is removed.`,
    emptyResellers: 'No indirect resellers yet.',
    received: 'Received requests',
    pendingTab: 'Pending',
    authorize: 'Authorize indirect provider',
    authorizeTitle: (name: string) => `Authorize ${name} as your indirect provider?`,
    authorizeNote:
      "When you establish a partnership with an indirect provider, you're authorizing them to submit orders and add subscriptions on behalf of your customers, and you're granting them administrator access to your company's work account. After your partnership with the provider has been established, you can remove the provider's administrator access to your work account.",
    authorizeCheck: (name: string) => `I authorize ${name} to be our indirect provider.`,
    authorized: (name: string) => `${name} is now your indirect provider`,
  },
  ja: {
    enroll: '今すぐ登録',
    enrolled: '登録を受け付けました',
    pending: '主要連絡先によるメール アドレスの確認待ち',
    provider: '間接プロバイダー',
    reseller: '間接リセラー',
    legalName: '正式な会社名',
    mpnId: 'パートナー ID (MPN ID)',
    line1: '住所 1 行目',
    city: '市区町村',
    postalCode: '郵便番号',
    country: '国または地域 (2 文字。例: US、JP)',
    primary: '主要連絡先',
    support: '顧客サポートの連絡先',
    account: '職場アカウント (グローバル管理者)',
    name: '名前',
    email: 'メール',
    firstName: '名',
    lastName: '姓',
    workEmail: '職場のメール アドレス',
    password: 'パスワード',
    profile: 'パートナー プロファイル',
    active: '有効',
    requests: 'パートナーシップの要求',
    resellerEmail: '間接リセラーのメール アドレス',
    message: 'メッセージ (省略可)',
    review: '下書きを確認する',
    draft: 'メール メッセージの下書き',
    send: 'メールを送信',
    sentTo: (email: string) => `パートナーシップの要求を ${email} に送信しています。`,
    accepted: '承諾済み',
    resellers: '間接リセラー',
    providers: '間接プロバイダー',
    remove: 'パートナーシップを削除する',
    removeTitle: (name: string) => `${name} とのパートナーシップを削除しますか?`,
    keeps:
      '間接リセラーに関連付けられている顧客は削除されません。付与された代理管理者特権は変更されません。',
    noNotice:
      '契約で必要な場合は、顧客またはパートナーに終了の法的通知を行う必要があります。このツールは顧客またはパートナーへの通知を生成しません。',
    yes: 'はい',
    removed: (name: string) => `${name} とのパートナーシップを削除しました。`,
    emptyResellers: '間接リセラーはまだありません。',
    received: '受信した要求',
    pendingTab: '保留中',
    authorize: '間接プロバイダーを承認',
    authorizeTitle: (name: string) => `${name} を間接プロバイダーとして承認しますか?`,
    authorizeNote:
      '間接プロバイダーとのパートナーシップを確立すると、顧客に代わって注文を送信しサブスクリプションを追加することをプロバイダーに承認し、会社の職場アカウントへの管理者アクセスをプロバイダーに付与することになります。プロバイダーとのパートナーシップが確立された後、職場アカウントへのプロバイダーの管理者アクセスを削除できます。',
    authorizeCheck: (name: string) => `${name} を当社の間接プロバイダーとして承認します。`,
    authorized: (name: string) => `${name} がお客様の間接プロバイダーになりました。`,
  },
} as const;

const exact = (name: string) => ({ name, exact: true });

/** Axe, then a screenshot: at every step. */
async function look(page: Page, lang: Lang, name: string): Promise<void> {
  await checkA11y(page);
  await shot(page, lang, name);
}

/** A Partner ID no other run uses (6–10 digits). */
function partnerId(): string {
  return String(Math.floor(1_000_000_000 + Math.random() * 8_999_999_999));
}

/**
 * Signs `person` in on the portal's sign-in page and waits for the signed-in navigation.
 */
export async function signInAs(
  ctx: StoryContext,
  page: Page,
  person: StoryPerson,
  lang: Lang,
): Promise<void> {
  await page.goto(ctx.portalUrl('/sign-in'));
  await page.getByRole('textbox', { name: /email|メール/i }).fill(person.email);
  await page.getByLabel(/password|パスワード/i).fill(person.password);
  await page.getByRole('button', exact(lang === 'ja' ? 'サインイン' : 'Sign in')).click();
  await page.getByRole('navigation').waitFor();
}

/** Opens the portal's navigation link `name` (the shell's nav for the audience). */
export async function openNav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', exact(name)).click();
}

/**
 * One partner enrolls in the portal (seed 004 "Get started" step 8) and its primary contact
 * verifies the address from the emailed link (the link's page and its button), then signs in and
 * sees the enrollment active on the partner profile.
 */
async function enrollAndVerify(
  ctx: StoryContext,
  lang: Lang,
  who: { key: 'contoso' | 'fabrikam'; name: string; type: 'provider' | 'reseller'; domain: string },
): Promise<StoryPartner> {
  const s = TEXT[lang];
  const suffix = ctx.record.suffix;
  const email = `${who.key}.admin.${lang}.${suffix}@${who.domain}`;
  const partner: StoryPartner = {
    name: `${who.name} ${lang} ${suffix}`,
    email,
    password: `Portal-${suffix}-Passw0rd!`,
    mpnId: partnerId(),
  };
  const page = await newPage(ctx.browser, lang);
  await page.goto(ctx.portalUrl('/enroll'));
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByRole('radio', exact(who.type === 'provider' ? s.provider : s.reseller)).check();
  await page.getByRole('textbox', exact(s.legalName)).fill(partner.name);
  await page.getByRole('textbox', exact(s.mpnId)).fill(partner.mpnId);
  await page.getByRole('textbox', exact(s.line1)).fill('1 Microsoft Way');
  await page.getByRole('textbox', exact(s.city)).fill('Redmond');
  await page.getByRole('textbox', exact(s.postalCode)).fill('98052');
  await page.getByRole('textbox', exact(s.country)).fill('US');
  const primary = page.getByRole('group', exact(s.primary));
  await primary.getByRole('textbox', exact(s.name)).fill(`${who.name} Admin`);
  await primary.getByRole('textbox', exact(s.email)).fill(email);
  const support = page.getByRole('group', exact(s.support));
  await support.getByRole('textbox', exact(s.name)).fill(`${who.name} Support`);
  await support.getByRole('textbox', exact(s.email)).fill(`support.${suffix}@${who.domain}`);
  const account = page.getByRole('group', exact(s.account));
  await account.getByRole('textbox', exact(s.firstName)).fill(who.name.split(' ')[0]);
  await account.getByRole('textbox', exact(s.lastName)).fill('Admin');
  await account.getByRole('textbox', exact(s.workEmail)).fill(email);
  await account.getByLabel(s.password).fill(partner.password);
  await look(page, lang, `${who.key}-enrollment-form`);
  await page.getByRole('button', exact(s.enroll)).click();
  await page.getByRole('heading', exact(s.enrolled)).waitFor();
  await page.getByText(s.pending, { exact: true }).waitFor();
  await page.getByText(email, { exact: false }).first().waitFor();
  await look(page, lang, `${who.key}-enrollment-received`);

  // The primary contact's email (in the enrollment's language) opens its page in that language.
  const verification = await ctx.mail.waitForEmail({ to: email, timeoutMs: 30_000 });
  await page.goto(ctx.mail.linkIn(verification));
  const verifyWords = VERIFICATION_PAGE_WORDS[lang].outcomes;
  await page
    .getByRole('heading', { level: 1, name: verifyWords['confirm.title'], exact: true })
    .waitFor();
  await look(page, lang, `${who.key}-verification-link-page`);
  await page.getByRole('button').click();
  await page.waitForLoadState('domcontentloaded');
  await page
    .getByRole('heading', { level: 1, name: verifyWords['active.title'], exact: true })
    .waitFor();
  await look(page, lang, `${who.key}-address-verified`);

  await signInAs(ctx, page, partner, lang);
  await openNav(page, s.profile);
  await page.getByRole('heading', exact(s.profile)).waitFor();
  await page.getByText(partner.mpnId, { exact: true }).waitFor();
  await page.getByText(s.active, { exact: true }).waitFor();
  await look(page, lang, `${who.key}-profile-active`);
  await page.context().close();
  return partner;
}

/** Story: Contoso (indirect provider) and Fabrikam (indirect reseller) enroll and verify. */
export async function enrollContosoAndFabrikam(ctx: StoryContext, lang: Lang): Promise<void> {
  ctx.record.contoso = await enrollAndVerify(ctx, lang, {
    key: 'contoso',
    name: 'Contoso Distribution',
    type: 'provider',
    domain: 'contoso.example',
  });
  ctx.record.fabrikam = await enrollAndVerify(ctx, lang, {
    key: 'fabrikam',
    name: 'Fabrikam',
    type: 'reseller',
    domain: 'fabrikam.example',
  });
}

/**
 * Story: Contoso requests a partnership (seed 002 steps 1–3: the draft appears, then it is
 * sent), Fabrikam follows the emailed link, signs in on its page, checks the box and selects
 * Authorize indirect provider (seed 004 steps 2–3); each then finds the other on its list.
 */
export async function requestAndAuthorizePartnership(ctx: StoryContext, lang: Lang): Promise<void> {
  const s = TEXT[lang];
  const contoso = need(ctx.record.contoso, 'contoso');
  const fabrikam = need(ctx.record.fabrikam, 'fabrikam');

  const provider = await newPage(ctx.browser, lang);
  await signInAs(ctx, provider, contoso, lang);
  await openNav(provider, s.requests);
  await provider.getByRole('heading', exact(s.requests)).waitFor();
  await provider.getByRole('textbox', exact(s.resellerEmail)).fill(fabrikam.email);
  await provider
    .getByRole('textbox', exact(s.message))
    .fill('Looking forward to growing with you.');
  await look(provider, lang, 'contoso-partnership-request');
  await provider.getByRole('button', exact(s.review)).click();
  await provider.getByRole('heading', exact(s.draft)).waitFor();
  await provider
    .getByText('Looking forward to growing with you.', { exact: false })
    .first()
    .waitFor();
  await look(provider, lang, 'contoso-partnership-draft');
  await provider.getByRole('button', exact(s.send)).click();
  await provider.getByText(s.sentTo(fabrikam.email), { exact: true }).waitFor();
  await look(provider, lang, 'contoso-partnership-sent');

  // Fabrikam's Global admin: the emailed link, its page, sign in, the box, Authorize.
  const invitation = await ctx.mail.waitForEmail({
    to: fabrikam.email,
    subjectIncludes: contoso.name,
    timeoutMs: 30_000,
  });
  const reseller = await newPage(ctx.browser, lang);
  await reseller.goto(ctx.mail.linkIn(invitation));
  // The page is in the request's language (the portal's, in which Contoso sent it).
  const pageWords = PARTNERSHIP_PAGE_WORDS[lang].page;
  await reseller.getByRole('heading', { level: 1, name: pageWords.title, exact: true }).waitFor();
  await reseller.getByText(contoso.name, { exact: false }).first().waitFor();
  await look(reseller, lang, 'fabrikam-partnership-invitation');
  await reseller.getByRole('textbox', { name: /^(Email|メール)/ }).fill(fabrikam.email);
  await reseller.getByLabel(/^(Password|パスワード)/).fill(fabrikam.password);
  await reseller.getByRole('checkbox').check();
  await reseller.getByRole('button').click();
  await reseller.waitForLoadState('domcontentloaded');
  await reseller
    .getByRole('heading', { level: 1, name: pageWords.acceptedTitle, exact: true })
    .waitFor();
  await reseller.getByText(contoso.mpnId, { exact: false }).first().waitFor();
  await look(reseller, lang, 'fabrikam-authorized-contoso');

  await signInAs(ctx, reseller, fabrikam, lang);
  await openNav(reseller, s.providers);
  await reseller.getByRole('cell', exact(contoso.name)).waitFor();
  await look(reseller, lang, 'fabrikam-indirect-providers');

  await openNav(provider, s.resellers);
  await provider.getByRole('cell', exact(fabrikam.name)).waitFor();
  await look(provider, lang, 'contoso-indirect-resellers');
  await openNav(provider, s.requests);
  await provider.getByRole('tab', exact(s.accepted)).click();
  await provider.getByRole('cell', exact(fabrikam.email)).waitFor();
  await look(provider, lang, 'contoso-requests-accepted');
  await provider.context().close();
  await reseller.context().close();
}

/**
 * Story end: Contoso removes the partnership (seed 002 "Remove partnership": the confirmation
 * says customers stay, delegated admin privileges are unchanged and no notice is sent; Yes);
 * Fabrikam is no longer on its Indirect resellers list, nor Contoso on Fabrikam's providers.
 */
export async function removePartnership(ctx: StoryContext, lang: Lang): Promise<void> {
  const s = TEXT[lang];
  const contoso = need(ctx.record.contoso, 'contoso');
  const fabrikam = need(ctx.record.fabrikam, 'fabrikam');
  const page = await newPage(ctx.browser, lang);
  await signInAs(ctx, page, contoso, lang);
  await openNav(page, s.resellers);
  await page.getByRole('button', exact(`${s.remove}: ${fabrikam.name}`)).click();
  const dialog = page.getByRole('dialog', exact(s.removeTitle(fabrikam.name)));
  await dialog.getByText(s.keeps, { exact: true }).waitFor();
  await dialog.getByText(s.noNotice, { exact: true }).waitFor();
  await look(page, lang, 'contoso-remove-partnership-confirmation');
  await dialog.getByRole('button', exact(s.yes)).click();
  await page.getByText(s.removed(fabrikam.name), { exact: false }).waitFor();
  await page.getByRole('cell', exact(fabrikam.name)).waitFor({ state: 'detached' });
  // The dialog hides the rest of the page (aria-hidden on #root) until it has gone: axe reads the
  // page once it has (a CI run read it while it was closing).
  await dialog.waitFor({ state: 'hidden' });
  await look(page, lang, 'contoso-partnership-removed');
  await page.context().close();

  const reseller = await newPage(ctx.browser, lang);
  await signInAs(ctx, reseller, fabrikam, lang);
  await openNav(reseller, s.providers);
  await reseller.getByRole('table').waitFor();
  await reseller.getByRole('cell', exact(contoso.name)).waitFor({ state: 'detached' });
  await look(reseller, lang, 'fabrikam-providers-after-removal');
  await reseller.context().close();
}

/**
 * Contoso requests the partnership again (after its removal) and Fabrikam's Global admin, signed
 * in to the portal, finds the request on its Partnership requests page (Received, Pending) and
 * authorizes it from the list (seed 004 step 3): the confirmation names Contoso, says what
 * authorizing gives in the seed's words, and its button stays off until the box is checked; then
 * the request moves to Accepted and Contoso is back on Fabrikam's Indirect providers list.
 */
export async function authorizeReceivedRequest(ctx: StoryContext, lang: Lang): Promise<void> {
  const s = TEXT[lang];
  const contoso = need(ctx.record.contoso, 'contoso');
  const fabrikam = need(ctx.record.fabrikam, 'fabrikam');

  const provider = await newPage(ctx.browser, lang);
  await signInAs(ctx, provider, contoso, lang);
  await openNav(provider, s.requests);
  await provider.getByRole('textbox', exact(s.resellerEmail)).fill(fabrikam.email);
  await provider.getByRole('button', exact(s.review)).click();
  await provider.getByRole('heading', exact(s.draft)).waitFor();
  await provider.getByRole('button', exact(s.send)).click();
  await provider.getByText(s.sentTo(fabrikam.email), { exact: true }).waitFor();
  await provider.context().close();

  const reseller = await newPage(ctx.browser, lang);
  await signInAs(ctx, reseller, fabrikam, lang);
  await openNav(reseller, s.requests);
  await reseller.getByRole('heading', exact(s.received)).waitFor();
  await reseller.getByRole('tab', exact(s.pendingTab)).waitFor();
  await reseller.getByRole('cell', exact(contoso.name)).waitFor();
  await reseller.getByRole('cell', exact(contoso.mpnId)).waitFor();
  await look(reseller, lang, 'fabrikam-received-requests');

  await reseller.getByRole('button', exact(`${s.authorize}: ${contoso.name}`)).click();
  const dialog = reseller.getByRole('dialog', exact(s.authorizeTitle(contoso.name)));
  await dialog.getByText(s.authorizeNote, { exact: true }).waitFor();
  const confirm = dialog.getByRole('button', exact(s.authorize));
  expect(await confirm.isDisabled()).toBe(true);
  await dialog.getByRole('checkbox', exact(s.authorizeCheck(contoso.name))).check();
  await look(reseller, lang, 'fabrikam-authorize-received-request');
  await confirm.click();
  await reseller.getByText(s.authorized(contoso.name), { exact: false }).waitFor();
  await reseller.getByRole('cell', exact(contoso.name)).waitFor({ state: 'detached' });
  await reseller.getByRole('tab', exact(s.accepted)).click();
  await reseller.getByRole('cell', exact(contoso.name)).first().waitFor();
  await look(reseller, lang, 'fabrikam-received-request-accepted');

  await openNav(reseller, s.providers);
  // The accepted list (Contoso's two accepted requests) is gone before the providers list is read.
  await reseller.getByRole('heading', exact(s.received)).waitFor({ state: 'detached' });
  await reseller.getByRole('cell', exact(contoso.name)).waitFor();
  await reseller.context().close();
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the story has no ${what} yet (run its step first)`);
  return value;
}
