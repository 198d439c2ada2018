import {
  AddressSchema,
  Cloud,
  EnrollmentStatus,
  Locale,
  MpnId,
  PartnerType,
  SingleLine,
} from '@app/contracts';
import { PageQuerySchema, Timestamp, collectionSchema, objectAttributes } from '@app/platform';
import { z } from 'zod';
import {
  ContactInputSchema,
  contactView,
  pendingContactView,
} from '../../organizations/dto/contact.dto';
import { addressView } from '../../organizations/tenant-snapshot';
import { Tenant } from '../../organizations/tenant.entity';
import { FirstGlobalAdminSchema } from '../../users/dto/user.dto';
import { Enrollment } from '../enrollment.entity';
import {
  AddressViewSchema,
  ContactViewSchema,
  PendingContactViewSchema,
} from '../../organizations/dto/contact.dto';

/**
 * `POST /v1/enrollments` (seed 004 step 8: legal business profile, primary contact, support
 * contact; the first Global admin's account).
 */
export const EnrollmentSchema = z.strictObject({
  legalBusinessName: SingleLine(200),
  address: AddressSchema,
  cloud: Cloud,
  partnerType: PartnerType,
  mpnId: MpnId,
  primaryContact: ContactInputSchema,
  supportContact: ContactInputSchema,
  locale: Locale.optional(),
  globalAdmin: FirstGlobalAdminSchema,
});
export type EnrollmentInput = z.infer<typeof EnrollmentSchema>;

/** 201 answer of an enrollment. */
export const EnrollmentCreatedSchema = z.object({
  enrollmentId: z.uuid(),
  tenantId: z.uuid(),
  status: z.literal('pending_verification'),
  primaryContactEmail: z.string(),
});
export type EnrollmentCreated = z.infer<typeof EnrollmentCreatedSchema>;

/** `GET /v1/enrollments?status&size&seek`. */
export const EnrollmentListQuerySchema = PageQuerySchema.extend({
  status: EnrollmentStatus.optional(),
});
export type EnrollmentListQuery = z.infer<typeof EnrollmentListQuerySchema>;

/**
 * The operator's reason for a decision, which the primary contact receives by email: 1 to 1000
 * characters after trimming, a single line or one paragraph of lines (line breaks `\n` or `\r\n`,
 * kept as `\n`), no other control characters.
 */
export const ReviewReason = z
  .string()
  .transform((v) => v.replace(/\r\n?/g, '\n').trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(1000)
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u0009\u000b-\u001f\u007f-\u009f]*$/, 'must not contain control characters')
      .refine((v) => !/\n\s*\n/.test(v), 'must be a single paragraph (no blank lines)'),
  );

/** `POST /v1/enrollments/{id}/reject` `{ reason }` (required). */
export const RejectEnrollmentSchema = z.object({ reason: ReviewReason }).strict();

/** `POST /v1/enrollments/{id}/approve` with no body or `{ reason? }` (a note for the primary contact). */
export const ApproveEnrollmentSchema = z
  .object({ reason: ReviewReason.optional() })
  .strict()
  .optional();
export type ApproveEnrollmentInput = z.infer<typeof ApproveEnrollmentSchema>;

/** An enrollment as the operator reviews it. */
export const EnrollmentViewSchema = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  status: EnrollmentStatus.nullable(),
  legalBusinessName: z.string(),
  partnerType: PartnerType.nullable(),
  mpnId: z.string().nullable(),
  country: z.string(),
  cloud: Cloud,
  locale: Locale,
  address: AddressViewSchema,
  primaryContact: ContactViewSchema,
  pendingPrimaryContact: PendingContactViewSchema,
  supportContact: ContactViewSchema,
  submittedAt: Timestamp,
  verifiedAt: Timestamp.nullable(),
  reviewedAt: Timestamp.nullable(),
  reviewReason: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  attributes: objectAttributes('Enrollment'),
});

/** A page of enrollments. */
export const EnrollmentCollectionSchema = collectionSchema(EnrollmentViewSchema);

/** An enrollment as the operator reviews it. */
export function toEnrollmentView(
  enrollment: Enrollment,
  tenant: Tenant,
): z.infer<typeof EnrollmentViewSchema> {
  return {
    id: enrollment.id,
    tenantId: tenant.id,
    status: tenant.partnerStatus,
    legalBusinessName: tenant.name,
    partnerType: tenant.partnerType,
    mpnId: tenant.mpnId,
    country: tenant.country,
    cloud: tenant.cloud,
    locale: tenant.locale,
    address: addressView(tenant.address, tenant.country),
    primaryContact: contactView(tenant.primaryContact),
    pendingPrimaryContact: pendingContactView(tenant),
    supportContact: contactView(tenant.supportContact),
    submittedAt: enrollment.submittedAt.toISOString(),
    verifiedAt: enrollment.verifiedAt?.toISOString() ?? null,
    reviewedAt: enrollment.reviewedAt?.toISOString() ?? null,
    reviewReason: enrollment.reviewReason,
    rejectionReason: tenant.partnerStatus === 'rejected' ? enrollment.reviewReason : null,
    attributes: { objectType: 'Enrollment' as const },
  };
}
export type EnrollmentView = ReturnType<typeof toEnrollmentView>;
