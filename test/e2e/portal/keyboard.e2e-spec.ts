import type { Browser, Page } from 'playwright-core';
import { enrollPartner, uniqueEmail, waitForEmail, type EnrolledPartner } from '../support';
import {
  checkA11y,
  launchBrowser,
  newPage,
  portalText,
  portalUrl,
  shot,
  type Lang,
} from '../support/browser';

/**
 * Keyboard-only use of the portal (issue 12, "Accessible: keyboard-only use works"): an indirect
 * provider's Global admin signs in, reaches Customers, requests a reseller relationship (reviewing
 * the email preview, then sending it), opens the revoke confirmation of the new invitation and
 * cancels it with Escape, and signs out, pressing only keys (Tab, Shift+Tab, Enter, Space, arrow
 * keys, Escape, typing): no mouse, no `click`/`fill` on a locator. At every stop the focused
 * element shows a focus indicator; each page change focuses the new page's heading; the skip link
 * leads to the main content; the dialog keeps focus inside it and gives it back when it closes.
 * One language (English): the i18n unit test holds every key of both languages.
 */

/** What the focused element is, as a keyboard user meets it. */
interface Focused {
  tag: string;
  role: string | null;
  /** Its accessible name, approximately: aria-label, its label's text, or its own text. */
  name: string;
  /** Inside an open dialog (`role="dialog"` / `"alertdialog"`). */
  inDialog: boolean;
  /** `:focus-visible` matches (the browser shows keyboard focus). */
  focusVisible: boolean;
  /** What makes the focus visible, or `null` when nothing does. */
  indicator: string | null;
  /** Its box is on screen (not moved off-screen like a hidden skip link). */
  onScreen: boolean;
}

/**
 * What {@link focused} runs in the page (plain JavaScript: the tests' TypeScript has no DOM
 * types): the focused element as a keyboard user meets it.
 */
const FOCUSED_IN_PAGE = `(() => {
    const doc = document;
    const view = window;
    const el = doc.activeElement;
    if (!el || el === doc.body) {
      return {
        tag: 'body',
        role: null,
        name: '',
        inDialog: false,
        focusVisible: false,
        indicator: null,
        onScreen: false,
      };
    }
    const labelled = el.getAttribute('aria-labelledby');
    const labels = el.labels;
    const name = (
      el.getAttribute('aria-label') ??
      (labelled
        ? labelled
            .split(' ')
            .map((id) => doc.getElementById(id)?.textContent ?? '')
            .join(' ')
        : labels && labels.length > 0
          ? (labels[0].textContent ?? '')
          : (el.textContent ?? ''))
    )
      .replace(/\\s+/g, ' ')
      .replace(/\\s*\\*$/, '')
      .trim();
    // Fluent keeps a transparent outline for Windows' high-contrast mode: not an indicator.
    const transparent = (color) => color === 'transparent' || /, 0\\)$/.test(color);
    const visibleLine = (style, side) =>
      style[\`border\${side}Style\`] !== 'none' &&
      parseFloat(style[\`border\${side}Width\`]) > 0 &&
      !transparent(style[\`border\${side}Color\`]);
    const visibleOutline = (style) =>
      style.outlineStyle !== 'none' &&
      parseFloat(style.outlineWidth) > 0 &&
      !transparent(style.outlineColor);
    const collapsed = (transform) =>
      /^matrix\\(0(\\.0+)?,/.test(transform) ||
      /^matrix\\([^,]+,[^,]+,[^,]+,\\s*0(\\.0+)?,/.test(transform);
    const indicatorOf = (node, own) => {
      const style = view.getComputedStyle(node);
      if (own && visibleOutline(style)) {
        return \`outline on \${node.tagName}\`;
      }
      if (own && style.textDecorationStyle === 'double') {
        return \`double underline on \${node.tagName}\`;
      }
      // Fluent's buttons: an inset ring (box-shadow) in the focus stroke colour.
      if (own && style.boxShadow !== 'none') return \`ring on \${node.tagName}\`;
      for (const pseudo of ['::after', '::before']) {
        const p = view.getComputedStyle(node, pseudo);
        if (p.content === 'none' || collapsed(p.transform)) continue;
        if (visibleOutline(p)) {
          return \`outline on \${node.tagName}\${pseudo}\`;
        }
        if (visibleLine(p, 'Top') || visibleLine(p, 'Bottom')) {
          return \`border on \${node.tagName}\${pseudo}\`;
        }
        // Fluent's selects: a brand-coloured bar drawn as the ::after's background.
        if (p.backgroundImage !== 'none' || !transparent(p.backgroundColor)) {
          return \`bar on \${node.tagName}\${pseudo}\`;
        }
      }
      return null;
    };
    // Fluent draws keyboard focus on the control (buttons: a ring; links: a double underline) or
    // on the field's wrapper (inputs, selects, checkboxes: a line, a bar or a frame drawn by the
    // wrapper's ::after); the browser's own outline elsewhere (the skip link).
    let indicator = indicatorOf(el, true);
    for (let node = el.parentElement, depth = 0; !indicator && node && depth < 2; depth++) {
      indicator = indicatorOf(node, false);
      node = node.parentElement;
    }
    const box = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      role: el.getAttribute('role'),
      name,
      inDialog: el.closest('[role="dialog"], [role="alertdialog"]') !== null,
      focusVisible: el.matches(':focus-visible'),
      indicator,
      onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0 && box.left >= 0,
    };
})()`;

/** Reads the focused element (nothing is changed: reading the page is not using it). */
async function focused(page: Page): Promise<Focused> {
  return page.evaluate<Focused>(FOCUSED_IN_PAGE);
}

/**
 * Fails unless the focused element shows that it has keyboard focus (within a second: Fluent
 * draws some indicators with a short transition).
 */
async function expectVisibleFocus(page: Page): Promise<Focused> {
  let now = await focused(page);
  for (let i = 0; i < 10 && !(now.focusVisible && now.onScreen && now.indicator); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    now = await focused(page);
  }
  expect({ name: now.name, focusVisible: now.focusVisible, onScreen: now.onScreen }).toEqual({
    name: now.name,
    focusVisible: true,
    onScreen: true,
  });
  expect({ name: now.name, indicator: now.indicator }).toEqual({
    name: now.name,
    indicator: expect.any(String),
  });
  return now;
}

/**
 * Presses Tab (Shift+Tab with `back`) until the focused element's name is `name` (and its tag
 * `tag` when given), checking the focus indicator of every stop on the way; fails after `max`.
 */
async function tabTo(
  page: Page,
  name: string | RegExp,
  options: { back?: boolean; tag?: string; max?: number } = {},
): Promise<Focused> {
  const visited: string[] = [];
  for (let i = 0; i < (options.max ?? 40); i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    visited.push(`${now.tag} "${now.name}"`);
    if (now.tag !== 'body') await expectVisibleFocus(page);
    const named = typeof name === 'string' ? now.name === name : name.test(now.name);
    if (named && (!options.tag || now.tag === options.tag)) return now;
  }
  throw new Error(`Tab never reached "${String(name)}"; it visited: ${visited.join(', ')}`);
}

/**
 * Waits until `expression` (JavaScript, read in the page) is true, polling: Playwright's
 * `waitForFunction` with a string evaluates it by `eval` in the page, which the portal's CSP
 * (no `'unsafe-eval'`) refuses.
 */
async function waitInPage(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > deadline) throw new Error(`Still false after ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the page's heading `text` (level 1) has focus, as a page change leaves it. */
async function expectHeadingFocused(page: Page, text: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
  await waitInPage(
    page,
    `document.activeElement?.tagName === 'H1' &&
      document.activeElement.textContent.trim() === ${JSON.stringify(text)}`,
    10_000,
  );
}

/** Types `text` into the focused field, key by key. */
async function type(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
}

describe.each<Lang>(['en'])('portal by keyboard only (%s)', (lang) => {
  const text = (key: string, values?: Record<string, string>) => portalText(lang, key, values);
  let browser: Browser;
  let contoso: EnrolledPartner;
  let page: Page;
  const customerEmail = uniqueEmail('admin', 'keyboard-customer');

  beforeAll(async () => {
    browser = await launchBrowser();
    contoso = await enrollPartner({ partnerType: 'indirect_provider', locale: lang });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('signs in from the skip link and the form, with visible focus', async () => {
    page = await newPage(browser, lang);
    await page.goto(portalUrl('/'));
    await page
      .getByRole('heading', { level: 1, name: text('auth:signIn.title'), exact: true })
      .waitFor();
    // The first Tab of the page is the skip link, shown while it has focus.
    await page.keyboard.press('Tab');
    const skip = await expectVisibleFocus(page);
    expect(skip).toMatchObject({ tag: 'a', name: text('common:skipToContent') });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ tag: 'main' });
    // From the main content on, the form's fields in order.
    await tabTo(page, text('auth:signIn.email'), { tag: 'input', max: 1 });
    await type(page, contoso.email);
    await tabTo(page, text('auth:signIn.password'), { tag: 'input', max: 1 });
    await type(page, contoso.password);
    await tabTo(page, text('auth:signIn.submit'), { tag: 'button', max: 1 });
    await checkA11y(page);
    await shot(page, lang, 'keyboard-sign-in');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
  }, 120_000);

  it('reaches Customers and opens "Request a reseller relationship"', async () => {
    const welcome = text('auth:home.welcome', { name: '' }).trim();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: welcome }).waitFor();
    // The navigation comes before the main content: back from the page's heading.
    await tabTo(page, text('customers:nav.customers'), { back: true, tag: 'a' });
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, text('customers:list.title'));
    await tabTo(page, text('customers:list.requestRelationship'), { tag: 'a', max: 3 });
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, text('customers:request.title'));
  }, 120_000);

  it('fills the request, reviews the email preview and sends it', async () => {
    await tabTo(page, text('customers:request.email'), { tag: 'input' });
    await type(page, customerEmail);
    await tabTo(page, text('customers:request.includeDelegatedAdmin'), { tag: 'input', max: 1 });
    // Space toggles the checkbox: off (the page says what that means), then on again.
    await page.keyboard.press('Space');
    await page.getByText(text('customers:request.withoutDelegatedAdmin')).waitFor();
    await page.keyboard.press('Space');
    await page.getByText(text('customers:request.withDelegatedAdmin')).waitFor();
    // Arrow keys choose the email's language in the select.
    const language = await tabTo(page, text('customers:request.language'), { tag: 'select' });
    expect(language.tag).toBe('select');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate<string>('document.activeElement.value')).toBe('ja');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate<string>('document.activeElement.value')).toBe('en');
    await tabTo(page, text('customers:request.message'), { tag: 'textarea', max: 1 });
    await type(page, 'Keyboard only: welcome aboard.');
    await tabTo(page, text('customers:request.review'), { tag: 'button', max: 1 });
    await page.keyboard.press('Enter');

    // The preview replaces the form: focus goes to its heading, not to the page's top.
    await expectHeadingFocused(page, text('customers:request.reviewTitle'));
    await page.getByText('Keyboard only: welcome aboard.').first().waitFor();
    await page.getByText(text('customers:request.draftOnly', { email: customerEmail })).waitFor();
    await checkA11y(page);
    await shot(page, lang, 'keyboard-email-preview');
    await tabTo(page, text('customers:request.send'), { tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByText(text('customers:request.sent', { email: customerEmail })).waitFor();
    // The sent notice takes the place of the Send button: focus is not lost to the page's top.
    const after = await focused(page);
    expect(after.tag).not.toBe('body');
    const email = await waitForEmail({ to: customerEmail });
    expect(email.text).toContain('Keyboard only: welcome aboard.');
    await tabTo(page, text('customers:request.done'), { tag: 'button' });
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, text('customers:invitations.title'));
  }, 120_000);

  it('opens the revoke confirmation, which keeps focus inside, and cancels it with Escape', async () => {
    const revokeName = text('customers:invitations.revokeTo', { email: customerEmail });
    await tabTo(page, revokeName, { tag: 'button' });
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await waitInPage(
      page,
      `Boolean(document.activeElement?.closest('[role="dialog"], [role="alertdialog"]'))`,
    );
    await expectVisibleFocus(page);
    // Tab and Shift+Tab cycle through the dialog's buttons, never the page behind it.
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      const now = await expectVisibleFocus(page);
      expect({ key, name: now.name, inDialog: now.inDialog }).toEqual({
        key,
        name: now.name,
        inDialog: true,
      });
    }
    await checkA11y(page);
    await shot(page, lang, 'keyboard-confirmation');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Focus comes back to the button that opened the dialog; nothing was revoked.
    await waitInPage(
      page,
      `document.activeElement?.getAttribute('aria-label') === ${JSON.stringify(revokeName)}`,
      5000,
    );
    await expectVisibleFocus(page);
    await page
      .getByRole('row')
      .filter({ hasText: customerEmail })
      .getByText(text('customers:invitationStatus.pending'))
      .waitFor();
  }, 120_000);

  it('signs out from the header', async () => {
    await tabTo(page, text('common:signOut'), { back: true, tag: 'button' });
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, text('auth:signIn.title'));
    await checkA11y(page);
    await shot(page, lang, 'keyboard-signed-out');
  }, 120_000);
});
