import { PageQuerySchema, collectionSchema } from '@app/platform';
import { CreateCustomerTenantRequestSchema, Uuid } from '@app/contracts';
import { z } from 'zod';
import { ConfirmCustomerAgreementSchema } from '../../customer-agreements/dto/customer-agreement.dto';
import {
  OrderSubscriptionSchema,
  type SubscriptionResponse,
} from '../../subscriptions/dto/subscription.dto';
import {
  BillingProfileInputSchema,
  BillingProfileResponseSchema,
  CompanyProfileResponseSchema,
  LinkSchema,
} from './customer-profiles.dto';

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

/**
 * `PATCH /v1/customers/{id}` (Partner Center "Remove a reseller relationship", "Remove DAP"):
 * `{ relationshipToPartner: 'none' }` removes the caller's reseller relationship, `{
 * allowDelegatedAccess: false }` the caller's delegated admin privileges only; exactly one of
 * them. `attributes.objectType` (`Customer`) is accepted, as Partner Center's SDK sends it.
 */
export const UpdateCustomerSchema = z
  .strictObject({
    relationshipToPartner: z.literal('none').optional(),
    allowDelegatedAccess: z.literal(false).optional(),
    attributes: z.looseObject({ objectType: z.literal('Customer').optional() }).optional(),
  })
  .refine(
    (b) => (b.relationshipToPartner === undefined) !== (b.allowDelegatedAccess === undefined),
    {
      message: "send relationshipToPartner: 'none' or allowDelegatedAccess: false, one of them",
      path: ['relationshipToPartner'],
    },
  );
export type UpdateCustomerDto = z.infer<typeof UpdateCustomerSchema>;

/**
 * `companyProfile.domain` of a new customer: the default domain's prefix (`contoso`) or the whole
 * default domain (`contoso.onmicrosoft.example`, the deployment's `CUSTOMER_DOMAIN_SUFFIX`; identity
 * refuses another suffix with 400 `customer.domain_invalid`). The prefix follows Partner Center's
 * `<prefix>.onmicrosoft.com` rule: 3 to 63 letters, digits and hyphens, not starting or ending with a
 * hyphen; case-insensitive.
 */
const NewCustomerDomain = z
  .string()
  .trim()
  .toLowerCase()
  .transform((domain) => {
    const dot = domain.indexOf('.');
    return dot < 0
      ? { prefix: domain, suffix: undefined }
      : { prefix: domain.slice(0, dot), suffix: domain.slice(dot + 1) };
  })
  .pipe(
    z.object({
      prefix: CreateCustomerTenantRequestSchema.shape.domainPrefix,
      suffix: z
        .string()
        .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a domain such as onmicrosoft.example')
        .optional(),
    }),
  );

/**
 * `POST /v1/customers` with Partner Center's Customer (Partner Center "Create a customer", "Create a
 * customer for an indirect reseller"; seed 002): `companyProfile.domain`, `billingProfile` (email,
 * culture, language, company name, default address with the contact's names, who becomes the
 * customer's first Global admin), `associatedPartnerId` (the indirect reseller's tenant id; indirect
 * providers only). What Partner Center's SDK sends empty (`id`, `commerceId`, `relationshipToPartner`,
 * `allowDelegatedAccess`, `userCredentials`, `customDomains` as null, `enableGDAPByDefault`,
 * `attributes`) is accepted and ignored; a `userCredentials` with a password is refused (Partner
 * Center: "If passing userCredentials password isn't accepted"). Our extension: `subscriptions`,
 * initial orders placed in the same call (at most 20).
 */
export const CreateCustomerSchema = z.strictObject({
  id: z.null().optional(),
  commerceId: z.null().optional(),
  companyProfile: z.strictObject({
    tenantId: z.null().optional(),
    domain: NewCustomerDomain,
    links: z.unknown().optional(),
    attributes: z
      .looseObject({ objectType: z.literal('CustomerCompanyProfile').optional() })
      .optional(),
  }),
  billingProfile: BillingProfileInputSchema,
  associatedPartnerId: Uuid.nullish(),
  relationshipToPartner: z.enum(['none', 'reseller']).nullish(),
  allowDelegatedAccess: z.boolean().nullish(),
  userCredentials: z.null().optional(),
  customDomains: z.null().optional(),
  enableGDAPByDefault: z.boolean().nullish(),
  attributes: z.looseObject({ objectType: z.literal('Customer').optional() }).optional(),
  subscriptions: z.array(OrderSubscriptionSchema).max(20).optional(),
  /**
   * The partner's confirmation that the customer accepted the Customer Agreement (the body of
   * `POST /v1/customers/{id}/agreements`); required with initial subscriptions (Partner Center
   * 13605), recorded for the creating partner.
   */
  customerAgreement: ConfirmCustomerAgreementSchema.optional(),
});
export type CreateCustomerDto = z.infer<typeof CreateCustomerSchema>;

/**
 * Partner Center's Customer in full (`GET /v1/customers/{id}`, the answer of `PATCH`): `id`,
 * `commerceId` (the customer's id), `companyProfile`, `billingProfile`, `relationshipToPartner`
 * (`reseller`, or `none` once the relationship is removed), `allowDelegatedAccess`,
 * `associatedPartnerId` (an indirect provider's customer associated with an indirect reseller),
 * `links.self`, `attributes.objectType`.
 */
export const FullCustomerResponseSchema = z.object({
  id: Uuid,
  commerceId: z.string(),
  companyProfile: CompanyProfileResponseSchema,
  billingProfile: BillingProfileResponseSchema,
  relationshipToPartner: z.enum(['reseller', 'none']),
  allowDelegatedAccess: z.boolean(),
  associatedPartnerId: Uuid.optional(),
  links: z.object({ self: LinkSchema }),
  attributes: z.object({ objectType: z.literal('Customer') }),
});
export type FullCustomerResponse = z.infer<typeof FullCustomerResponseSchema>;

/**
 * The answer of `POST /v1/customers` (201): the full Customer with `userCredentials` (`userName`:
 * the Global admin's sign-in name; `password`: its temporary password, shown this once, and on a
 * retry with the same `MS-RequestId`), and `subscriptions` when the request ordered some.
 */
export const CreatedCustomerResponseSchema = FullCustomerResponseSchema.extend({
  userCredentials: z.object({ userName: z.string(), password: z.string() }),
  subscriptions: z.array(z.looseObject({ id: Uuid, offerId: z.string() })).optional(),
});
export type CreatedCustomerResponse = FullCustomerResponse & {
  userCredentials: { userName: string; password: string };
  subscriptions?: SubscriptionResponse[];
};

/** `PUT /v1/customers/{id}/profiles/billing`: the full billing profile. */
export const UpdateBillingProfileSchema = BillingProfileInputSchema;

/** Partner Center's Customer resource, as seen by one partner (an item of `GET /v1/customers`). */
export const CustomerResponseSchema = z.object({
  /** The customer's tenant id. */
  id: Uuid,
  companyProfile: z.object({
    tenantId: Uuid,
    domain: z.string(),
    companyName: z.string(),
    country: z.string(),
  }),
  /** `reseller` while the caller has an active reseller relationship, else `none`. */
  relationshipToPartner: z.enum(['reseller', 'none']),
  /** The caller holds active delegated admin privileges for this customer. */
  allowDelegatedAccess: z.boolean(),
  /** For an indirect provider: the indirect reseller associated with this customer, if any. */
  associatedPartnerId: Uuid.nullable(),
  attributes: z.object({ objectType: z.literal('Customer') }),
});
export type CustomerResponse = z.infer<typeof CustomerResponseSchema>;

/** A page of customers (`GET /v1/customers`). */
export const CustomerCollectionSchema = collectionSchema(CustomerResponseSchema);

/**
 * Partner Center's PartnerRelationship: an indirect reseller of a customer
 * (`GET /v1/customers/{id}/relationships`); `relationshipType` in Partner Center's enum spelling.
 */
export const CustomerPartnerRelationshipSchema = z.object({
  /** The indirect reseller's tenant id. */
  id: Uuid,
  name: z.string(),
  mpnId: z.string().nullable(),
  location: z.string().nullable(),
  relationshipType: z.literal('is_indirect_reseller_of'),
  state: z.literal('Active'),
  attributes: z.object({ objectType: z.literal('PartnerRelationship') }),
});
export type PartnerRelationshipResponse = z.infer<typeof CustomerPartnerRelationshipSchema>;

/** A page of a customer's indirect resellers. */
export const CustomerPartnerRelationshipCollectionSchema = collectionSchema(
  CustomerPartnerRelationshipSchema,
);
