import { operatorReservedFields } from './operator-reserved';

describe('operatorReservedFields (seed 002 step 1, seed 004 step 8)', () => {
  it('lets a partner change its address, primary contact name and phone, support contact', () => {
    expect(
      operatorReservedFields('indirect_reseller', {
        address: { addressLine1: '1 Main St', city: 'Redmond', postalCode: '98052' },
        primaryContact: { name: 'Ada', phone: '+1 425 555 0100' },
        supportContact: { email: 'support@fabrikam.example' },
      }),
    ).toEqual([]);
  });

  it('lets a partner change its primary contact email (verified before it takes over)', () => {
    expect(
      operatorReservedFields('indirect_reseller', {
        primaryContact: { email: 'new@fabrikam.example' },
      }),
    ).toEqual([]);
  });

  it('reserves legal name, MPN ID, country, cloud and partner type', () => {
    expect(
      operatorReservedFields('direct', {
        legalBusinessName: 'X',
        mpnId: '1234567',
        country: 'US',
        cloud: 'public',
        partnerType: 'indirect_provider',
        address: { addressLine1: 'a', city: 'b', postalCode: 'c', country: 'DE' },
      }),
    ).toEqual(['legalBusinessName', 'mpnId', 'country', 'cloud', 'partnerType', 'address.country']);
  });

  it("reserves an indirect provider's directory listing (support contact)", () => {
    expect(
      operatorReservedFields('indirect_provider', { supportContact: { name: 'Desk' } }),
    ).toEqual(['supportContact']);
  });
});
