import { PageQuerySchema } from '@app/platform';
import { MpnId, SingleLine, Uuid } from '@app/contracts';
import { z } from 'zod';

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
    friendlyName: SingleLine(200).optional(),
    associatedResellerMpnId: MpnId.optional(),
    designatedSupportContactId: Uuid.optional(),
  })
  .strict();
export type OrderSubscriptionDto = z.infer<typeof OrderSubscriptionSchema>;

/** A link of Partner Center's `links` (`{ uri, method, headers }`). */
export const LinkSchema = z.object({
  uri: z.string(),
  method: z.string(),
  headers: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
});

/**
 * What Partner Center's Subscription carries that a PATCH cannot change: the .NET SDK sends the
 * whole resource it read (`PatchAsync(subscription)`), so these are accepted and ignored, where an
 * unknown field is still refused (400 `request.invalid`).
 */
const READ_ONLY_SUBSCRIPTION_FIELDS = {
  id: z.string().max(100).optional(),
  offerId: z.string().max(100).optional(),
  offerName: z.string().max(500).optional(),
  entitlementId: z.string().max(100).nullable().optional(),
  unitType: z.string().max(100).optional(),
  partnerId: z.string().max(100).nullable().optional(),
  parentSubscriptionId: z.string().max(100).nullable().optional(),
  orderId: z.string().max(100).nullable().optional(),
  creationDate: z.string().max(100).optional(),
  effectiveStartDate: z.string().max(100).nullable().optional(),
  commitmentEndDate: z.string().max(100).nullable().optional(),
  createdAt: z.string().max(100).optional(),
  updatedAt: z.string().max(100).optional(),
  autoRenewEnabled: z.boolean().optional(),
  isTrial: z.boolean().optional(),
  billingType: z.string().max(100).optional(),
  billingCycle: z.string().max(100).optional(),
  contractType: z.string().max(100).optional(),
  termDuration: z.string().max(100).nullable().optional(),
  designatedSupportContact: z.unknown().optional(),
  links: z.unknown().optional(),
  attributes: z.unknown().optional(),
};

/** Fields of the PATCH body that change the subscription. */
const CHANGEABLE = [
  'quantity',
  'friendlyName',
  'status',
  'associatedResellerMpnId',
  'designatedSupportContactId',
] as const;

/**
 * `PATCH /v1/customers/{id}/subscriptions/{subscriptionId}` with `If-Match`: Partner Center's
 * Subscription (whole or in part; read-only fields ignored) changing `status` (`active` /
 * `suspended`), `quantity` and `friendlyName`; also our `associatedResellerMpnId` and
 * `designatedSupportContactId` (`null` clears either). At least one changeable field.
 */
export const UpdateSubscriptionSchema = z
  .object({
    quantity: z.number().optional(),
    friendlyName: SingleLine(200).optional(),
    associatedResellerMpnId: MpnId.nullable().optional(),
    designatedSupportContactId: Uuid.nullable().optional(),
    status: z.enum(['active', 'suspended']).optional(),
    ...READ_ONLY_SUBSCRIPTION_FIELDS,
  })
  .strict()
  .refine(
    (v) => CHANGEABLE.some((field) => v[field] !== undefined),
    `at least one of ${CHANGEABLE.join(', ')} must be given`,
  );
export type UpdateSubscriptionDto = z.infer<typeof UpdateSubscriptionSchema>;

/** `{customerId}` path parameter. */
export const CustomerSubscriptionsParamSchema = z.object({ customerId: Uuid });
/** `{customerId}/{subscriptionId}` path parameters. */
export const SubscriptionParamSchema = z.object({ customerId: Uuid, subscriptionId: Uuid });

/** `?size=&seek=` of a customer's subscriptions (oldest first). */
/**
 * `GET /v1/customers/{id}/subscriptions?size=&seek=&mpn_id=`: `mpn_id` keeps the subscriptions
 * whose reseller of record (`partnerId`) has that Partner ID (Partner Center "Get a customer's
 * subscriptions by partner MPN ID"); unknown parameters are refused.
 */
export const SubscriptionListQuerySchema = PageQuerySchema.extend({
  mpn_id: MpnId.optional(),
}).strict();

/**
 * Partner Center's Subscription resource (`attributes.etag` for `If-Match`), with our
 * `associatedResellerMpnId`, `designatedSupportContact`, `createdAt` and `updatedAt`.
 * `partnerId`: the Partner ID (MPN ID) of the reseller of record, as in Partner Center: the
 * associated indirect reseller when one is named, else the ordering partner (absent for a row
 * ordered before it was recorded).
 */
export const SubscriptionSchema = z.object({
  id: z.string(),
  offerId: z.string(),
  offerName: z.string(),
  friendlyName: z.string(),
  quantity: z.number().int(),
  unitType: z.literal('Licenses'),
  status: z.enum(['active', 'suspended']),
  partnerId: z.string().optional(),
  associatedResellerMpnId: z.string().nullable(),
  designatedSupportContact: z
    .object({ id: z.string(), name: z.string(), mpnId: z.string().nullable() })
    .nullable(),
  creationDate: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  links: z.object({ self: LinkSchema }),
  attributes: z.object({ objectType: z.literal('Subscription'), etag: z.string() }),
});
export type SubscriptionResponse = z.infer<typeof SubscriptionSchema>;

/** A subscription as the customer sees it (`GET /v1/customer-subscriptions`): with its partner. */
export const CustomerSubscriptionSchema = SubscriptionSchema.extend({
  /** The partner that ordered it (its reseller of record for this subscription). */
  partner: z.object({ id: z.string(), name: z.string(), mpnId: z.string().nullable() }),
});
export type CustomerSubscriptionResponse = z.infer<typeof CustomerSubscriptionSchema>;

/** An offer of the catalog (`GET /v1/offers`). */
export const OfferSchema = z.object({
  id: z.string(),
  name: z.string(),
  minQuantity: z.number().int(),
  maxQuantity: z.number().int(),
  unit: z.literal('licenses'),
  attributes: z.object({ objectType: z.literal('Offer') }),
});
export type OfferResponse = z.infer<typeof OfferSchema>;

/**
 * Partner Center's SupportContact (`GET`/`PUT …/subscriptions/{id}/supportcontact`): the partner
 * that supports the customer for the subscription, by tenant id and Partner ID (MPN ID).
 */
export const SupportContactSchema = z.object({
  supportTenantId: z.string(),
  supportMpnId: z.string().nullable(),
  name: z.string(),
  links: z.object({ self: LinkSchema }),
  attributes: z.object({ objectType: z.literal('SupportContact') }),
});
export type SupportContactResponse = z.infer<typeof SupportContactSchema>;

/**
 * `PUT …/supportcontact` body: Partner Center's SupportContact. `supportTenantId` names the
 * support contact: one of the ordering indirect provider's indirect resellers, or the provider
 * itself (back to the default). `supportMpnId`, when given, must be that partner's Partner ID;
 * `name` is informative (the partner's own name is kept).
 */
export const PutSupportContactSchema = z
  .object({
    supportTenantId: Uuid,
    supportMpnId: MpnId.nullable().optional(),
    name: z.string().max(500).nullable().optional(),
    links: z.unknown().optional(),
    attributes: z.unknown().optional(),
  })
  .strict();
export type PutSupportContactDto = z.infer<typeof PutSupportContactSchema>;
