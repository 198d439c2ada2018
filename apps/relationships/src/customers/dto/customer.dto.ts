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
import { ConfirmCustomerAgreementSchema } from '../../customer-agreements/dto/customer-agreement.dto';
import { OrderSubscriptionSchema } from '../../subscriptions/dto/subscription.dto';

/** `{id}` path parameter of a customer (its tenant id). */
export const CustomerIdParamSchema = z.object({ id: Uuid });

/**
 * `GET /v1/customers?size=&seek=&filter=`: the caller's customers, optionally filtered as Partner
 * Center sends it (`filter` = URL-encoded JSON `{"Field","Value","Operator"}`, checked by
 * `parseCustomerFilter`: company name or domain prefix, the customers of one indirect reseller
 * (seed 002 "You can filter the list by indirect reseller") or those shared with one indirect
 * provider (seed 004 "Connect with an indirect provider" step 5)). Unknown parameters (among them
 * the former `indirect_reseller_id` / `indirect_provider_id`) are refused.
 */
export const CustomerListQuerySchema = PageQuerySchema.extend({
  filter: z.string().max(1000).optional(),
}).strict();
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
    /**
     * The partner's confirmation that the customer accepted the Customer Agreement (the body of
     * `POST /v1/customers/{id}/agreements`); required with initial subscriptions (Partner Center
     * 13605), recorded for the creating partner.
     */
    customerAgreement: ConfirmCustomerAgreementSchema.optional(),
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
