import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import type { Page } from 'playwright-core';
import { newPage, type Lang } from '../../support/browser';
import type { StoryContext } from './story-context';

/**
 * What the portal shows, for the customer-admin and operator steps: the portal's own strings
 * (`apps/portal/src/locales/<lang>/<namespace>.json`) through i18next, so a step finds a control
 * by the name a person reads in that language.
 */
const LOCALES_DIR = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'apps',
  'portal',
  'src',
  'locales',
);
const NAMESPACES = ['common', 'auth', 'customerAdmin', 'operator'] as const;

let translate: Record<Lang, TFunction> | undefined;

function translators(): Record<Lang, TFunction> {
  if (translate) return translate;
  const i18n = i18next.createInstance();
  const resources = Object.fromEntries(
    (['en', 'ja'] as const).map((lang) => [
      lang,
      Object.fromEntries(
        NAMESPACES.map((ns) => [
          ns,
          JSON.parse(readFileSync(path.join(LOCALES_DIR, lang, `${ns}.json`), 'utf8')) as object,
        ]),
      ),
    ]),
  );
  void i18n.init({ resources, lng: 'en', initAsync: false, interpolation: { escapeValue: false } });
  translate = { en: i18n.getFixedT('en'), ja: i18n.getFixedT('ja') };
  return translate;
}

/** The portal's text of `key` (`namespace:path`) in `lang`. @throws when the key is missing. */
export function portalWords(lang: Lang, key: string, values?: Record<string, string>): string {
  const t = translators()[lang];
  const text = t(key, { ...values, defaultValue: '' });
  if (!text) throw new Error(`The portal has no text ${key} in ${lang}.`);
  return text;
}

/**
 * A person opens the portal in a fresh browser (language `lang`), is sent to the sign-in page and
 * signs in with `credentials`; answers the page once it left the sign-in page.
 */
export async function signInToPortal(
  ctx: StoryContext,
  lang: Lang,
  credentials: { email: string; password: string },
): Promise<Page> {
  const page = await newPage(ctx.browser, lang);
  await page.goto(ctx.portalUrl('/'));
  await page
    .getByRole('heading', { level: 1, name: portalWords(lang, 'auth:signIn.title') })
    .waitFor();
  await page.getByLabel(portalWords(lang, 'auth:signIn.email')).fill(credentials.email);
  await page
    .getByLabel(portalWords(lang, 'auth:signIn.password'), { exact: true })
    .fill(credentials.password);
  await page.getByRole('button', { name: portalWords(lang, 'auth:signIn.submit') }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
  return page;
}
