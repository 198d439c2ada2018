/** A date of the API (ISO 8601) in the viewer's language, e.g. `Dec 5, 2026` / `2026/12/05`. */
export function formatDate(value: string | null | undefined, language: string): string {
  if (!value) return '';
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(new Date(value));
}

/** A date and time of the API in the viewer's language. */
export function formatDateTime(value: string | null | undefined, language: string): string {
  if (!value) return '';
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(value),
  );
}

/** A whole number in the viewer's language (e.g. `1,000`). */
export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}
