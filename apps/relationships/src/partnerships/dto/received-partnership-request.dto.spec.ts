import { Invitation } from '../../invitations/invitation.entity';
import {
  AcceptReceivedPartnershipRequestSchema,
  ReceivedPartnershipRequestQuerySchema,
  toReceivedPartnershipRequest,
} from './received-partnership-request.dto';

describe('received partnership requests: query and body', () => {
  it('takes the page and one of the two listed statuses', () => {
    expect(ReceivedPartnershipRequestQuerySchema.parse({ size: '5', status: 'accepted' })).toEqual({
      size: 5,
      status: 'accepted',
    });
    expect(ReceivedPartnershipRequestQuerySchema.parse({})).toEqual({ size: 100 });
  });

  it.each([{ status: 'revoked' }, { status: 'expired' }, { mine: 'true' }, { size: '0' }])(
    'refuses %p',
    (query) => {
      expect(ReceivedPartnershipRequestQuerySchema.safeParse(query).success).toBe(false);
    },
  );

  it('reads a missing body as no authorization and refuses other fields (the token)', () => {
    expect(AcceptReceivedPartnershipRequestSchema.parse(undefined)).toEqual({
      authorize: undefined,
    });
    expect(AcceptReceivedPartnershipRequestSchema.parse({ authorize: true })).toEqual({
      authorize: true,
    });
    expect(
      AcceptReceivedPartnershipRequestSchema.safeParse({ authorize: true, token: 'x' }).success,
    ).toBe(false);
  });
});

describe('toReceivedPartnershipRequest', () => {
  const now = new Date('2026-12-05T10:00:00.000Z');
  const invitation = Object.assign(new Invitation(), {
    kind: 'partnership' as const,
    partnerTenantId: '11111111-1111-4111-8111-111111111111',
    email: 'admin@fabrikam.example',
    inviterName: 'Connie Contoso',
    customMessage: null,
    status: 'pending' as const,
    expiresAt: new Date('2026-12-12T10:00:00.000Z'),
    createdAt: new Date('2026-12-05T09:00:00.000Z'),
  });

  it('shows who asks, never the token, and the provider empty when identity no longer knows it', () => {
    const shown = toReceivedPartnershipRequest(invitation, undefined, now);
    expect(shown).toEqual({
      id: invitation.id,
      status: 'pending',
      email: 'admin@fabrikam.example',
      provider: {
        tenantId: invitation.partnerTenantId,
        name: '',
        mpnId: '',
        country: '',
      },
      inviter: { name: 'Connie Contoso' },
      customMessage: null,
      createdAt: '2026-12-05T09:00:00.000Z',
      expiresAt: '2026-12-12T10:00:00.000Z',
      acceptedAt: null,
      attributes: { objectType: 'ReceivedPartnershipRequest' },
    });
    expect(JSON.stringify(shown)).not.toContain('token');
  });

  it('says accepted, with when, for an accepted request', () => {
    const accepted = Object.assign(new Invitation(), invitation, {
      status: 'accepted' as const,
      acceptedAt: new Date('2026-12-05T09:30:00.000Z'),
    });
    expect(toReceivedPartnershipRequest(accepted, undefined, now)).toMatchObject({
      status: 'accepted',
      acceptedAt: '2026-12-05T09:30:00.000Z',
    });
  });
});
