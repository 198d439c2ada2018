import { DomainError } from '@app/platform';

/**
 * An offer of the catalog a partner orders subscriptions from (seed 002 "Add new subscriptions to
 * customer accounts": "select the subscription(s) and enter the number of licenses").
 * Quantities are numbers of licenses, inclusive bounds.
 */
export interface Offer {
  id: string;
  name: string;
  minQuantity: number;
  maxQuantity: number;
  unit: 'licenses';
}

/** The small, fixed offer catalog of this deployment (Microsoft 365 / Office 365 seat offers). */
export const OFFER_CATALOG: readonly Offer[] = [
  {
    id: 'microsoft-365-business-basic',
    name: 'Microsoft 365 Business Basic',
    minQuantity: 1,
    maxQuantity: 300,
    unit: 'licenses',
  },
  {
    id: 'microsoft-365-business-standard',
    name: 'Microsoft 365 Business Standard',
    minQuantity: 1,
    maxQuantity: 300,
    unit: 'licenses',
  },
  {
    id: 'microsoft-365-business-premium',
    name: 'Microsoft 365 Business Premium',
    minQuantity: 1,
    maxQuantity: 300,
    unit: 'licenses',
  },
  {
    id: 'office-365-e1',
    name: 'Office 365 E1',
    minQuantity: 1,
    maxQuantity: 10000,
    unit: 'licenses',
  },
  {
    id: 'office-365-e3',
    name: 'Office 365 E3',
    minQuantity: 1,
    maxQuantity: 10000,
    unit: 'licenses',
  },
  {
    id: 'microsoft-365-e5',
    name: 'Microsoft 365 E5',
    minQuantity: 1,
    maxQuantity: 10000,
    unit: 'licenses',
  },
  {
    id: 'exchange-online-plan-1',
    name: 'Exchange Online (Plan 1)',
    minQuantity: 1,
    maxQuantity: 10000,
    unit: 'licenses',
  },
];

const BY_ID = new Map(OFFER_CATALOG.map((offer) => [offer.id, offer]));

/** The offer with this id, or null. */
export function findOffer(offerId: string): Offer | null {
  return BY_ID.get(offerId) ?? null;
}

/** @throws 400 `subscription.unknown_offer` when the catalog has no such offer. */
export function requireOffer(offerId: string): Offer {
  const offer = findOffer(offerId);
  if (!offer) {
    throw new DomainError(
      'subscription.unknown_offer',
      400,
      `The offer "${offerId}" is not in the catalog.`,
      {
        offerId,
      },
    );
  }
  return offer;
}

/**
 * @throws 400 `subscription.invalid_quantity` when `quantity` is not a whole number of licenses
 * within the offer's range.
 */
export function assertQuantity(offer: Offer, quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < offer.minQuantity || quantity > offer.maxQuantity) {
    throw new DomainError(
      'subscription.invalid_quantity',
      400,
      `The quantity of ${offer.name} must be between ${offer.minQuantity} and ${offer.maxQuantity} licenses.`,
      {
        offerId: offer.id,
        quantity,
        minQuantity: offer.minQuantity,
        maxQuantity: offer.maxQuantity,
      },
    );
  }
}
