/**
 * The pages an emailed link opens, fetched and submitted as a browser does (issue 12: their
 * language): the page's status, HTML and visible text, its forms (action and hidden fields), and
 * its language switch.
 */

export interface HtmlPage {
  /** Where the page was opened (its forms' and links' base). */
  url: string;
  status: number;
  html: string;
  /** The visible text: tags removed, entities decoded, whitespace collapsed. */
  text: string;
}

/** The text of HTML with its entities decoded (`&amp;` → `&`, `&#47;` → `/`). */
export function decodeEntities(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

async function pageOf(url: string, response: Response): Promise<HtmlPage> {
  const html = await response.text();
  const body = /<body>([\s\S]*)<\/body>/.exec(html)?.[1] ?? html;
  const text = decodeEntities(body.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  return { url, status: response.status, html, text };
}

/** `GET url` as a browser whose language is `acceptLanguage` (none by default). */
export async function openHtmlPage(url: string, acceptLanguage?: string): Promise<HtmlPage> {
  const headers: Record<string, string> = { accept: 'text/html' };
  if (acceptLanguage) headers['accept-language'] = acceptLanguage;
  return pageOf(url, await fetch(url, { headers }));
}

/** The `index`-th form of the page: its action (absolute) and hidden fields. */
export function htmlFormOf(
  page: HtmlPage,
  index = 0,
): { action: string; hidden: Record<string, string> } {
  const forms = [...page.html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const form = forms[index];
  if (!form) throw new Error(`The page has no form ${index}: ${page.text}`);
  const action = decodeEntities(/action="([^"]*)"/.exec(form[1])?.[1] ?? '');
  const hidden: Record<string, string> = {};
  for (const [, tag] of form[2].matchAll(/<input\b([^>]*type="hidden"[^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    if (name) hidden[name] = decodeEntities(/value="([^"]*)"/.exec(tag)?.[1] ?? '');
  }
  return { action: new URL(action, page.url).toString(), hidden };
}

/** Posts form `index` of `page` with its hidden fields and `fields`, as a browser submits it. */
export async function submitHtmlForm(
  page: HtmlPage,
  fields: Record<string, string> = {},
  index = 0,
): Promise<HtmlPage> {
  const form = htmlFormOf(page, index);
  const response = await fetch(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ ...form.hidden, ...fields }).toString(),
  });
  return pageOf(form.action, response);
}

/** The page's language switch: the URL (absolute) of its link to `lang`. */
export function languageSwitchOf(page: HtmlPage, lang: 'en' | 'ja'): string {
  const nav = /<nav class="lang"[^>]*>([\s\S]*?)<\/nav>/.exec(page.html)?.[1];
  if (!nav) throw new Error(`The page has no language switch: ${page.text}`);
  const href = new RegExp(`<a href="([^"]*)" hreflang="${lang}"`).exec(nav)?.[1];
  if (!href) throw new Error(`The language switch has no link to ${lang}: ${nav}`);
  return new URL(decodeEntities(href), page.url).toString();
}

/** The page, or an error naming what it shows instead when its status is not `status`. */
export function expectHtmlPage(page: HtmlPage, status: number): HtmlPage {
  if (page.status !== status) {
    throw new Error(`Expected a ${status} page, got ${page.status}: ${page.text}`);
  }
  return page;
}

/**
 * Latin words of a Japanese page's text once `data` (names, addresses, codes) is removed, beside
 * `allowed` (the switch's "English", product names): none means no untranslated sentence.
 */
export function latinWordsOf(page: HtmlPage, data: string[], allowed: string[] = []): string[] {
  let text = page.text;
  for (const value of data) text = text.split(value).join(' ');
  const keep = new Set(['English', ...allowed]);
  return (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !keep.has(w));
}
