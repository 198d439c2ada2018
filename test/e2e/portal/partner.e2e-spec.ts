import type { Page } from 'playwright-core';
import { checkA11y, shot, type Lang } from '../support/browser';
import { createStoryContext, newPage, type StoryContext } from './steps/story-context';
import {
  authorizeReceivedRequest,
  enrollContosoAndFabrikam,
  openNav,
  signInAs,
  removePartnership,
  requestAndAuthorizePartnership,
} from './steps/partner';

/**
 * The partner pages in a real browser (issue 12; seeds 002 and 004), once in English and once in
 * Japanese: the story's partner steps (enroll and verify Contoso and Fabrikam, partnership
 * request and authorization, removal of the partnership) and, between them, the pages the story
 * does not pass through: Find a provider, user management (add with the one-time temporary
 * password, change roles, remove), the partner profile's edit and the activity log; and, after the
 * removal, a new request that Fabrikam authorizes from its list of received requests.
 */

const TEXT = {
  en: {
    findProvider: 'Find a provider',
    providerName: 'Provider name',
    search: 'Search',
    users: 'User management',
    addUser: 'Add user',
    firstName: 'First name',
    lastName: 'Last name',
    email: 'Email',
    created: 'User added',
    temporaryPassword: 'Temporary password',
    salesAgent: 'Sales agent',
    helpdeskAgent: 'Helpdesk agent',
    changeRoles: 'Change roles',
    update: 'Update',
    rolesUpdated: (name: string) => `The roles of ${name} are updated.`,
    remove: 'Remove',
    yes: 'Yes',
    removed: (name: string) => `${name} is removed.`,
    profile: 'Partner profile',
    edit: 'Edit profile',
    phone: 'Phone',
    primary: 'Primary contact',
    save: 'Save',
    saved: 'The profile is saved.',
    activity: 'Activity log',
  },
  ja: {
    findProvider: 'プロバイダーを探す',
    providerName: 'プロバイダー名',
    search: '検索',
    users: 'ユーザー管理',
    addUser: 'ユーザーを追加',
    firstName: '名',
    lastName: '姓',
    email: 'メール',
    created: 'ユーザーを追加しました',
    temporaryPassword: '一時パスワード',
    salesAgent: '営業担当者',
    helpdeskAgent: 'ヘルプデスク担当者',
    changeRoles: 'ロールを変更',
    update: '更新',
    rolesUpdated: (name: string) => `${name} のロールを更新しました。`,
    remove: '削除',
    yes: 'はい',
    removed: (name: string) => `${name} を削除しました。`,
    profile: 'パートナー プロファイル',
    edit: 'プロファイルを編集',
    phone: '電話番号',
    primary: '主要連絡先',
    save: '保存',
    saved: 'プロファイルを保存しました。',
    activity: 'アクティビティ ログ',
  },
} as const;

const exact = (name: string) => ({ name, exact: true });

async function look(page: Page, lang: Lang, name: string): Promise<void> {
  await checkA11y(page);
  await shot(page, lang, name);
}

/** Fabrikam's admin finds Contoso in the directory of indirect providers. */
async function findContoso(ctx: StoryContext, lang: Lang): Promise<void> {
  const s = TEXT[lang];
  const { contoso, fabrikam } = ctx.record;
  if (!contoso || !fabrikam) throw new Error('enroll first');
  const page = await newPage(ctx.browser, lang);
  await signInAs(ctx, page, fabrikam, lang);
  await openNav(page, s.findProvider);
  await page.getByRole('textbox', exact(s.providerName)).fill(contoso.name);
  await page.getByRole('button', exact(s.search)).click();
  await page.getByRole('cell', exact(contoso.name)).waitFor();
  await page.getByRole('cell', exact(contoso.mpnId)).waitFor();
  expect(await page.getByRole('cell', exact(fabrikam.name)).count()).toBe(0);
  await look(page, lang, 'fabrikam-find-a-provider');
  await page.context().close();
}

/**
 * Contoso's Global admin adds a Sales agent (the temporary password shown once), makes them a
 * Helpdesk agent too, removes them; edits the primary contact's phone; reads the activity log.
 */
async function manageContoso(ctx: StoryContext, lang: Lang): Promise<void> {
  const s = TEXT[lang];
  const { contoso } = ctx.record;
  if (!contoso) throw new Error('enroll first');
  const page = await newPage(ctx.browser, lang);
  await signInAs(ctx, page, contoso, lang);

  await openNav(page, s.users);
  await page.getByRole('button', exact(s.addUser)).click();
  const form = page.getByRole('form', exact(s.addUser));
  const email = `sam.${lang}.${ctx.record.suffix}@contoso.example`;
  await form.getByRole('textbox', exact(s.firstName)).fill('Sam');
  await form.getByRole('textbox', exact(s.lastName)).fill('Sales');
  await form.getByRole('textbox', exact(s.email)).fill(email);
  await form.getByRole('checkbox', exact(s.salesAgent)).check();
  await look(page, lang, 'contoso-add-user');
  await form.getByRole('button', exact(s.addUser)).click();
  await page.getByRole('heading', exact(s.created)).waitFor();
  const shown = await page.locator('dd code').first().textContent();
  expect(shown?.length ?? 0).toBeGreaterThanOrEqual(12);
  await page.getByRole('cell', exact(email)).waitFor();
  await look(page, lang, 'contoso-user-added');

  await page.getByRole('button', exact(`${s.changeRoles}: Sam Sales`)).click();
  const roles = page.getByRole('dialog');
  await roles.getByRole('checkbox', exact(s.helpdeskAgent)).check();
  await look(page, lang, 'contoso-change-roles');
  await roles.getByRole('button', exact(s.update)).click();
  await page.getByText(s.rolesUpdated('Sam Sales'), { exact: true }).waitFor();
  const row = page.getByRole('row').filter({ hasText: email });
  await row.getByText(`${s.salesAgent}, ${s.helpdeskAgent}`, { exact: false }).waitFor();

  await page.getByRole('button', exact(`${s.remove}: Sam Sales`)).click();
  await page.getByRole('dialog').getByRole('button', exact(s.yes)).click();
  await page.getByText(s.removed('Sam Sales'), { exact: true }).waitFor();
  await page.getByRole('cell', exact(email)).waitFor({ state: 'detached' });
  await look(page, lang, 'contoso-user-removed');

  await openNav(page, s.profile);
  await page.getByRole('button', exact(s.edit)).click();
  await page
    .getByRole('group', exact(s.primary))
    .getByRole('textbox', exact(s.phone))
    .fill('+1 425 555 0199');
  await look(page, lang, 'contoso-edit-profile');
  await page.getByRole('button', exact(s.save)).click();
  await page.getByText(s.saved, { exact: true }).waitFor();
  await page.getByText('+1 425 555 0199', { exact: false }).waitFor();

  await openNav(page, s.activity);
  await page.getByRole('cell', exact('user.created')).first().waitFor();
  await page.getByRole('cell', exact('partner_profile.updated')).first().waitFor();
  await look(page, lang, 'contoso-activity-log');
  await page.context().close();
}

// One language per area spec (the seed story plays every step in both): this area's pages in
// Japanese; the i18n unit test holds every key of both languages.
describe.each(['ja'] as const)('partner pages in the browser (%s)', (lang) => {
  let ctx: StoryContext & { close(): Promise<void> };

  beforeAll(async () => {
    ctx = await createStoryContext();
  }, 60_000);
  afterAll(async () => {
    await ctx?.close();
  });

  it('Contoso (indirect provider) and Fabrikam (indirect reseller) enroll and verify', async () => {
    await enrollContosoAndFabrikam(ctx, lang);
  }, 180_000);

  it('Fabrikam finds Contoso among the indirect providers', async () => {
    await findContoso(ctx, lang);
  }, 120_000);

  it('Contoso requests a partnership and Fabrikam authorizes it from the emailed link', async () => {
    await requestAndAuthorizePartnership(ctx, lang);
  }, 180_000);

  it('Contoso manages its users and profile and reads its activity log', async () => {
    await manageContoso(ctx, lang);
  }, 180_000);

  it('Contoso removes the partnership behind the confirmation', async () => {
    await removePartnership(ctx, lang);
  }, 120_000);

  it('Contoso requests it again and Fabrikam authorizes the received request from its list', async () => {
    await authorizeReceivedRequest(ctx, lang);
  }, 180_000);
});
