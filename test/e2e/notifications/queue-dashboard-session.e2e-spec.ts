import request from 'supertest';
import {
  api,
  bearer,
  enrollPartner,
  eventually,
  expectApiError,
  expectStatus,
  signIn,
  system,
  uniqueName,
  type EnrolledPartner,
  type SignedIn,
} from '../support';

/**
 * The queue dashboard opened from the operator's portal session (issue 12: bull-board accepted only
 * a bearer header, which a browser never sends): the portal mints a single-use ticket with its
 * bearer (`POST /v1/queue-dashboard/tickets`), the browser opens the ticket's link, which sets an
 * HttpOnly, Secure, SameSite=Strict cookie scoped to `/admin/queues` and redirects to the
 * dashboard; the cookie is checked with the operator's access token on every request.
 */

interface Ticket {
  url: string;
  expiresAt: string;
}

/** The ticket's link on the test system's address of notifications. */
function linkOf(ticket: Ticket): string {
  const url = new URL(ticket.url);
  return `${url.pathname}${url.search}`;
}

/** The `name=value` of the dashboard's session cookie in a `Set-Cookie` answer. */
function sessionCookieOf(setCookie: string[] | string | undefined): string {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const cookie = cookies.find((c) => c.startsWith('queue_dashboard_session='));
  if (!cookie) throw new Error(`No dashboard session cookie in ${JSON.stringify(cookies)}`);
  return cookie;
}

describe('the queue dashboard opened from the portal with a single-use ticket', () => {
  const dashboard = () => request(system().urls.notifications);
  let partner: EnrolledPartner;

  beforeAll(async () => {
    partner = await enrollPartner({
      partnerType: 'indirect_provider',
      name: uniqueName('Contoso Dashboard Check'),
    });
  });

  it('mints tickets for the operator only', async () => {
    expectApiError(
      await api('notifications').post('/v1/queue-dashboard/tickets'),
      401,
      'auth.unauthenticated',
      'notifications',
    );
    expectApiError(
      await api('notifications').post('/v1/queue-dashboard/tickets').set(bearer(partner.token)),
      403,
      'auth.forbidden',
      'notifications',
    );
  });

  it('exchanges a ticket once for a Secure, HttpOnly, SameSite=Strict cookie scoped to the dashboard, which opens it until the operator signs out', async () => {
    const operator = (await signIn(
      system().operator.email,
      system().operator.password,
    )) as SignedIn & {
      refreshToken: string;
    };
    const ticket = expectStatus<Ticket>(
      await api('notifications')
        .post('/v1/queue-dashboard/tickets')
        .set(bearer(operator.accessToken)),
      201,
    );
    expect(new URL(ticket.url).pathname).toBe('/admin/queues/session');
    expect(new URL(ticket.url).searchParams.get('ticket')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(ticket.expiresAt)).toBeGreaterThan(Date.now());

    const exchanged = await dashboard().get(linkOf(ticket)).redirects(0);
    expect(exchanged.status).toBe(303);
    expect(exchanged.headers.location).toBe('/admin/queues');
    const setCookie = sessionCookieOf(exchanged.headers['set-cookie']);
    expect(setCookie).toMatch(/; Path=\/admin\/queues(;|$)/);
    expect(setCookie).toMatch(/; HttpOnly(;|$)/);
    expect(setCookie).toMatch(/; Secure(;|$)/);
    expect(setCookie).toMatch(/; SameSite=Strict(;|$)/);
    expect(setCookie).toMatch(/; Max-Age=\d+/);
    const cookie = setCookie.split(';')[0];

    // The cookie opens the dashboard's page and its API, as a bearer header would.
    const page = await dashboard().get('/admin/queues').set('Cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const queues = expectStatus<{ queues: { name: string }[] }>(
      await dashboard().get('/admin/queues/api/queues').set('Cookie', cookie),
      200,
    );
    expect(queues.queues.map((q) => q.name)).toContain('notifications');

    // Single use: the same link again is refused, and sets no cookie.
    const again = await dashboard().get(linkOf(ticket)).redirects(0);
    expectApiError(again, 401, 'queue_dashboard.ticket_invalid', 'notifications');
    expect(again.headers['set-cookie']).toBeUndefined();
    // A forged ticket or session is refused.
    expectApiError(
      await dashboard().get(`/admin/queues/session?ticket=${'x'.repeat(43)}`),
      401,
      'queue_dashboard.ticket_invalid',
      'notifications',
    );
    expectApiError(
      await dashboard()
        .get('/admin/queues')
        .set('Cookie', `queue_dashboard_session=${'y'.repeat(43)}`),
      401,
      'auth.unauthenticated',
      'notifications',
    );

    // Signing out revokes the access token the session holds: the cookie stops working.
    expectStatus(
      await api('identity').post('/v1/auth/sign-out').send({ refreshToken: operator.refreshToken }),
      204,
    );
    await eventually('the dashboard session ends with its access token', async () =>
      (await dashboard().get('/admin/queues/api/queues').set('Cookie', cookie)).status === 401
        ? true
        : undefined,
    );
  });
});
