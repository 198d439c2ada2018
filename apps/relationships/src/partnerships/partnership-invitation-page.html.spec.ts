import { escapeHtml } from '../invitations/invitation-page.html';
import { partnershipInvitationPage } from './partnership-invitation-page.html';

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
