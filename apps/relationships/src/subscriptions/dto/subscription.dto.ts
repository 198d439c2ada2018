import { PageQuerySchema } from '@app/platform';
import { MpnId, Uuid } from '@app/contracts';
import { z } from 'zod';
import type { SubscriptionStatus } from '../subscription.entity';

/**
 * One subscription to order (seed 002 "Add new subscriptions"): an offer of the catalog, a number
 * of licenses, the associated reseller by Partner ID (MPN ID) (it earns the incentives), and the
 * designated support contact (an indirect reseller's tenant id). The last two are for indirect
 * providers only.
 */
export const OrderSubscriptionSchema = z
  .object({
    offerId: z.string().trim().min(1).max(100),
    quantity: z.number(),
    associatedResellerMpnId: MpnId.optional(),
    designatedSupportContactId: Uuid.optional(),
  })
  .strict();
export type OrderSubscriptionDto = z.infer<typeof OrderSubscriptionSchema>;

/**
 * `PATCH /v1/customers/{id}/subscriptions/{subscriptionId}`: change the quantity, the associated
 * reseller or the designated support contact (`null` clears either), or suspend / reactivate.
 */
export const UpdateSubscriptionSchema = z
  .object({
    quantity: z.number().optional(),
    associatedResellerMpnId: MpnId.nullable().optional(),
    designatedSupportContactId: Uuid.nullable().optional(),
    status: z.enum(['active', 'suspended']).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'at least one field must be given');
export type UpdateSubscriptionDto = z.infer<typeof UpdateSubscriptionSchema>;

/** `{customerId}` path parameter. */
export const CustomerSubscriptionsParamSchema = z.object({ customerId: Uuid });
/** `{customerId}/{subscriptionId}` path parameters. */
export const SubscriptionParamSchema = z.object({ customerId: Uuid, subscriptionId: Uuid });

/** `?size=&seek=` of a customer's subscriptions (oldest first). */
export const SubscriptionListQuerySchema = PageQuerySchema;

/** Partner Center's Subscription resource. */
export interface SubscriptionResponse {
  id: string;
  offerId: string;
  offerName: string;
  quantity: number;
  unitType: 'Licenses';
  status: SubscriptionStatus;
  /** The ordering partner's tenant id. */
  partnerId: string;
  associatedResellerMpnId: string | null;
  designatedSupportContact: { id: string; name: string; mpnId: string | null } | null;
  createdAt: string;
  updatedAt: string;
  attributes: { objectType: 'Subscription' };
}

/** A subscription as the customer sees it (`GET /v1/customer-subscriptions`): with its partner. */
export interface CustomerSubscriptionResponse extends SubscriptionResponse {
  /** The partner that ordered it (its reseller of record for this subscription). */
  partner: { id: string; name: string; mpnId: string | null };
}

/** An offer of the catalog (`GET /v1/offers`). */
export interface OfferResponse {
  id: string;
  name: string;
  minQuantity: number;
  maxQuantity: number;
  unit: 'licenses';
  attributes: { objectType: 'Offer' };
}
