import { DomainError } from '@app/platform';
import { DOMAINS as MAINTAINED_FREE_EMAIL_DOMAINS } from 'free-email-domains-list';

/**
 * Web-based mail services whose addresses are refused for a partner's primary contact (seed 004
 * step 8: "We don't accept email addresses from Web-based email services such as Gmail, Yahoo!
 * Mail, iCloud Mail, AOL Mail, or Outlook Mail"; issue 9 point 15): the maintained list of the
 * `free-email-domains-list` package (about 96,000 domains, refreshed weekly upstream; updated with
 * the package) merged with our own list below, which adds what the package lacks (mailbox.org) and
 * keeps the rule whole if the package ever drops a domain. Our list is the one to edit.
 */

/** Exact domains of free web mail services that we list ourselves (beside the package's). */
export const WEBMAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'ymail.com',
  'rocketmail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'aim.com',
  'msn.com',
  'passport.com',
  'proton.me',
  'protonmail.com',
  'protonmail.ch',
  'pm.me',
  'tutanota.com',
  'tuta.io',
  'zoho.com',
  'zohomail.com',
  'mail.com',
  'email.com',
  'gmx.com',
  'gmx.net',
  'gmx.de',
  'web.de',
  't-online.de',
  'freenet.de',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'inbox.ru',
  'bk.ru',
  'list.ru',
  'rambler.ru',
  'qq.com',
  '163.com',
  '126.com',
  'yeah.net',
  'sina.com',
  'naver.com',
  'hanmail.net',
  'daum.net',
  'laposte.net',
  'orange.fr',
  'wanadoo.fr',
  'free.fr',
  'libero.it',
  'virgilio.it',
  'seznam.cz',
  'wp.pl',
  'o2.pl',
  'interia.pl',
  'rediffmail.com',
  'fastmail.com',
  'fastmail.fm',
  'hushmail.com',
  'inbox.com',
  'lycos.com',
  'excite.com',
  'hey.com',
  'mailbox.org',
]);

/**
 * Brands present under many country domains: `yahoo.*`, `hotmail.*`, `live.*`, `outlook.*` and the
 * like match `<brand>.<tld>` and `<brand>.<co|com|ne|or>.<cc>` (yahoo.co.jp, hotmail.co.uk, live.jp).
 */
export const WEBMAIL_BRANDS: ReadonlySet<string> = new Set([
  'yahoo',
  'hotmail',
  'live',
  'outlook',
  'windowslive',
  'aol',
  'gmx',
  'yandex',
]);

/** True when `email` (or a bare domain) is at a web-based mail service. */
export function isWebmailAddress(email: string): boolean {
  const domain = (email.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : email)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
  if (WEBMAIL_DOMAINS.has(domain) || MAINTAINED_FREE_EMAIL_DOMAINS.has(domain)) return true;
  const [brand, ...suffix] = domain.split('.');
  if (!WEBMAIL_BRANDS.has(brand)) return false;
  if (suffix.length === 1) return /^[a-z]{2,3}$/.test(suffix[0]);
  if (suffix.length === 2)
    return /^(co|com|ne|or|net)$/.test(suffix[0]) && /^[a-z]{2}$/.test(suffix[1]);
  return false;
}

/**
 * @throws 400 `enrollment.webmail_primary_contact` (`data.field` names `field`) when `email` is at a
 * web-based mail service: a partner's primary contact must use an address of its organisation.
 */
export function assertNotWebmail(email: string, field: string): void {
  if (isWebmailAddress(email)) {
    throw new DomainError(
      'enrollment.webmail_primary_contact',
      400,
      'The primary contact email address must belong to your organisation: addresses at web-based email services (Gmail, Yahoo! Mail, iCloud Mail, AOL Mail, Outlook.com and the like) are not accepted.',
      { field },
    );
  }
}
