import {
  AddressSchema,
  Cloud,
  EnrollmentStatus,
  CountryCode,
  Email,
  Locale,
  MpnId,
  PartnerType,
  SingleLine,
} from '@app/contracts';
import { z } from 'zod';
import {
  AddressViewSchema,
  ContactViewSchema,
  PendingContactViewSchema,
  Phone,
  contactView,
  pendingContactView,
} from '../../organizations/dto/contact.dto';
import { objectAttributes } from '@app/platform';
import { addressView } from '../../organizations/tenant-snapshot';
import { StoredContact, Tenant } from '../../organizations/tenant.entity';

/** A customer support website: an `https:` URL. */
export const SupportWebsite = z
  .string()
  .trim()
  .max(2048)
  .pipe(z.url({ protocol: /^https$/, hostname: z.regexes.domain }));

/**
 * `PATCH /v1/partner-profile` and `PATCH /v1/partners/{tenantId}/profile`: the fields to change.
 * Which of them a partner may send is decided by `operatorReservedFields`.
 */
export const PartnerProfilePatchSchema = z
  .object({
    legalBusinessName: SingleLine(200).optional(),
    mpnId: MpnId.optional(),
    country: CountryCode.optional(),
    cloud: Cloud.optional(),
    partnerType: PartnerType.optional(),
    locale: Locale.optional(),
    address: AddressSchema.extend({ country: CountryCode.optional() }).strict().optional(),
    primaryContact: z
      .object({
        name: SingleLine(200).optional(),
        email: Email.optional(),
        phone: Phone.nullable().optional(),
      })
      .strict()
      .optional(),
    supportContact: z
      .object({
        name: SingleLine(200).optional(),
        email: Email.optional(),
        phone: Phone.nullable().optional(),
        website: SupportWebsite.nullable().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'send at least one field to change' });
export type PartnerProfilePatch = z.infer<typeof PartnerProfilePatchSchema>;

/**
 * `POST /v1/partner-profile/indirect-reseller` (seed 004 "If you are already enrolled in CSP, you
 * may need to provide only customer support contact information"): the customer support contact
 * the indirect reseller's customers reach, with its email and phone required, a name (default:
 * the current support contact's name, else the legal business name) and a website (`https:`).
 */
export const IndirectResellerRoleSchema = z
  .object({
    supportContact: z
      .object({
        name: SingleLine(200).optional(),
        email: Email,
        phone: Phone,
        website: SupportWebsite.optional(),
      })
      .strict(),
  })
  .strict();
export type IndirectResellerRoleInput = z.infer<typeof IndirectResellerRoleSchema>;

/** The support contact as the profile shows it: the contact and its website. */
export function supportContactView(contact: StoredContact | null) {
  return { ...contactView(contact), website: contact?.website ?? null };
}

/** A partner's legal business profile as the API shows it. */
export const PartnerProfileViewSchema = z.object({
  tenantId: z.uuid(),
  legalBusinessName: z.string(),
  partnerType: PartnerType.nullable(),
  mpnId: z.string().nullable(),
  status: EnrollmentStatus.nullable(),
  country: z.string(),
  cloud: Cloud,
  locale: Locale,
  address: AddressViewSchema,
  primaryContact: ContactViewSchema,
  pendingPrimaryContact: PendingContactViewSchema,
  supportContact: ContactViewSchema.extend({ website: z.string().nullable() }),
  version: z.number().int(),
  attributes: objectAttributes('PartnerProfile'),
});

/** A partner's legal business profile as the API shows it. */
export function toPartnerProfileView(tenant: Tenant): z.infer<typeof PartnerProfileViewSchema> {
  return {
    tenantId: tenant.id,
    legalBusinessName: tenant.name,
    partnerType: tenant.partnerType,
    mpnId: tenant.mpnId,
    status: tenant.partnerStatus,
    country: tenant.country,
    cloud: tenant.cloud,
    locale: tenant.locale,
    address: addressView(tenant.address, tenant.country),
    primaryContact: contactView(tenant.primaryContact),
    pendingPrimaryContact: pendingContactView(tenant),
    supportContact: supportContactView(tenant.supportContact),
    version: tenant.version,
    attributes: { objectType: 'PartnerProfile' as const },
  };
}
export type PartnerProfileView = ReturnType<typeof toPartnerProfileView>;
