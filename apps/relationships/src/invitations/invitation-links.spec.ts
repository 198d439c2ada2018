import { invitationLink } from './invitation-links';

const bases = {
  PARTNER_PORTAL_URL: 'https://partners.example.com/',
  CUSTOMER_ACCEPT_URL_PUBLIC: 'https://admin.example.com/partners/accept',
  CUSTOMER_ACCEPT_URL_US_GOV: 'https://portal.gov.example.us/accept',
  CUSTOMER_ACCEPT_URL_GERMANY: 'https://portal.example.de/accept?lang=de',
};

describe('invitationLink', () => {
  it('sends a reseller to the partner portal page, whatever the cloud', () => {
    expect(invitationLink(bases, 'partnership', 'us-gov', 'abc_-123')).toBe(
      'https://partners.example.com/invitations/partnership?token=abc_-123',
    );
  });

  it('sends a public-cloud customer to the admin center', () => {
    expect(invitationLink(bases, 'reseller-relationship', 'public', 'tok')).toBe(
      'https://admin.example.com/partners/accept?token=tok',
    );
  });

  it('sends national-cloud customers to their national admin portal', () => {
    expect(invitationLink(bases, 'reseller-relationship', 'us-gov', 'tok')).toBe(
      'https://portal.gov.example.us/accept?token=tok',
    );
    expect(invitationLink(bases, 'reseller-relationship', 'germany', 'tok')).toBe(
      'https://portal.example.de/accept?lang=de&token=tok',
    );
  });

  it('encodes the token', () => {
    expect(invitationLink(bases, 'reseller-relationship', 'public', 'a+b/c=')).toBe(
      'https://admin.example.com/partners/accept?token=a%2Bb%2Fc%3D',
    );
  });
});
