import { TenantSnapshot } from '@app/contracts';
import { invitationEmail } from './invitation-email';

const partner = (id: string, name: string, mpnId: string): TenantSnapshot => ({
  id,
  kind: 'partner',
  name,
  country: 'US',
  cloud: 'public',
  locale: 'en',
  version: 1,
  partner: {
    partnerType: 'indirect_reseller',
    mpnId,
    status: 'active',
    supportContact: { name: 'Support', email: 'support@example.com', phone: null },
  },
  customer: null,
});

const base = {
  inviterName: 'Ana Inviter',
  customMessage: null,
  delegatedAdmin: true,
  jointProviderTenantId: null,
  expiresAt: new Date('2026-11-30T10:00:00.000Z'),
};
const fabrikam = partner('7b0b7c1e-1111-4a4a-8a8a-000000000001', 'Fabrikam', '1234567');
const contoso = partner('7b0b7c1e-1111-4a4a-8a8a-000000000002', 'Contoso', '7654321');

describe('invitationEmail', () => {
  it('uses partnership-request for a partnership, with the custom message when there is one', () => {
    expect(
      invitationEmail({ ...base, kind: 'partnership', customMessage: 'Hello' }, contoso),
    ).toEqual({
      template: 'partnership-request',
      data: {
        providerName: 'Contoso',
        providerMpnId: '7654321',
        inviterName: 'Ana Inviter',
        customMessage: 'Hello',
        expiresAt: '2026-11-30T10:00:00.000Z',
      },
    });
  });

  it('uses reseller-relationship-request for a plain reseller relationship', () => {
    const email = invitationEmail({ ...base, kind: 'reseller-relationship' }, fabrikam);
    expect(email.template).toBe('reseller-relationship-request');
    expect(email.data).not.toHaveProperty('customMessage');
    expect(email.data).toMatchObject({ partnerName: 'Fabrikam', delegatedAdmin: true });
  });

  it('uses the joint template when an indirect provider is named', () => {
    const email = invitationEmail(
      { ...base, kind: 'reseller-relationship', jointProviderTenantId: contoso.id },
      fabrikam,
      contoso,
    );
    expect(email).toMatchObject({
      template: 'joint-reseller-relationship-request',
      data: { resellerName: 'Fabrikam', providerName: 'Contoso', providerMpnId: '7654321' },
    });
  });
});
