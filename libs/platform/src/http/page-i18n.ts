import { DEFAULT_LOCALE, LOCALES, Locale } from '@app/contracts';
import i18next, { type TFunction } from 'i18next';

/**
 * The words of the server-rendered pages an emailed link opens (invitations, address
 * verification, password reset, delegated admin approval), in every page locale, through i18next:
 * one isolated instance per page family, synchronous, English for any missing key. Keys are flat
 * (error codes and outcomes contain dots). Interpolated values are not escaped here: the pages
 * escape every translated string as a whole.
 */

/** The words of one page family in one language: namespace → flat key → text. */
export type PageWords = Record<string, Record<string, string>>;

/** The names of the languages, each in its own language (the pages' language switch). */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', ja: '日本語' };

/**
 * An i18next instance over `words` (one entry per locale, English complete); `defaultNs` is the
 * namespace `t` of `createPageI18n(...).t(locale)` reads.
 */
export function createPageI18n(
  words: Record<Locale, PageWords>,
  defaultNs: string,
): { t(locale: Locale, ns?: string): TFunction } {
  const i18n = i18next.createInstance();
  void i18n.init({
    resources: words,
    lng: DEFAULT_LOCALE,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    ns: Object.keys(words[DEFAULT_LOCALE]),
    defaultNS: defaultNs,
    keySeparator: false,
    nsSeparator: false,
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  return { t: (locale, ns = defaultNs) => i18n.getFixedT(locale, ns) };
}

/**
 * `{ outcome: { title, message } }` as flat keys (`outcome.title`, `outcome.message`), the shape
 * `createPageI18n` reads.
 */
export function flattenWords(
  words: Record<string, Record<string, string>>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [group, entries] of Object.entries(words)) {
    for (const [key, text] of Object.entries(entries)) flat[`${group}.${key}`] = text;
  }
  return flat;
}

/** The supported locale `lang` names (`?lang=ja`), or undefined. */
export function parseLocale(lang: unknown): Locale | undefined {
  const parsed = Locale.safeParse(lang);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The preferred supported language of an `Accept-Language` header (`ja-JP,ja;q=0.9,en;q=0.8` →
 * `ja`), by quality then order; undefined when it names none (or is absent).
 */
export function acceptLanguageLocale(header: string | string[] | undefined): Locale | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return undefined;
  const ranked = value
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), quality: Number.isNaN(quality) ? 0 : quality, index };
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranked) {
    const found = parseLocale(tag.split('-')[0]);
    if (found) return found;
  }
  return undefined;
}

/**
 * The language of a page an emailed link opens: the link's `lang` (the email's language, or the
 * page's language switch) when supported, else `stored` (e.g. the invitation's locale), else the
 * browser's `Accept-Language`, else English.
 */
export function linkPageLocale(
  lang: unknown,
  acceptLanguage: string | string[] | undefined,
  stored?: Locale,
): Locale {
  return parseLocale(lang) ?? stored ?? acceptLanguageLocale(acceptLanguage) ?? DEFAULT_LOCALE;
}

/** `path` with `lang=<locale>` added to its query. */
export function withLangParam(path: string, locale: Locale): string {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${locale}`;
}

/**
 * Why a page family's words are incomplete: a key of English missing in another language, or
 * empty there (a language may have more keys, e.g. an error English leaves to its description), or (outside `sameAllowed`, e.g. product names) identical to English. Empty when
 * complete (the pages' unit tests).
 */
export function translationGaps(
  words: Record<Locale, PageWords>,
  sameAllowed: readonly string[] = [],
): string[] {
  const gaps: string[] = [];
  const english = words[DEFAULT_LOCALE];
  for (const locale of LOCALES.filter((l) => l !== DEFAULT_LOCALE)) {
    for (const [ns, entries] of Object.entries(english)) {
      for (const [key, text] of Object.entries(entries)) {
        const other = words[locale][ns]?.[key];
        if (other === undefined) gaps.push(`${locale} ${ns}:${key} missing`);
        else if (other.trim() === '') gaps.push(`${locale} ${ns}:${key} empty`);
        else if (other === text && !sameAllowed.includes(`${ns}:${key}`)) {
          gaps.push(`${locale} ${ns}:${key} same as English`);
        }
      }
    }
  }
  return gaps;
}

/** Escape text for HTML element content and attribute values. */
function escapeText(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The visible language switch of a page: a link to the same page in each other language
 * (`hrefOf(locale)`, escaped here), in a `nav` labelled `label` (the word "Language" in the page's
 * language). The stylesheet of the pages places `nav.lang`.
 */
export function languageSwitch(
  hrefOf: (locale: Locale) => string,
  locale: Locale,
  label: string,
): string {
  const links = LOCALES.filter((l) => l !== locale).map(
    (l) =>
      `<a href="${escapeText(hrefOf(l))}" hreflang="${l}" lang="${l}">${escapeText(LANGUAGE_NAMES[l])}</a>`,
  );
  return `<nav class="lang" aria-label="${escapeText(label)}">${links.join(' ')}</nav>`;
}
