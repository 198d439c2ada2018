import { linkIn, waitForEmail, waitForEmailWhere, type ReceivedEmail } from '../maildev';

/**
 * The emailed links of identity that open a page whose button (or form) POSTs (issue 9 point 14:
 * a `GET` never changes anything): read the page's form, post it. And a new user's sign-in address
 * verification (issue 9 point 7), which every sign-in of a new user needs first.
 */

/** Subject of the email that verifies a new user's sign-in address (en). */
export const SIGN_IN_VERIFICATION_SUBJECT = 'Verify your email address to sign in';

/** A page's first form: where it posts (absolute) and its hidden fields. */
export interface PageForm {
  action: string;
  fields: Record<string, string>;
}

function decodeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * The first `<form method="post">` of an HTML page at `pageUrl`: its action resolved against the
 * page's URL, and its hidden inputs.
 * @throws Error when the page has no such form.
 */
export function formOf(html: string, pageUrl: string): PageForm {
  const form = /<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`The page has no form: ${html.slice(0, 500)}`);
  const fields: Record<string, string> = {};
  for (const input of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[decodeHtml(input[1])] = decodeHtml(input[2]);
  }
  return { action: new URL(decodeHtml(form[1]), pageUrl).toString(), fields };
}

/** POSTs `fields` url-encoded to `url`, as a browser submits a form. */
export function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
  });
}

/**
 * Opens `link` (GET, expects 200) and submits its page's form with `extra` fields beside the
 * hidden ones, as a person pressing the button; answers the POST's response.
 */
export async function followLinkPage(
  link: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  const page = await fetch(link);
  const html = await page.text();
  if (page.status !== 200) {
    throw new Error(`Opening ${new URL(link).pathname} answered ${page.status}: ${html}`);
  }
  const form = formOf(html, link);
  return postForm(form.action, { ...form.fields, ...extra });
}

/** Like `followLinkPage`, and expects the POST to answer 200; returns its page. */
export async function confirmLinkPage(
  link: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const response = await followLinkPage(link, extra);
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`Confirming ${new URL(link).pathname} answered ${response.status}: ${text}`);
  }
  return text;
}

/** The newest sign-in address verification email to `email` (bounded MailDev poll). */
export function signInVerificationEmail(email: string): Promise<ReceivedEmail> {
  return waitForEmail({ to: email, subjectIncludes: SIGN_IN_VERIFICATION_SUBJECT });
}

/**
 * A new user proves its sign-in address (issue 9 point 7): waits for the verification email to
 * `email`, opens its link and presses the page's button; expects 200. When the address already
 * received such an email earlier (the same person in another organisation) and the new one is not
 * delivered yet, the newest one is that earlier, spent link (410): it waits for another one.
 */
export async function verifySignInEmail(email: string): Promise<void> {
  const tried = new Set<string>();
  for (;;) {
    const received = await waitForEmailWhere(
      { to: email, subjectIncludes: SIGN_IN_VERIFICATION_SUBJECT },
      (candidate) => !tried.has(candidate.id),
    );
    tried.add(received.id);
    const link = linkIn(received);
    const page = await fetch(link);
    if (page.status === 410 && tried.size < 5) continue;
    await confirmLinkPage(link);
    return;
  }
}
