import type { SubscriptionResponse } from './dto/subscription.dto';
import { withoutFormerParties } from './subscriptions.service';

/**
 * A `subscription.updated` event goes to the parties of the subscription after the change: the
 * reseller or support contact it replaced must not be shown to its successor (a co-partner of the
 * same customer).
 */
describe('withoutFormerParties', () => {
  const base: SubscriptionResponse = {
    id: 'sub-1',
    offerId: 'offer',
    offerName: 'Offer',
    friendlyName: 'Offer',
    quantity: 5,
    unitType: 'Licenses',
    status: 'active',
    partnerId: '1111111',
    associatedResellerMpnId: '1111111',
    designatedSupportContact: { id: 'reseller-1', name: 'First Reseller', mpnId: '1111111' },
    creationDate: '2026-12-01T00:00:00.000Z',
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    links: { self: { uri: '/v1/customers/c/subscriptions/sub-1', method: 'GET', headers: [] } },
    attributes: { objectType: 'Subscription', etag: 'tag' },
  };

  it('withholds a replaced associated reseller and support contact', () => {
    const after = {
      ...base,
      partnerId: '2222222',
      associatedResellerMpnId: '2222222',
      designatedSupportContact: { id: 'reseller-2', name: 'Second Reseller', mpnId: '2222222' },
    } as SubscriptionResponse;
    const shown = withoutFormerParties(base, after);
    expect(JSON.stringify(shown)).not.toContain('1111111');
    expect(JSON.stringify(shown)).not.toContain('First Reseller');
    expect(shown.formerPartiesWithheld).toEqual([
      'associatedResellerMpnId',
      'partnerId',
      'designatedSupportContact',
    ]);
    expect(shown.quantity).toBe(5);
  });

  it('keeps the parties that stay, and says nothing is withheld', () => {
    const after = { ...base, quantity: 7 } as SubscriptionResponse;
    const shown = withoutFormerParties(base, after);
    expect(shown).toEqual(base);
  });
});
