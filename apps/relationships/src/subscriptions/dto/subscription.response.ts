import { entityTag } from '@app/platform';
import type { TenantSnapshot } from '@app/contracts';
import { findOffer } from '../offer-catalog';
import { Subscription } from '../subscription.entity';
import type {
  CustomerSubscriptionResponse,
  OfferResponse,
  SubscriptionResponse,
  SupportContactResponse,
} from './subscription.dto';
import type { Offer } from '../offer-catalog';

/** The entity tag of a subscription's current version (`attributes.etag`, `If-Match`). */
export function subscriptionTag(row: Subscription): string {
  return entityTag('subscription', row.id, row.version);
}

/** Partner Center's relative self link of a subscription (`/customers/{cid}/subscriptions/{id}`). */
export function subscriptionPath(row: Pick<Subscription, 'customerId' | 'id'>): string {
  return `/v1/customers/${row.customerId}/subscriptions/${row.id}`;
}

/** Partner Center's Subscription shape of a subscription row. */
export function toSubscriptionResponse(row: Subscription): SubscriptionResponse {
  const offerName = findOffer(row.offerId)?.name ?? row.offerId;
  const partnerId = row.associatedResellerMpnId ?? row.partnerMpnId;
  return {
    id: row.id,
    offerId: row.offerId,
    offerName,
    friendlyName: row.friendlyName ?? offerName,
    quantity: row.quantity,
    unitType: 'Licenses',
    status: row.status,
    ...(partnerId ? { partnerId } : {}),
    associatedResellerMpnId: row.associatedResellerMpnId,
    designatedSupportContact: row.designatedSupportContactId
      ? {
          id: row.designatedSupportContactId,
          name: row.designatedSupportContactName ?? '',
          mpnId: row.designatedSupportContactMpnId,
        }
      : null,
    creationDate: row.createdAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    links: { self: { uri: subscriptionPath(row), method: 'GET', headers: [] } },
    attributes: { objectType: 'Subscription', etag: subscriptionTag(row) },
  };
}

/**
 * Partner Center's SupportContact of a subscription: its designated support contact, or, when none
 * is designated, the ordering partner itself (Partner Center: "for new subscriptions the
 * designated support contact defaults to the indirect provider").
 */
export function toSupportContactResponse(
  row: Subscription,
  orderingPartner: TenantSnapshot | undefined,
): SupportContactResponse {
  const self = {
    uri: `${subscriptionPath(row)}/supportcontact`,
    method: 'GET',
    headers: [],
  };
  const contact = row.designatedSupportContactId
    ? {
        supportTenantId: row.designatedSupportContactId,
        supportMpnId: row.designatedSupportContactMpnId,
        name: row.designatedSupportContactName ?? '',
      }
    : {
        supportTenantId: row.partnerTenantId,
        supportMpnId: orderingPartner?.partner?.mpnId ?? row.partnerMpnId,
        name: orderingPartner?.name ?? '',
      };
  return { ...contact, links: { self }, attributes: { objectType: 'SupportContact' } };
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
