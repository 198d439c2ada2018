import type { HelperOptions } from 'handlebars';
import { LOCALES, Locale } from '@app/contracts';

type HandlebarsEnv = typeof import('handlebars');

/** Names of the helpers the templates may call (compiled with `knownHelpersOnly`). */
export const HELPER_NAMES = [
  'eq',
  'date',
  'htmlLines',
  'url',
  'messageHtml',
  'messageText',
] as const;

const DATE_FORMATS: Record<Locale, { format: Intl.DateTimeFormat; zone: string }> = {
  en: {
    format: new Intl.DateTimeFormat('en-US', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'UTC',
      hourCycle: 'h23',
    }),
    zone: ' UTC',
  },
  ja: {
    format: new Intl.DateTimeFormat('ja-JP', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'UTC',
      hourCycle: 'h23',
    }),
    zone: ' (UTC)',
  },
};

function localeOf(options: HelperOptions): Locale {
  const locale = (options.data as { locale?: unknown } | undefined)?.locale;
  return LOCALES.includes(locale as Locale) ? (locale as Locale) : 'en';
}

/** U+2060 WORD JOINER: invisible, no line break, no character of a URL, a domain or an address. */
const WORD_JOINER = '\u2060';

/**
 * Plain text that no mail client turns into a link: a word joiner after every `.`, `:` and `@`
 * followed by a visible character, so that `https://evil.example/x`, `www.evil.example` and
 * `someone@evil.example` read the same but match no client's link detector
 * (`https:⁠//evil.⁠example`).
 * `joiner` is the character itself (text part) or its entity (HTML part, after escaping: the
 * entities Handlebars writes hold none of `.`, `:`, `@`).
 */
export function unlinkable(text: string, joiner: string = WORD_JOINER): string {
  return text.replace(/([.:@])(?=\S)/g, `$1${joiner}`);
}

/** An http(s) URL without whitespace or control characters, else an error. */
export function assertSafeUrl(value: unknown): string {
  if (typeof value !== 'string') throw new Error('url: expected a string');
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(value)) throw new Error('url: whitespace in link');
  const parsed = new URL(value);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error('url: only http and https links');
  }
  return value;
}

/**
 * Register the helpers on an isolated Handlebars instance. Every helper escapes what it returns,
 * or returns a `SafeString` only after escaping the data itself:
 * - `eq a b`: strict equality, for `{{#if (eq status "active")}}`.
 * - `date iso`: an ISO 8601 instant formatted for the render's locale, in UTC
 *   (`December 7, 2026 at 14:00 UTC`, `2026年12月7日 14:00 (UTC)`).
 * - `htmlLines text`: escapes the text, then turns its line breaks into `<br>` (the custom message
 *   in an HTML part).
 * - `url link`: an http(s) link for an `href`, with `& < > " '` escaped (the `=` of a query stays
 *   readable, unlike `{{ }}`, which also escapes `=`).
 * - `messageHtml text`, `messageText text`: an inviter's custom message, plain text in both parts:
 *   escaped (HTML), line breaks kept (`<br>` in HTML), and links in it never made clickable, by us
 *   or by the reader's mail client (`unlinkable`): only the invitation's own link is one.
 */
export function registerHelpers(hb: HandlebarsEnv): void {
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('date', (value: unknown, options: HelperOptions) => {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
      throw new Error('date: expected an ISO 8601 date-time');
    }
    const { format, zone } = DATE_FORMATS[localeOf(options)];
    return `${format.format(new Date(value))}${zone}`;
  });
  hb.registerHelper('htmlLines', (value: unknown) => {
    const text = typeof value === 'string' ? value : '';
    return new hb.SafeString(hb.Utils.escapeExpression(text).replace(/\r\n|\r|\n/g, '<br>\n'));
  });
  hb.registerHelper('messageHtml', (value: unknown) => {
    const text = typeof value === 'string' ? value : '';
    const escaped = unlinkable(hb.Utils.escapeExpression(text), '&#8288;');
    return new hb.SafeString(escaped.replace(/\r\n|\r|\n/g, '<br>\n'));
  });
  hb.registerHelper('messageText', (value: unknown) =>
    unlinkable(typeof value === 'string' ? value : ''),
  );
  hb.registerHelper('url', (value: unknown) => {
    const url = assertSafeUrl(value).replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
    );
    return new hb.SafeString(url);
  });
}
