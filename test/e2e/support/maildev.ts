import { system } from './system';

/** An email as MailDev received it. */
export interface ReceivedEmail {
  id: string;
  /** The first recipient (lower case). */
  recipient: string;
  /** Every recipient (lower case). */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Header names in lower case, e.g. `message-id`, `content-language`. */
  headers: Record<string, string>;
  /** When MailDev received it. */
  time: Date;
}

interface MailDevEmail {
  id: string;
  time: string;
  subject?: string;
  text?: string;
  html?: string;
  from?: { address: string }[];
  to?: { address: string }[];
  headers?: Record<string, unknown>;
}

export interface EmailQuery {
  /** Recipient address (case-insensitive). */
  to: string;
  /** Part of the subject (case-sensitive). */
  subjectIncludes?: string;
  /** Only emails received at or after this time. */
  since?: Date;
  /** Give up after this many milliseconds (default 15000). */
  timeoutMs?: number;
}

const POLL_INTERVAL_MS = 200;

function toReceived(email: MailDevEmail): ReceivedEmail {
  const to = (email.to ?? []).map((a) => a.address.toLowerCase());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(email.headers ?? {})) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return {
    id: email.id,
    recipient: to[0] ?? '',
    to,
    from: email.from?.[0]?.address ?? '',
    subject: email.subject ?? '',
    text: email.text ?? '',
    html: email.html ?? '',
    headers,
    time: new Date(email.time),
  };
}

/** Every email in the test system's MailDev inbox, oldest first. */
export async function allEmails(): Promise<ReceivedEmail[]> {
  const response = await fetch(`${system().urls.maildev}/api/email`);
  if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
  return ((await response.json()) as MailDevEmail[]).map(toReceived);
}

/** The emails delivered so far to `to` (optionally filtered), oldest first. */
export async function emailsTo(query: Omit<EmailQuery, 'timeoutMs'>): Promise<ReceivedEmail[]> {
  const to = query.to.toLowerCase();
  return (await allEmails()).filter(
    (email) =>
      email.to.includes(to) &&
      (query.subjectIncludes === undefined || email.subject.includes(query.subjectIncludes)) &&
      (query.since === undefined || email.time.getTime() >= query.since.getTime() - 1000),
  );
}

/**
 * Waits (bounded poll over MailDev's `/api/email`) for the newest email to `to` that matches, and
 * returns it.
 * @throws Error naming what arrived for that recipient when nothing matches in time.
 */
export async function waitForEmail(query: EmailQuery): Promise<ReceivedEmail> {
  const deadline = Date.now() + (query.timeoutMs ?? 15000);
  for (;;) {
    const found = await emailsTo(query);
    if (found.length > 0) return found[found.length - 1];
    if (Date.now() >= deadline) {
      const seen = (await allEmails())
        .filter((email) => email.to.includes(query.to.toLowerCase()))
        .map((email) => JSON.stringify(email.subject));
      throw new Error(
        `No email to ${query.to}${query.subjectIncludes ? ` with a subject including ${JSON.stringify(query.subjectIncludes)}` : ''} within ${query.timeoutMs ?? 15000} ms (received for that address: ${seen.join(', ') || 'none'}).`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

function decodeEntities(value: string): string {
  return value
    .replace(/&amp;/g, '&')
    .replace(/&#x3D;/gi, '=')
    .replace(/&#61;/g, '=')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/**
 * The first http(s) link of an email: from its text part, else from the first `href` of its HTML.
 * @throws Error when the email carries no link.
 */
export function linkIn(email: ReceivedEmail): string {
  const inText = /https?:\/\/[^\s<>"')\]]+/.exec(email.text);
  if (inText) return inText[0].replace(/[.,;:]+$/, '');
  const inHtml = /href="(https?:\/\/[^"]+)"/.exec(email.html);
  if (inHtml) return decodeEntities(inHtml[1]);
  throw new Error(`The email "${email.subject}" to ${email.recipient} carries no link.`);
}

/** The `token` query parameter of the first link of an email. */
export function tokenIn(email: ReceivedEmail): string {
  const token = new URL(linkIn(email)).searchParams.get('token');
  if (!token) throw new Error(`The link of "${email.subject}" carries no token.`);
  return token;
}

/**
 * Waits (bounded poll over MailDev) for an email to `query.to` that also satisfies `predicate`
 * (e.g. "not one of the emails seen before", "carries this link") and returns the newest such.
 * @throws Error naming the subjects that did arrive when none matches in time.
 */
export async function waitForEmailWhere(
  query: EmailQuery,
  predicate: (email: ReceivedEmail) => boolean,
): Promise<ReceivedEmail> {
  const deadline = Date.now() + (query.timeoutMs ?? 15000);
  for (;;) {
    const found = (await emailsTo(query)).filter(predicate);
    if (found.length > 0) return found[found.length - 1];
    if (Date.now() >= deadline) {
      const seen = (await emailsTo({ to: query.to })).map((email) => JSON.stringify(email.subject));
      throw new Error(
        `No matching email to ${query.to} within ${query.timeoutMs ?? 15000} ms (received for that address: ${seen.join(', ') || 'none'}).`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** The newest email to `to` carrying `link`: an invitation's (seed 001 step 3, seed 002 step 3). */
export async function waitForEmailCarrying(to: string, link: string): Promise<ReceivedEmail> {
  return waitForEmailWhere({ to }, (email) => email.text.includes(link));
}
