import { PageQuerySchema } from '@app/platform';
import {
  AddressSchema,
  CreateCustomerTenantRequestSchema,
  Email,
  Locale,
  SingleLine,
  Uuid,
} from '@app/contracts';
import { z } from 'zod';
import { OrderSubscriptionSchema } from '../../subscriptions/dto/subscription.dto';

/** `{id}` path parameter of a customer (its tenant id). */
export const CustomerIdParamSchema = z.object({ id: Uuid });

/**
 * `GET /v1/customers?size=&seek=&indirect_reseller_id=&indirect_provider_id=`: the caller's
 * customers, optionally only those associated with one indirect reseller (an indirect provider's
 * filter, seed 002 "You can filter the list by indirect reseller"), or only those it shares with
 * one indirect provider (an indirect reseller's "View customers", seed 004 "Connect with an
 * indirect provider" step 5). The two filters exclude each other; unknown parameters are refused.
 */
export const CustomerListQuerySchema = PageQuerySchema.extend({
  indirect_reseller_id: Uuid.optional(),
  indirect_provider_id: Uuid.optional(),
})
  .strict()
  .refine((q) => !(q.indirect_reseller_id && q.indirect_provider_id), {
    message: 'send indirect_reseller_id or indirect_provider_id, not both',
    path: ['indirect_provider_id'],
  });
export type CustomerListQuery = z.infer<typeof CustomerListQuerySchema>;

/** `PATCH /v1/customers/{id}`: `{ relationshipToPartner: 'none' }` removes the relationship. */
export const UpdateCustomerSchema = z.object({ relationshipToPartner: z.literal('none') }).strict();
export type UpdateCustomerDto = z.infer<typeof UpdateCustomerSchema>;

/**
 * `POST /v1/customers` (seed 002 "Add new customers and associate them with indirect resellers"):
 * company profile (name, default domain prefix), address (its country is the customer's), the
 * first Global admin, an optional indirect reseller (indirect providers only) and initial
 * subscriptions.
 */
export const CreateCustomerSchema = z
  .object({
    companyProfile: z
      .object({
        companyName: SingleLine(200),
        domainPrefix: z
          .string()
          .trim()
          .toLowerCase()
          .pipe(CreateCustomerTenantRequestSchema.shape.domainPrefix),
      })
      .strict(),
    address: AddressSchema.strict(),
    locale: Locale.optional(),
    admin: z
      .object({ firstName: SingleLine(100), lastName: SingleLine(100), email: Email })
      .strict(),
    indirectResellerId: Uuid.optional(),
    subscriptions: z.array(OrderSubscriptionSchema).max(20).default([]),
    enableGDAPByDefault: z.boolean().optional(),
  })
  .strict();
export type CreateCustomerDto = z.infer<typeof CreateCustomerSchema>;

/** Partner Center's Customer resource, as seen by one partner. */
export interface CustomerResponse {
  /** The customer's tenant id. */
  id: string;
  companyProfile: { tenantId: string; domain: string; companyName: string; country: string };
  /** `reseller` while the caller has an active reseller relationship, else `none`. */
  relationshipToPartner: 'reseller' | 'none';
  /** The caller holds active delegated admin privileges for this customer. */
  allowDelegatedAccess: boolean;
  /** For an indirect provider: the indirect reseller associated with this customer, if any. */
  associatedPartnerId: string | null;
  attributes: { objectType: 'Customer' };
}

/** Partner Center's PartnerRelationship: an indirect reseller of a customer. */
export interface PartnerRelationshipResponse {
  /** The indirect reseller's tenant id. */
  id: string;
  name: string;
  mpnId: string | null;
  location: string | null;
  relationshipType: 'IsIndirectResellerOf';
  state: 'Active';
  attributes: { objectType: 'PartnerRelationship' };
}

/** Answer of `POST /v1/customers`: the admin's temporary password is shown this once (seed 002). */
export interface CreatedCustomerResponse<S> {
  customer: CustomerResponse;
  adminUser: { userPrincipalName: string; temporaryPassword: string };
  subscriptions: S[];
}
