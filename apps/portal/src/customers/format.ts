import { useTranslation } from 'react-i18next';

/** Dates and numbers in the viewer's language, through `Intl` (issue 12). */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? i18n.language ?? 'en';
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const number = new Intl.NumberFormat(locale);
  return {
    date: (iso: string | null | undefined) => (iso ? date.format(new Date(iso)) : '—'),
    dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—'),
    number: (n: number) => number.format(n),
  };
}
