import { z } from 'zod';
import {
  Cloud,
  CountryCode,
  EnrollmentStatus,
  Locale,
  MpnId,
  PartnerType,
  TenantKind,
  Uuid,
} from './domain';

/** A contact person (primary contact, support contact). */
export const ContactSchema = z.object({
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
});
export type Contact = z.infer<typeof ContactSchema>;

/**
 * A tenant as identity describes it to other services (`identity.tenants.get`).
 * Partner fields are null for customers and customer fields are null for partners.
 * `version` grows on every change.
 */
export const TenantSnapshotSchema = z.object({
  id: Uuid,
  kind: TenantKind,
  name: z.string(),
  country: CountryCode,
  cloud: Cloud,
  locale: Locale,
  version: z.number().int(),
  partner: z
    .object({
      partnerType: PartnerType,
      mpnId: MpnId,
      status: EnrollmentStatus,
      supportContact: ContactSchema,
    })
    .nullable(),
  customer: z
    .object({
      domain: z.string(),
      customerAgreementAcceptedAt: z.iso.datetime().nullable(),
      customerAgreementAcceptedBy: Uuid.nullable(),
    })
    .nullable(),
});
export type TenantSnapshot = z.infer<typeof TenantSnapshotSchema>;

/** Address of a company profile. */
export const AddressSchema = z.strictObject({
  addressLine1: z.string().trim().min(1).max(200),
  addressLine2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  state: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().min(1).max(20),
  country: CountryCode,
});
export type Address = z.infer<typeof AddressSchema>;
