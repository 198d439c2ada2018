import { DomainError } from '@app/platform';
import { OFFER_CATALOG, assertQuantity, findOffer, requireOffer } from './offer-catalog';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('offer catalog', () => {
  it('has unique ids and sane ranges', () => {
    const ids = OFFER_CATALOG.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const offer of OFFER_CATALOG) {
      expect(offer.minQuantity).toBeGreaterThanOrEqual(1);
      expect(offer.maxQuantity).toBeGreaterThanOrEqual(offer.minQuantity);
    }
  });

  it('finds offers by id', () => {
    expect(findOffer('office-365-e3')?.name).toBe('Office 365 E3');
    expect(findOffer('nope')).toBeNull();
  });

  it('refuses an unknown offer with 400 subscription.unknown_offer', () => {
    const error = errorOf(() => requireOffer('nope'));
    expect(error.code).toBe('subscription.unknown_offer');
    expect(error.status).toBe(400);
  });

  it('accepts quantities within the range, bounds included', () => {
    const offer = requireOffer('microsoft-365-business-basic');
    expect(() => assertQuantity(offer, 1)).not.toThrow();
    expect(() => assertQuantity(offer, 300)).not.toThrow();
  });

  it.each([0, -1, 301, 2.5, Number.NaN])('refuses quantity %p with 400', (quantity) => {
    const offer = requireOffer('microsoft-365-business-basic');
    const error = errorOf(() => assertQuantity(offer, quantity));
    expect(error.code).toBe('subscription.invalid_quantity');
    expect(error.status).toBe(400);
  });
});
