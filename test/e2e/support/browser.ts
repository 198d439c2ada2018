import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { system } from './system';

/**
 * Browser tests of the portal (issue 12): Debian's Chromium (`/usr/bin/chromium`, or
 * `PCP_CHROMIUM`) driven by playwright-core, axe-core on every page, screenshots under
 * `.run/portal/<lang>/` for a person to look at.
 */

/** The portal's languages. */
export type Lang = 'en' | 'ja';

/** Chromium's flags for a headless run on a shared CI machine. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where the screenshots go: `.run/portal/<lang>/<nn>-<name>.png` at the repository root. */
export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', '..', '.run', 'portal');

/** The portal's locale files. */
const LOCALES_DIR = path.resolve(__dirname, '..', '..', '..', 'apps', 'portal', 'src', 'locales');

/** Launches headless Chromium; close it in `afterAll`. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.PCP_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** The portal's URL in the test system: the gateway's `/portal` + `route` (`/sign-in`). */
export function portalUrl(route = '/'): string {
  return `${system().urls.gateway}/portal${route.startsWith('/') ? route : `/${route}`}`;
}

/** The portal's strings of one language: `namespace → nested keys`, read from its locale files. */
const localeCache = new Map<string, Record<string, unknown>>();

/**
 * The portal's text for `key` (`auth:signIn.title`, `common` when no namespace) in `lang`, with
 * `{{placeholders}}` filled from `values`: what a page must show, read from the same locale files
 * the portal bundles (apps/portal/src/locales/<lang>/<ns>.json).
 * @throws Error when the key does not exist.
 */
export function portalText(lang: Lang, key: string, values: Record<string, string> = {}): string {
  const [ns, keyPath] = key.includes(':') ? key.split(':', 2) : ['common', key];
  const file = `${lang}/${ns}`;
  let strings = localeCache.get(file);
  if (!strings) {
    const source = path.join(LOCALES_DIR, lang, `${ns}.json`);
    strings = JSON.parse(readFileSync(source, 'utf8')) as Record<string, unknown>;
    localeCache.set(file, strings);
  }
  const value = keyPath.split('.').reduce<unknown>((node, part) => {
    return node !== null && typeof node === 'object'
      ? (node as Record<string, unknown>)[part]
      : undefined;
  }, strings);
  if (typeof value !== 'string') throw new Error(`No portal string ${lang} ${ns}:${keyPath}`);
  return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => values[name] ?? '');
}

/**
 * A field's label exactly, whether or not it is marked required (Fluent's `Field required` adds a
 * `*` to the label): for `page.getByLabel(fieldLabel('Password'))`.
 */
export function fieldLabel(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\*?$`);
}

/** Problems a page reported while a test used it (console errors, uncaught exceptions, CSP). */
const pageProblems = new WeakMap<Page, string[]>();

/**
 * A new page in a fresh browser context (its own cookies: one person) whose browser language is
 * `lang` (`en-US` / `ja-JP`, also `Accept-Language`). Console errors and uncaught exceptions are
 * collected; {@link checkA11y} fails on them.
 */
export async function newPage(browser: Browser, lang: Lang): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    locale: lang === 'ja' ? 'ja-JP' : 'en-US',
    viewport: { width: 1280, height: 900 },
    // Fluent's motion honours the setting: dialogs appear at once, so what axe reads (contrast) is
    // the page at rest, not a frame of a fade.
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  pageProblems.set(page, problems);
  page.on('console', (message) => {
    if (message.type() === 'error' && !isExpectedHttpError(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return page;
}

/** An API answer the page handles (e.g. a wrong password's 401) logs a resource error: allowed. */
function isExpectedHttpError(text: string): boolean {
  return /^Failed to load resource: the server responded with a status of 4\d\d/.test(text);
}

let axeSource: string | undefined;

/** One axe-core violation, as reported. */
export interface A11yViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core on the page as it is now and fails (naming each rule and element) on any serious
 * or critical violation, or when the page logged an error or an uncaught exception so far.
 * Axe is evaluated through the DevTools protocol, so the page's CSP stays as served.
 */
export async function checkA11y(page: Page): Promise<void> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  // The page at rest: a closed dialog has handed the page back to assistive technology (Fluent
  // lifts `aria-hidden` from the app's root just after the dialog unmounts; still hidden after 3 s
  // is a defect axe reports), and every running animation (a dialog's fade, say) has finished.
  await page
    .waitForFunction(
      () => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } })
          .document;
        return (
          doc.querySelector('[role="dialog"], [role="alertdialog"]') !== null ||
          doc.querySelector('#root[aria-hidden="true"]') === null
        );
      },
      undefined,
      { timeout: 3000 },
    )
    .catch(() => undefined);

  await page.evaluate(() =>
    Promise.all(
      (
        globalThis as unknown as { document: { getAnimations(): { finished: Promise<unknown> }[] } }
      ).document
        .getAnimations()
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  const violations: A11yViolation[] = await page.evaluate(async () => {
    interface Found {
      id: string;
      impact?: string | null;
      help: string;
      nodes: { target: unknown[] }[];
    }
    const inPage = globalThis as unknown as {
      axe: { run: (context: unknown, options: unknown) => Promise<{ violations: Found[] }> };
      document: unknown;
    };
    // Fluent's focus management (tabster) puts focusable, aria-hidden `<i data-tabster-dummy>`
    // sentinels around arrow-key groups and dialogs, on purpose (they pass focus on at once):
    // not content, so axe leaves them out.
    const result = await inPage.axe.run(
      { exclude: [['[data-tabster-dummy]']] },
      { resultTypes: ['violations'] },
    );
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  const serious = violations.filter((v) => ['serious', 'critical'].includes(v.impact ?? ''));
  const problems = pageProblems.get(page) ?? [];
  const report = [
    ...serious.map((v) => `axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.join(', ')})`),
    ...problems,
  ];
  if (report.length > 0) {
    throw new Error(`${page.url()}:\n${report.join('\n')}`);
  }
}

/**
 * Saves a full-page screenshot as `.run/portal/<lang>/<nn>-<name>.png`, `nn` the next number in
 * that folder (two digits or more), and answers its path.
 */
export async function shot(page: Page, lang: Lang, name: string): Promise<string> {
  const dir = path.join(SCREENSHOT_DIR, lang);
  mkdirSync(dir, { recursive: true });
  const last = readdirSync(dir)
    .map((file) => /^(\d+)-/.exec(file)?.[1])
    .filter((n): n is string => n !== undefined)
    .reduce((max, n) => Math.max(max, Number(n)), 0);
  const safe = name.replace(/[^A-Za-z0-9_-]+/g, '-').toLowerCase();
  const file = path.join(dir, `${String(last + 1).padStart(2, '0')}-${safe}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
