import { CountryCode, Email, SingleLine, Uuid } from '@app/contracts';
import { z } from 'zod';

/**
 * Partner Center's resources around a customer (../shared/reference/partner-center-api.md §5, §6):
 * the Address, the CustomerCompanyProfile and the CustomerBillingProfile, as requests take them
 * (camelCase; the request pipe also accepts Partner Center's PascalCase) and as answers give them.
 */

/** Partner Center's `Link` (`{ uri, method, headers }`), relative to the base URL. */
export const LinkSchema = z.object({
  uri: z.string(),
  method: z.literal('GET'),
  headers: z.array(z.object({ key: z.string(), value: z.string() })),
});

/** `links.self` of a resource at `uri`. */
export function selfLink(uri: string) {
  return { self: { uri, method: 'GET' as const, headers: [] } };
}

/** Partner Center's `attributes` of a resource that is not versioned. */
const attributesOf = <T extends string>(objectType: T) =>
  z.object({ objectType: z.literal(objectType) }).strict();

/** An optional, blank-as-absent line of an address. */
const OptionalLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/**
 * Partner Center's Address as a billing profile's `defaultAddress` takes it (§6 lengths):
 * `country` (ISO 3166-1 alpha-2), `region`/`state` optional, `addressLine1`, `addressLine2`,
 * `city`, `postalCode`, and the contact's `firstName`, `lastName` (1 to 50), `phoneNumber`.
 */
export const DefaultAddressSchema = z.strictObject({
  country: z.string().trim().toUpperCase().pipe(CountryCode),
  region: OptionalLine(100),
  state: OptionalLine(100),
  city: SingleLine(100),
  addressLine1: SingleLine(200),
  addressLine2: OptionalLine(200),
  addressLine3: OptionalLine(200),
  postalCode: SingleLine(20),
  firstName: SingleLine(50),
  middleName: OptionalLine(50),
  lastName: SingleLine(50),
  phoneNumber: OptionalLine(40),
});
export type DefaultAddress = z.infer<typeof DefaultAddressSchema>;

/** `culture` such as `en-US` (Partner Center writes it in any case; answered as `ll-CC`). */
const Culture = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a culture such as en-US')
  .transform((v) => {
    const [language, ...rest] = v.split('-');
    return [language.toLowerCase(), ...rest.map((p) => p.toUpperCase())].join('-');
  });

/** `language`: a two-letter code such as `en` (any case; answered lower-case). */
const Language = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}$/, 'a two-letter language code such as en')
  .transform((v) => v.toLowerCase());

/**
 * Partner Center's CustomerBillingProfile as a request takes it (create a customer, `PUT
 * /profiles/billing`): `email`, `culture`, `language`, `companyName`, `defaultAddress`; `id`,
 * `firstName`, `lastName`, `links` and `attributes` (its `etag`) are accepted and ignored, as Partner
 * Center's SDK sends back what it read (the etag that counts is `If-Match`).
 */
export const BillingProfileInputSchema = z.strictObject({
  id: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: Email,
  culture: Culture,
  language: Language,
  companyName: SingleLine(200),
  defaultAddress: DefaultAddressSchema,
  links: z.unknown().optional(),
  attributes: z
    .looseObject({ objectType: z.literal('CustomerBillingProfile').optional() })
    .optional(),
});
export type BillingProfileInput = z.infer<typeof BillingProfileInputSchema>;

/** The billing profile as relationships stores it on the customer row (`billing_profile`). */
export interface StoredBillingProfile {
  id: string;
  email: string;
  culture: string;
  language: string;
  companyName: string;
  defaultAddress: DefaultAddress;
}

/** Partner Center's Address in answers (absent parts omitted). */
export const AddressResponseSchema = z.object({
  country: z.string(),
  region: z.string().optional(),
  state: z.string().optional(),
  city: z.string().optional(),
  addressLine1: z.string().optional(),
  addressLine2: z.string().optional(),
  addressLine3: z.string().optional(),
  postalCode: z.string().optional(),
  firstName: z.string().optional(),
  middleName: z.string().optional(),
  lastName: z.string().optional(),
  phoneNumber: z.string().optional(),
});

/**
 * Partner Center's CustomerCompanyProfile: `tenantId`, `domain`, `companyName`; `address` and
 * `email` only for a partner holding delegated admin privileges for the customer (as Partner
 * Center omits them without them), `links.self`, `attributes.objectType`.
 */
export const CompanyProfileResponseSchema = z.object({
  tenantId: Uuid,
  domain: z.string(),
  companyName: z.string(),
  address: AddressResponseSchema.optional(),
  email: z.string().optional(),
  links: z.object({ self: LinkSchema }),
  attributes: attributesOf('CustomerCompanyProfile'),
});
export type CompanyProfileResponse = z.infer<typeof CompanyProfileResponseSchema>;

/**
 * Partner Center's CustomerBillingProfile: `id`, `firstName`, `lastName`, `email`, `culture`,
 * `language`, `companyName`, `defaultAddress`, `links.self`, `attributes { etag, objectType }`.
 * A customer that joined through a relationship request has no billing profile until a partner
 * PUTs one: its answer has the company name and country only.
 */
export const BillingProfileResponseSchema = z.object({
  id: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  culture: z.string().optional(),
  language: z.string().optional(),
  companyName: z.string(),
  defaultAddress: AddressResponseSchema,
  links: z.object({ self: LinkSchema }),
  attributes: z.object({ etag: z.string(), objectType: z.literal('CustomerBillingProfile') }),
});
export type BillingProfileResponse = z.infer<typeof BillingProfileResponseSchema>;
