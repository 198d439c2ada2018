import { findOffer } from '../offer-catalog';
import { Subscription } from '../subscription.entity';
import type { TenantSnapshot } from '@app/contracts';
import type {
  CustomerSubscriptionResponse,
  OfferResponse,
  SubscriptionResponse,
} from './subscription.dto';
import type { Offer } from '../offer-catalog';

/** Partner Center's Subscription shape of a subscription row. */
export function toSubscriptionResponse(row: Subscription): SubscriptionResponse {
  return {
    id: row.id,
    offerId: row.offerId,
    offerName: findOffer(row.offerId)?.name ?? row.offerId,
    quantity: row.quantity,
    unitType: 'Licenses',
    status: row.status,
    partnerId: row.partnerTenantId,
    associatedResellerMpnId: row.associatedResellerMpnId,
    designatedSupportContact: row.designatedSupportContactId
      ? {
          id: row.designatedSupportContactId,
          name: row.designatedSupportContactName ?? '',
          mpnId: row.designatedSupportContactMpnId,
        }
      : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    attributes: { objectType: 'Subscription' },
  };
}

/** A subscription as its customer sees it: with the partner that ordered it. */
export function toCustomerSubscriptionResponse(
  row: Subscription,
  partner: TenantSnapshot | undefined,
): CustomerSubscriptionResponse {
  return {
    ...toSubscriptionResponse(row),
    partner: {
      id: row.partnerTenantId,
      name: partner?.name ?? '',
      mpnId: partner?.partner?.mpnId ?? null,
    },
  };
}

/** An offer of the catalog as the API shows it. */
export function toOfferResponse(offer: Offer): OfferResponse {
  return {
    id: offer.id,
    name: offer.name,
    minQuantity: offer.minQuantity,
    maxQuantity: offer.maxQuantity,
    unit: offer.unit,
    attributes: { objectType: 'Offer' },
  };
}
