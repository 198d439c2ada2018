import type { Page } from 'playwright-core';
import { checkA11y, shot, type Lang } from '../../support/browser';
import { signInToPortal } from './auth';
import type { StoryContext } from './story-context';

/**
 * The customers area's part of the seed story (issue 12; seeds 000, 001, 002), clicking as the
 * people do, with axe and a screenshot at every step:
 * - Fabrikam (indirect reseller) requests a reseller relationship with delegated admin privileges
 *   from Northwind jointly with Contoso, reviews the draft email, sends it, and sees it pending;
 *   the email arrives in the chosen language with the link the page showed.
 * - Contoso (indirect provider) adds the new customer Adatum for Fabrikam with a subscription
 *   (Fabrikam its reseller of record and designated support contact), and copies the temporary
 *   password shown once.
 * - Fabrikam removes its relationship with Northwind behind the seed's confirmation; Northwind
 *   leaves its customer list.
 */

/** The strings the steps look for, in the page's language (locales/<lang>/customers.json). */
const TEXT = {
  en: {
    customers: 'Customers',
    request: 'Request a reseller relationship',
    customerEmail: "Customer's email address",
    includeDap:
      'Include delegated administration privileges for Azure Active Directory and Office 365',
    jointProvider: 'Also invite for your indirect provider',
    language: 'Language of the email',
    message: 'Your message (optional)',
    review: 'Review the draft email',
    reviewTitle: 'Review the draft email',
    send: 'Send email',
    sent: (email: string) =>
      `The email was sent to ${email}. Its link is personalized to you: it is the one below.`,
    done: 'Done',
    invitations: 'Pending invitations',
    pending: 'Pending',
    addCustomer: 'Add new customer',
    indirectReseller: 'Indirect reseller',
    companyName: 'Company name',
    domainName: 'Domain name',
    checkDomain: 'Check availability',
    domainFree: 'This domain is available.',
    firstName: 'First name',
    lastName: 'Last name',
    email: 'Email address',
    line1: 'Address line 1',
    city: 'City',
    postalCode: 'ZIP/postal code',
    country: 'Country/region (two-letter code, e.g. US, JP)',
    nextSubscriptions: 'Next: Subscriptions',
    addSubscription: 'Add a subscription',
    licenses: 'Number of licenses',
    supportContact: 'Designated support contact',
    agreement: /^The customer has accepted the Microsoft Customer Agreement \(version .+\)$/,
    nextReview: 'Next: Review',
    submit: 'Submit',
    confirmation: 'Confirmation',
    once: "Be sure to make a note of the user account name and password as you can't access this information again after you close this page.",
    userName: 'User account name',
    temporaryPassword: 'Temporary password',
    copyPassword: 'Copy password',
    copied: 'The temporary password was copied to the clipboard.',
    subscriptions: 'Subscriptions',
    searchBy: 'Search by',
    nameStartsWith: 'Company name starts with',
    search: 'Search',
    removeRelationship: 'Remove customer relationship',
    removeTitle: (name: string) => `Remove your relationship with ${name}?`,
    dapStays:
      'If you established a relationship with a customer and you remove that relationship, any delegated admin privileges granted will remain unchanged.',
    noNotice:
      'You must provide legal notice of termination to your customer or partner if your agreement requires it. This tool does not generate notice to the customer or partner.',
    remove: 'Remove',
    removed: (name: string) => `Your relationship with ${name} was removed.`,
    noMatch: 'No customer matches this search.',
    backToList: 'Back to Customers',
  },
  ja: {
    customers: '顧客',
    request: '再販業者関係を要求する',
    customerEmail: '顧客のメール アドレス',
    includeDap: 'Azure Active Directory と Office 365 の委任された管理特権を含める',
    jointProvider: '間接プロバイダーと同時に招待する',
    language: 'メールの言語',
    message: 'メッセージ (省略可能)',
    review: 'メールの下書きを確認',
    reviewTitle: 'メールの下書きを確認する',
    send: 'メールを送信',
    sent: (email: string) =>
      `${email} にメールを送信しました。リンクはお客様専用で、下に表示されているものです。`,
    done: '完了',
    invitations: '保留中の招待',
    pending: '保留中',
    addCustomer: '新しい顧客を追加',
    indirectReseller: '間接リセラー',
    companyName: '会社名',
    domainName: 'ドメイン名',
    checkDomain: '使用可能か確認',
    domainFree: 'このドメインは使用できます。',
    firstName: '名',
    lastName: '姓',
    email: 'メール アドレス',
    line1: '住所 1 行目',
    city: '市区町村',
    postalCode: '郵便番号',
    country: '国/地域 (2 文字のコード。例: US、JP)',
    nextSubscriptions: '次へ: サブスクリプション',
    addSubscription: 'サブスクリプションを追加',
    licenses: 'ライセンス数',
    supportContact: '指定されたサポート連絡先',
    agreement: /^顧客は Microsoft 顧客契約 \(バージョン .+\) に同意しています$/,
    nextReview: '次へ: 確認',
    submit: '送信',
    confirmation: '確認メッセージ',
    once: 'このページを閉じると再びアクセスできないため、ユーザー アカウント名とパスワードを必ず控えてください。',
    userName: 'ユーザー アカウント名',
    temporaryPassword: '一時パスワード',
    copyPassword: 'パスワードをコピー',
    copied: '一時パスワードをクリップボードにコピーしました。',
    subscriptions: 'サブスクリプション',
    searchBy: '検索対象',
    nameStartsWith: '会社名の先頭',
    search: '検索',
    removeRelationship: '顧客関係の削除',
    removeTitle: (name: string) => `${name} との関係を削除しますか?`,
    dapStays:
      '顧客との関係を確立した後にその関係を削除しても、付与された委任された管理者特権は変更されずに残ります。',
    noNotice:
      '契約で必要な場合は、顧客またはパートナーに終了の法的通知を行う必要があります。このツールは、顧客またはパートナーへの通知を生成しません。',
    remove: '削除',
    removed: (name: string) => `${name} との関係を削除しました。`,
    noMatch: 'この検索に一致する顧客はいません。',
    backToList: '顧客一覧に戻る',
  },
} as const;

const exact = (name: string) => ({ name, exact: true });

/** Axe, then a screenshot: at every step. */
async function look(page: Page, lang: Lang, name: string): Promise<void> {
  await checkA11y(page);
  await shot(page, lang, name);
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The story has no ${what} yet: run its step first.`);
  return value;
}

/** Opens the shell's navigation link `name`. */
async function openNav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', exact(name)).click();
}

/** Searches the customer list by company name prefix. */
async function searchByName(page: Page, lang: Lang, prefix: string): Promise<void> {
  const s = TEXT[lang];
  const search = page.getByRole('search');
  await search.getByRole('combobox', exact(s.searchBy)).selectOption('CompanyName');
  await search.getByRole('textbox', exact(s.nameStartsWith)).fill(prefix);
  await search.getByRole('button', exact(s.search)).click();
}

/**
 * Story (seed 000 "Invite a customer to establish a reseller relationship with you and your
 * indirect provider at the same time", seed 001): Fabrikam asks Northwind's admin
 * (`record.northwind.email`, else a new address recorded there) for a reseller relationship with
 * delegated admin privileges jointly with Contoso; the draft is reviewed, then sent; the email
 * arrives in the page's language carrying the link the draft showed; the invitation is pending.
 */
export async function requestJointRelationshipWithNorthwind(
  ctx: StoryContext,
  lang: Lang,
): Promise<void> {
  const s = TEXT[lang];
  const fabrikam = need(ctx.record.fabrikam, 'Fabrikam');
  const contoso = need(ctx.record.contoso, 'Contoso');
  ctx.record.northwind ??= { email: `nina.${lang}.${ctx.record.suffix}@northwind.example` };
  const northwind = ctx.record.northwind;

  const page = await signInToPortal(ctx, lang, fabrikam);
  await openNav(page, s.customers);
  await page.getByRole('heading', { level: 1, ...exact(s.customers) }).waitFor();
  await page.getByRole('link', exact(s.request)).first().click();
  await page.getByRole('heading', { level: 1, ...exact(s.request) }).waitFor();
  await page.getByRole('textbox', exact(s.customerEmail)).fill(northwind.email);
  const dap = page.getByRole('checkbox', exact(s.includeDap));
  if (!(await dap.isChecked())) await dap.check();
  await page.getByRole('combobox', exact(s.jointProvider)).selectOption({ label: contoso.name });
  await page.getByRole('combobox', exact(s.language)).selectOption(lang);
  await page
    .getByRole('textbox', exact(s.message))
    .fill(`${fabrikam.name} and ${contoso.name} look forward to serving you.`);
  await look(page, lang, 'fabrikam-request-reseller-relationship');
  await page.getByRole('button', exact(s.review)).click();

  await page.getByRole('heading', { level: 1, ...exact(s.reviewTitle) }).waitFor();
  const draftText = await page.locator('pre').innerText();
  const link = /https?:\/\/\S+/.exec(draftText)?.[0];
  if (!link) throw new Error(`The draft shows no link:\n${draftText}`);
  if (!draftText.includes(fabrikam.name) || !draftText.includes(contoso.name)) {
    throw new Error(`The draft does not name both partners:\n${draftText}`);
  }
  await look(page, lang, 'fabrikam-draft-email');
  await page.getByRole('button', exact(s.send)).click();
  await page.getByText(s.sent(northwind.email), { exact: true }).waitFor();
  const sentText = await page.locator('pre').innerText();
  const sentLink = /https?:\/\/\S+/.exec(sentText)?.[0];
  if (!sentLink) throw new Error('The sent draft shows no link.');
  await look(page, lang, 'fabrikam-request-sent');

  const email = await ctx.mail.waitForEmailCarrying(northwind.email, sentLink);
  // The subject the page showed is the delivered one, in the chosen language.
  await page.getByText(email.subject, { exact: true }).waitFor();
  if (!(email.headers['content-language'] ?? '').startsWith(lang)) {
    throw new Error(`The email is in ${email.headers['content-language']}, not ${lang}.`);
  }
  northwind.invitationSubject = email.subject;

  await page.getByRole('button', exact(s.done)).click();
  await page.getByRole('heading', { level: 1, ...exact(s.invitations) }).waitFor();
  const row = page.getByRole('row').filter({ hasText: northwind.email });
  await row.getByText(contoso.name, { exact: true }).waitFor();
  await row.getByText(s.pending, { exact: true }).waitFor();
  await look(page, lang, 'fabrikam-pending-invitations');
  await page.context().close();
}

/**
 * Story (seed 002 "Add new customers and associate them with indirect resellers"): Contoso adds
 * Adatum for Fabrikam with a 25-license subscription (Fabrikam its reseller of record and
 * designated support contact), confirms the customer's acceptance of the Customer Agreement,
 * reviews and submits; the confirmation shows the admin's sign-in name and temporary password
 * once, and Copy password puts it on the clipboard. Recorded in `record.adatum`.
 */
export async function createAdatumWithSubscription(ctx: StoryContext, lang: Lang): Promise<void> {
  const s = TEXT[lang];
  const contoso = need(ctx.record.contoso, 'Contoso');
  const fabrikam = need(ctx.record.fabrikam, 'Fabrikam');
  const suffix = ctx.record.suffix;
  const companyName = `Adatum Corporation ${lang} ${suffix}`;
  const domain = `adatum-${lang}-${suffix}`.toLowerCase();
  const adminEmail = `ada.${lang}.${suffix}@adatum.example`;

  const page = await signInToPortal(ctx, lang, contoso);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(ctx.portalUrl('/')).origin,
  });
  await openNav(page, s.customers);
  await page.getByRole('link', exact(s.addCustomer)).click();
  await page.getByRole('heading', { level: 1, ...exact(s.addCustomer) }).waitFor();
  await page
    .getByRole('combobox', exact(s.indirectReseller))
    .selectOption({ label: fabrikam.name });
  await page.getByRole('textbox', exact(s.companyName)).fill(companyName);
  await page.getByRole('textbox', exact(s.domainName)).fill(domain);
  await page.getByRole('button', exact(s.checkDomain)).click();
  await page.getByText(s.domainFree, { exact: true }).waitFor();
  await page.getByRole('textbox', exact(s.firstName)).fill('Ada');
  await page.getByRole('textbox', exact(s.lastName)).fill('Adatum');
  await page.getByRole('textbox', exact(s.email)).fill(adminEmail);
  await page.getByRole('textbox', exact(s.line1)).fill('1 Microsoft Way');
  await page.getByRole('textbox', exact(s.city)).fill('Redmond');
  await page.getByRole('textbox', exact(s.postalCode)).fill('98052');
  await page.getByRole('textbox', exact(s.country)).fill('US');
  await look(page, lang, 'contoso-new-customer-details');
  await page.getByRole('button', exact(s.nextSubscriptions)).click();

  await page.getByRole('button', exact(s.addSubscription)).click();
  await page.getByRole('spinbutton', exact(s.licenses)).fill('25');
  await page.getByRole('spinbutton', exact(s.licenses)).press('Tab');
  const support = page.getByRole('combobox', exact(s.supportContact));
  await support.selectOption({ label: fabrikam.name });
  await page.getByRole('checkbox', { name: s.agreement }).check();
  await look(page, lang, 'contoso-new-customer-subscription');
  await page.getByRole('button', exact(s.nextReview)).click();
  await page.getByText(companyName, { exact: true }).waitFor();
  await page.getByText(fabrikam.name, { exact: true }).waitFor();
  await look(page, lang, 'contoso-new-customer-review');
  await page.getByRole('button', exact(s.submit)).click();

  await page.getByRole('heading', { level: 1, ...exact(s.confirmation) }).waitFor();
  await page.getByText(s.once, { exact: true }).waitFor();
  const userName = await page.getByRole('textbox', exact(s.userName)).inputValue();
  const temporaryPassword = await page
    .getByRole('textbox', exact(s.temporaryPassword))
    .inputValue();
  if (userName !== adminEmail) throw new Error(`Setup info names ${userName}, not ${adminEmail}.`);
  if (temporaryPassword.length < 8) throw new Error('No temporary password shown.');
  await page.getByRole('button', exact(s.copyPassword)).click();
  await page.getByText(s.copied, { exact: true }).waitFor();
  const clipboard = await page.evaluate<string>('navigator.clipboard.readText()');
  if (clipboard !== temporaryPassword) throw new Error('Copy password copied something else.');
  await look(page, lang, 'contoso-new-customer-setup-info');

  await page.getByRole('button', exact(s.done)).click();
  await page.getByRole('heading', { level: 1, ...exact(companyName) }).waitFor();
  const customerId = new URL(page.url()).pathname.split('/').pop() ?? '';
  const subscription = page.getByRole('row').filter({ hasText: '25' });
  await subscription.getByText(`${fabrikam.name} (${fabrikam.mpnId})`, { exact: true }).waitFor();
  await subscription.getByText(fabrikam.name, { exact: true }).waitFor();
  await look(page, lang, 'contoso-adatum-subscriptions');

  await openNav(page, s.customers);
  await searchByName(page, lang, 'Adatum Corporation');
  await page.getByRole('link', exact(companyName)).waitFor();
  await look(page, lang, 'contoso-customers-search');
  await page.context().close();

  ctx.record.adatum = {
    customerId,
    companyName,
    domain,
    admin: { email: userName, temporaryPassword },
  };
}

/**
 * Story (seed 000 "Remove a relationship with a customer"): Fabrikam opens Northwind from its
 * customer list, selects Remove customer relationship, reads the seed's confirmation (delegated
 * admin privileges stay; no notice is sent) and removes it; back on the list, Northwind is gone.
 */
export async function removeNorthwindRelationship(ctx: StoryContext, lang: Lang): Promise<void> {
  const s = TEXT[lang];
  const fabrikam = need(ctx.record.fabrikam, 'Fabrikam');
  const northwind = need(ctx.record.northwind, 'Northwind');
  const name = need(northwind.companyName, "Northwind's company name (its acceptance)");

  const page = await signInToPortal(ctx, lang, fabrikam);
  await openNav(page, s.customers);
  await searchByName(page, lang, name);
  await page.getByRole('link', exact(name)).click();
  await page.getByRole('heading', { level: 1, ...exact(name) }).waitFor();
  await look(page, lang, 'fabrikam-northwind-account');
  await page.getByRole('button', exact(s.removeRelationship)).click();
  const dialog = page.getByRole('dialog', exact(s.removeTitle(name)));
  await dialog.getByText(s.dapStays, { exact: true }).waitFor();
  await dialog.getByText(s.noNotice, { exact: true }).waitFor();
  // axe reads colours: let the dialog's opening animation finish (bounded by the animations).
  await dialog.evaluate(
    '(el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished))',
  );
  await look(page, lang, 'fabrikam-remove-relationship-confirmation');
  await dialog.getByRole('button', exact(s.remove)).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText(s.removed(name), { exact: true }).waitFor();
  await look(page, lang, 'fabrikam-relationship-removed');
  await page.getByRole('link', exact(s.backToList)).click();
  await page.getByRole('heading', { level: 1, ...exact(s.customers) }).waitFor();
  await searchByName(page, lang, name);
  await page.getByText(s.noMatch, { exact: true }).waitFor();
  await look(page, lang, 'fabrikam-northwind-removed');
  await page.context().close();
}
