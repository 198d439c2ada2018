import { useTranslation } from 'react-i18next';

/**
 * Dates, numbers and country names in the viewer's language, through `Intl` (issue 12). An
 * absent date shows as `empty` (the customers area's pages: `—`; the others: nothing).
 */
export function useFormat(empty = '—') {
  const { i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? i18n.language ?? 'en';
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const number = new Intl.NumberFormat(locale);
  const regions = new Intl.DisplayNames([locale], { type: 'region' });
  return {
    /** `Dec 5, 2026` / `2026/12/05`. */
    date: (iso: string | null | undefined) => (iso ? date.format(new Date(iso)) : empty),
    /** The date and the time of day. */
    dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : empty),
    /** A whole number, e.g. `1,000`. */
    number: (n: number) => number.format(n),
    /** A country or region's name from its two-letter code (the code when it has none). */
    country: (code: string) => {
      try {
        return regions.of(code) ?? code;
      } catch {
        return code;
      }
    },
  };
}
