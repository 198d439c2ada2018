import { system } from '../system';

/**
 * The invitation pages' forms as a browser (or a mail scanner) reaches them, without the page
 * parsing of test/e2e/relationships/invitation-pages.e2e-spec.ts: a `GET` of a link, and a form
 * `POST` (`application/x-www-form-urlencoded`) to a page's action.
 */

/** An HTML answer: its status and text. */
export interface PageAnswer {
  status: number;
  html: string;
  /** The `Allow` header (a 405's list of methods), if any. */
  allow: string | null;
}

/** The acceptance pages of relationships, by invitation kind. */
export const INVITATION_PAGES = {
  partnership: '/invitations/partnership',
  'reseller-relationship': '/invitations/reseller-relationship',
} as const;

/** `GET` (or `HEAD`) of `url` as a browser or a link scanner follows it. */
export async function fetchPage(url: string, method: 'GET' | 'HEAD' = 'GET'): Promise<PageAnswer> {
  const response = await fetch(url, { method, headers: { accept: 'text/html' } });
  return {
    status: response.status,
    html: method === 'HEAD' ? '' : await response.text(),
    allow: response.headers.get('allow'),
  };
}

/** Posts an acceptance form of `kind` with `fields` (token, email, password and the kind's boxes). */
export async function postInvitationForm(
  kind: keyof typeof INVITATION_PAGES,
  fields: Record<string, string>,
): Promise<PageAnswer> {
  const response = await fetch(`${system().urls.relationships}${INVITATION_PAGES[kind]}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
  });
  return {
    status: response.status,
    html: await response.text(),
    allow: response.headers.get('allow'),
  };
}
