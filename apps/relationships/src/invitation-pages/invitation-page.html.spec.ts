import {
  partnershipAcceptedPage,
  partnershipInvitationPage,
} from '../partnerships/partnership-invitation-page.html';
import {
  relationshipAcceptedPage,
  relationshipInvitationPage,
} from '../relationship-requests/relationship-invitation-page.html';
import { INVITATION_PAGE_STYLE, escapeHtml, invitationErrorPage } from './invitation-page.html';

describe('invitation page', () => {
  it('escapes every value', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).not.toMatch(/[<>"']/);
    const page = partnershipInvitationPage({
      token: 'tok"><script>alert(1)</script>',
      providerName: '<b>Contoso</b>',
      providerMpnId: '1234567',
      providerCountry: 'US',
      inviterName: 'Ana',
      expiresAt: new Date('2026-11-30T10:00:00.000Z'),
    });
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<b>Contoso</b>');
    expect(page).toContain('&#60;b&#62;Contoso&#60;&#47;b&#62;');
    expect(page).toContain('action="/invitations/partnership/accept"');
  });
});

describe('invitation pages and the Content-Security-Policy', () => {
  const expiresAt = new Date('2026-11-30T10:00:00.000Z');
  const pages = {
    partnership: partnershipInvitationPage({
      token: 't'.repeat(43),
      providerName: 'Contoso',
      providerMpnId: '1234567',
      providerCountry: 'US',
      inviterName: 'Ana',
      expiresAt,
      error: 'Wrong password',
    }),
    partnershipAccepted: partnershipAcceptedPage('Contoso', '1234567'),
    relationship: relationshipInvitationPage({
      token: 't'.repeat(43),
      partnerName: 'Fabrikam',
      partnerMpnId: '7654321',
      providerName: 'Contoso',
      delegatedAdmin: true,
      inviterName: 'Ana',
      expiresAt,
    }),
    relationshipAccepted: relationshipAcceptedPage(['Fabrikam', 'Contoso']),
    error: invitationErrorPage('This invitation link is not valid.'),
  };

  it.each(Object.entries(pages))(
    '%s: only the constant stylesheet the CSP allows by hash, no inline style or script, forms to its own origin',
    (_name, page) => {
      const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
      expect(styles).toEqual([INVITATION_PAGE_STYLE]);
      expect(page).not.toMatch(/\sstyle=|<script|\son[a-z]+=|<img|<link|<iframe/i);
      for (const [, action] of page.matchAll(/<form[^>]*action="([^"]*)"/g)) {
        expect(action).toMatch(/^\/invitations\//);
      }
    },
  );
});
